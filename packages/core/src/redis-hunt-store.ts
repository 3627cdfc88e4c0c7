import type { RedisStateOptions } from "./redis-options.js";
import { createRedisTtlStore } from "./redis-sticky-store.js";
import type { StickyStore } from "./types.js";

/** Options of `createRedisHuntStore`. */
export type RedisHuntStoreOptions = RedisStateOptions<StickyStore>;

/**
 * The store of hunts shared through Redis: `GET` and `SET … PX ttl` on `${prefix}hunt:${key}`, so
 * that instances behind one load balancer hunt as one. On an error or past `commandTimeoutMs` it
 * uses the fallback (memory) and says so once.
 */
export function createRedisHuntStore(options: RedisHuntStoreOptions): StickyStore {
  return createRedisTtlStore(options, {
    what: "Redis hunt store",
    keySpace: "hunt:",
    component: "redis-hunt-store",
    meanwhile: "hunts are kept in memory (per instance)",
  });
}
