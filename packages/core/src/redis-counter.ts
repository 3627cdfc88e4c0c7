import { createMemoryCounter } from "./memory-counter.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisGuard } from "./redis-guard.js";
import {
  checkRedisStateOptions,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_REDIS_PREFIX,
  type RedisStateOptions,
} from "./redis-options.js";
import { realTimers } from "./timers.js";
import type { Counter } from "./types.js";

/** Options of `createRedisCounter`. */
export type RedisCounterOptions = RedisStateOptions<Counter>;

/**
 * A counter shared by every instance through Redis: one atomic `INCR` on `${prefix}rr:${key}`.
 * On an error or past `commandTimeoutMs` it counts in the fallback (memory) and says so once.
 */
export function createRedisCounter(options: RedisCounterOptions): Counter {
  checkRedisStateOptions("Redis counter", options);
  const { client } = options;
  const prefix = `${options.prefix ?? DEFAULT_REDIS_PREFIX}rr:`;
  const fallback = options.fallback ?? createMemoryCounter();
  const guard = createRedisGuard({
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    timers: options.timers ?? realTimers,
    logger: options.logger,
    onFallback: options.onFallback,
    component: "redis-counter",
    meanwhile: "round-robin rotates in memory (per instance)",
  });
  return Object.freeze({
    name: "redis",
    increment: (key: string) =>
      guard.run(
        async () => Number(await client.incr(prefix + key)),
        () => fallback.increment(key),
      ),
    close: async () => {
      if (options.closeClient) await closeRedisClient(client);
    },
  });
}
