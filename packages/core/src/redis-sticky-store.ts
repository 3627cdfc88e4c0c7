import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { closeRedisClient } from "./redis-close.js";
import { createRedisGuard } from "./redis-guard.js";
import {
  checkRedisStateOptions,
  DEFAULT_COMMAND_TIMEOUT_MS,
  DEFAULT_REDIS_PREFIX,
  type RedisStateOptions,
} from "./redis-options.js";
import { realTimers } from "./timers.js";
import type { StickyStore } from "./types.js";

/** Options of `createRedisStickyStore`. */
export type RedisStickyStoreOptions = RedisStateOptions<StickyStore>;

/**
 * A sticky-caller store shared through Redis: `GET` and `SET … PX ttl` on `${prefix}sticky:${key}`.
 * On an error or past `commandTimeoutMs` it uses the fallback (memory) and says so once.
 */
export function createRedisStickyStore(options: RedisStickyStoreOptions): StickyStore {
  checkRedisStateOptions("Redis sticky store", options);
  const { client } = options;
  const prefix = `${options.prefix ?? DEFAULT_REDIS_PREFIX}sticky:`;
  const fallback = options.fallback ?? createMemoryStickyStore();
  const guard = createRedisGuard({
    commandTimeoutMs: options.commandTimeoutMs ?? DEFAULT_COMMAND_TIMEOUT_MS,
    timers: options.timers ?? realTimers,
    logger: options.logger,
    onFallback: options.onFallback,
    component: "redis-sticky-store",
    meanwhile: "sticky callers are remembered in memory (per instance)",
  });
  return Object.freeze({
    name: "redis",
    get: (key: string) =>
      guard.run(
        async () => (await client.get(prefix + key)) ?? undefined,
        () => fallback.get(key),
      ),
    set: (key: string, responderId: string, ttlMs: number) =>
      guard.run(
        async () => {
          await client.set(prefix + key, responderId, "PX", Math.max(1, Math.ceil(ttlMs)));
        },
        () => fallback.set(key, responderId, ttlMs),
      ),
    close: async () => {
      if (options.closeClient) await closeRedisClient(client);
    },
  });
}
