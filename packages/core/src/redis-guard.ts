import { withTimeout } from "./command-timeout.js";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import { silentLogger } from "./logger.js";
import { createOutageReporter } from "./outage-reporter.js";
import type { Timers } from "./timers.js";
import type { Logger } from "./types.js";

/** The subset of an ioredis client the Redis counter and sticky store use. */
export interface RedisCommandClient {
  /** Atomic increment; resolves with the new value. */
  incr(key: string): Promise<number>;
  /** The value of a key, or null. */
  get(key: string): Promise<string | null>;
  /** Sets a key with an expiry in milliseconds. */
  set(key: string, value: string, expiryMode: "PX", milliseconds: number): Promise<unknown>;
  /** Runs a cached Lua script by SHA1 (least-recent, the strategy store); NOSCRIPT when not cached. */
  evalsha?(sha: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** Runs a Lua script (and caches it on the server). */
  eval?(script: string, numKeys: number, ...args: (string | number)[]): Promise<unknown>;
  /** Closes the connection politely. */
  quit(): Promise<unknown>;
  /** Closes the connection at once and stops reconnecting (ioredis). */
  disconnect?(): void;
}

/** Runs Redis commands with a timeout, falling back (and reporting the outage once) on failure. */
export interface RedisGuard {
  /** `command()` within the timeout, else `fallback()`; never rejects unless the fallback does. */
  run<T>(command: () => Promise<T>, fallback: () => Promise<T>): Promise<T>;
}

/** What a guard needs. */
export interface RedisGuardOptions {
  /** Bound on each command. */
  readonly commandTimeoutMs: number;
  /** Timers for the bound. */
  readonly timers: Timers;
  /** Where the one warn and one info go. */
  readonly logger: Logger | undefined;
  /** Called once per fallen-back operation. */
  readonly onFallback: (() => void) | undefined;
  /** Component name for the log lines, e.g. `redis-counter`. */
  readonly component: string;
  /** What falls back, for the warn line, e.g. `round-robin counts in memory`. */
  readonly meanwhile: string;
}

/** Creates a guard; its outage state is its own (one warn per outage, one info per recovery). */
export function createRedisGuard(options: RedisGuardOptions): RedisGuard {
  const outage = createOutageReporter({
    logger: options.logger ?? silentLogger,
    fields: { component: options.component },
    downMessage: `Redis unavailable; ${options.meanwhile} until it is back`,
    upMessage: "Redis is back; shared state in use again",
    fallbackCode: CORE_ERROR_CODES.REDIS_COMMAND_FAILED,
  });
  const timeoutError = (): Error =>
    new PdvError(
      CORE_ERROR_CODES.REDIS_TIMEOUT,
      `Redis did not answer within ${options.commandTimeoutMs} ms`,
    );
  let probing = false;
  const fallBack = <T>(fallback: () => Promise<T>): Promise<T> => {
    try {
      options.onFallback?.();
    } catch {
      // A metrics callback must never fail a pick.
    }
    return fallback();
  };
  return {
    async run(command, fallback) {
      // While Redis is down, one command at a time probes it; the others fall back at once.
      if (outage.down && probing) return fallBack(fallback);
      const probe = outage.down;
      if (probe) probing = true;
      try {
        const result = await withTimeout(command(), options.commandTimeoutMs, options.timers, timeoutError);
        outage.succeeded();
        return result;
      } catch (error) {
        outage.failed(error);
        return fallBack(fallback);
      } finally {
        if (probe) probing = false;
      }
    },
  };
}
