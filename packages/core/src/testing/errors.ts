/** Error codes of the test support (`/testing` entry only, kept out of the production registry). */
export const TESTING_ERROR_CODES = {
  /** `startRedisServer` could not find the `redis-server` binary. */
  REDIS_SERVER_MISSING: "PDV_ERR_TESTING_REDIS_SERVER_MISSING",
  /** `startRedisServer` started a process that did not answer PING, or exited. */
  REDIS_SERVER_FAILED: "PDV_ERR_TESTING_REDIS_SERVER_FAILED",
  /** `startRedisSentinelSet` (or its `failover()`) waited longer than its timeout for Redis to get there. */
  REDIS_SENTINEL_TIMEOUT: "PDV_ERR_TESTING_REDIS_SENTINEL_TIMEOUT",
  /** `findFreePort` got no TCP port from the system. */
  NO_FREE_PORT: "PDV_ERR_TESTING_NO_FREE_PORT",
} as const;

/** One of the test support's error codes. */
export type TestingErrorCode = (typeof TESTING_ERROR_CODES)[keyof typeof TESTING_ERROR_CODES];
