import { createMemoryCounter } from "./memory-counter.js";
import { openRedisState, type RedisStateOptions } from "./redis-options.js";
import type { Counter } from "./types.js";

/** Options of `createRedisCounter`. */
export type RedisCounterOptions = RedisStateOptions<Counter>;

/**
 * A counter shared by every instance through Redis: one atomic `INCR` on `${prefix}rr:${key}`.
 * On an error or past `commandTimeoutMs` it counts in the fallback (memory) and says so once.
 */
export function createRedisCounter(options: RedisCounterOptions): Counter {
  const { client, prefix, guard, close } = openRedisState(options, {
    what: "Redis counter",
    keySpace: "rr:",
    component: "redis-counter",
    meanwhile: "round-robin rotates in memory (per instance)",
  });
  const fallback = options.fallback ?? createMemoryCounter();
  return Object.freeze({
    name: "redis",
    increment: (key: string) =>
      guard.run(
        async () => Number(await client.incr(prefix + key)),
        () => fallback.increment(key),
      ),
    close,
  });
}
