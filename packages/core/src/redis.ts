export type { RedisClientOptions } from "./redis-client.js";
export { checkRedisUrl, createRedisClient, redactRedisUrl } from "./redis-client.js";
export { closeRedisClient } from "./redis-close.js";
export type { RedisCounterOptions } from "./redis-counter.js";
export { createRedisCounter } from "./redis-counter.js";
export type { RedisCommandClient } from "./redis-guard.js";
export { DEFAULT_COMMAND_TIMEOUT_MS, DEFAULT_REDIS_PREFIX, type RedisStateOptions } from "./redis-options.js";
export type { RedisStickyStoreOptions } from "./redis-sticky-store.js";
export { createRedisStickyStore } from "./redis-sticky-store.js";
