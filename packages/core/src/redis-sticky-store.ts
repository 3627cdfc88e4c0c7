import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { openRedisState, type RedisStateKind, type RedisStateOptions } from "./redis-options.js";
import type { StickyStore } from "./types.js";

/** Options of `createRedisStickyStore`. */
export type RedisStickyStoreOptions = RedisStateOptions<StickyStore>;

/**
 * A sticky-caller store shared through Redis: `GET` and `SET … PX ttl` on `${prefix}sticky:${key}`.
 * On an error or past `commandTimeoutMs` it uses the fallback (memory) and says so once.
 */
export function createRedisStickyStore(options: RedisStickyStoreOptions): StickyStore {
  return createRedisTtlStore(options, {
    what: "Redis sticky store",
    keySpace: "sticky:",
    component: "redis-sticky-store",
    meanwhile: "sticky callers are remembered in memory (per instance)",
  });
}

/**
 * A key-value store with expiry on Redis (`GET`, `SET … PX ttl` under `kind.keySpace`), falling back
 * to `options.fallback` (memory) on errors: sticky callers and hunts are both kept this way.
 */
export function createRedisTtlStore(options: RedisStickyStoreOptions, kind: RedisStateKind): StickyStore {
  const { client, prefix, guard, close } = openRedisState(options, kind);
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
