import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { openRedisState, type RedisStateOptions } from "./redis-options.js";
import type { StickyStore } from "./types.js";

/** Options of `createRedisHuntStore`. */
export type RedisHuntStoreOptions = RedisStateOptions<StickyStore>;

/**
 * The store of hunts shared through Redis: `GET` and `SET … PX ttl` on `${prefix}hunt:${key}`, so
 * that instances behind one load balancer hunt as one. On an error or past `commandTimeoutMs` it
 * uses the fallback (memory) and says so once.
 */
export function createRedisHuntStore(options: RedisHuntStoreOptions): StickyStore {
  const { client, prefix, guard, close } = openRedisState(options, {
    what: "Redis hunt store",
    keySpace: "hunt:",
    component: "redis-hunt-store",
    meanwhile: "hunts are kept in memory (per instance)",
  });
  const fallback = options.fallback ?? createMemoryStickyStore();
  return Object.freeze({
    name: "redis",
    get: (key: string) =>
      guard.run(
        async () => (await client.get(prefix + key)) ?? undefined,
        () => fallback.get(key),
      ),
    set: (key: string, value: string, ttlMs: number) =>
      guard.run(
        async () => {
          await client.set(prefix + key, value, "PX", Math.max(1, Math.ceil(ttlMs)));
        },
        () => fallback.set(key, value, ttlMs),
      ),
    close,
  });
}
