import { assertNoProblems } from "./errors.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisGuard, type RedisCommandClient, type RedisGuard } from "./redis-guard.js";
import { realTimers, type Timers } from "./timers.js";
import type { Logger } from "./types.js";
import { checkFunction, checkNumber } from "./validate.js";

/** Options shared by the Redis counter and the Redis sticky store. */
export interface RedisStateOptions<Fallback> {
  /**
   * A connected client (e.g. from `createRedisClient`). The caller owns it and closes it
   * (`closeRedisClient`), unless `closeClient` is true.
   */
  readonly client: RedisCommandClient;
  /** Prefix of every key. Default `pagerduty-voys:`. */
  readonly prefix?: string;
  /** Bound on each command; past it the operation falls back. Default 250. */
  readonly commandTimeoutMs?: number;
  /** Used while Redis fails. Default: a new memory one. */
  readonly fallback?: Fallback;
  /** Logs one warn when Redis goes away and one info when it is back. */
  readonly logger?: Logger;
  /** Called once per operation that fell back (for a metric). */
  readonly onFallback?: () => void;
  /** Whether `close()` also quits the client. Default false. */
  readonly closeClient?: boolean;
  /** Timers for the command bound. Default Node's (unref'd). */
  readonly timers?: Timers;
}

/** Validates the shared options, throwing one error that lists every problem. */
function checkRedisStateOptions(what: string, options: RedisStateOptions<unknown>): void {
  const problems: string[] = [];
  const client = options.client as Partial<RedisCommandClient> | undefined;
  if (typeof client?.get !== "function" || typeof client.incr !== "function") {
    problems.push("client: expected an ioredis client (or an object with incr, get, set and quit)");
  }
  if (options.prefix !== undefined && typeof options.prefix !== "string")
    problems.push("prefix: expected a string");
  checkNumber(problems, "commandTimeoutMs", options.commandTimeoutMs, 1);
  checkFunction(problems, "onFallback", options.onFallback);
  assertNoProblems(what, problems);
}

/** The default key prefix. */
export const DEFAULT_REDIS_PREFIX = "pagerduty-voys:";

/** The default command bound. */
export const DEFAULT_COMMAND_TIMEOUT_MS = 250;

/** What the Redis counter and sticky store share once their options are checked. */
export interface RedisState {
  /** The client commands go to. */
  readonly client: RedisCommandClient;
  /** The full key prefix, e.g. `pagerduty-voys:rr:`. */
  readonly prefix: string;
  /** Runs commands within the bound, falling back on failure. */
  readonly guard: RedisGuard;
  /** Quits the client when the options say the state owns it. */
  close(): Promise<void>;
}

/** Describes one kind of Redis state for {@link openRedisState}. */
export interface RedisStateKind {
  /** Name in option errors, e.g. `Redis counter`. */
  readonly what: string;
  /** Key space after the prefix, e.g. `rr:`. */
  readonly keySpace: string;
  /** Component name in log lines. */
  readonly component: string;
  /** What happens meanwhile, for the outage warning. */
  readonly meanwhile: string;
}

/** Checks the options and sets up client, prefix, guard and close for one kind of Redis state. */
export function openRedisState(options: RedisStateOptions<unknown>, kind: RedisStateKind): RedisState {
  checkRedisStateOptions(kind.what, options);
  const { client } = options;
  return {
    client,
    prefix: `${options.prefix ?? DEFAULT_REDIS_PREFIX}${kind.keySpace}`,
    guard: createRedisGuard({
      commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
      timers: options.timers ?? realTimers,
      logger: options.logger,
      onFallback: options.onFallback,
      component: kind.component,
      meanwhile: kind.meanwhile,
    }),
    close: async () => {
      if (options.closeClient) await closeRedisClient(client);
    },
  };
}
