import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { openRedisState, type RedisStateOptions } from "./redis-options.js";
import type { StickyStore } from "./types.js";

/** Options of `createRedisStickyStore`. */
export type RedisStickyStoreOptions = RedisStateOptions<StickyStore>;

/**
 * A sticky-caller store shared through Redis: `GET` and `SET … PX ttl` on `${prefix}sticky:${key}`.
 * On an error or past `commandTimeoutMs` it uses the fallback (memory) and says so once.
 */
export function createRedisStickyStore(options: RedisStickyStoreOptions): StickyStore {
  const { client, prefix, guard, close } = openRedisState(options, {
    what: "Redis sticky store",
    keySpace: "sticky:",
    component: "redis-sticky-store",
    meanwhile: "sticky callers are remembered in memory (per instance)",
  });
  const fallback = options.fallback ?? createMemoryStickyStore();
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
    close,
  });
}
