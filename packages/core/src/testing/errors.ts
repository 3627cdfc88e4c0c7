/** Error codes of the test support (`/testing` entry only, kept out of the production registry). */
export const TESTING_ERROR_CODES = {
  /** `startRedisServer` could not find the `redis-server` binary. */
  REDIS_SERVER_MISSING: "PDV_ERR_TESTING_REDIS_SERVER_MISSING",
  /** `startRedisServer` started a process that did not answer PING, or exited. */
  REDIS_SERVER_FAILED: "PDV_ERR_TESTING_REDIS_SERVER_FAILED",
} as const;

/** One of the test support's error codes. */
export type TestingErrorCode = (typeof TESTING_ERROR_CODES)[keyof typeof TESTING_ERROR_CODES];
