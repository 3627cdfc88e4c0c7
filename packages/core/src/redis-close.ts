import { withTimeout } from "./command-timeout.js";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import type { RedisCommandClient } from "./redis-guard.js";
import { realTimers } from "./timers.js";

/**
 * Closes a Redis client for shutdown: `QUIT` (bounded by `timeoutMs`), then `disconnect()` so that
 * no reconnection timer is left behind, even while Redis is down. Never rejects.
 */
export async function closeRedisClient(client: RedisCommandClient, timeoutMs = 1_000): Promise<void> {
  try {
    await withTimeout(
      Promise.resolve().then(() => client.quit()),
      timeoutMs,
      realTimers,
      () => {
        return new PdvError(
          CORE_ERROR_CODES.REDIS_TIMEOUT,
          `Redis QUIT did not answer within ${timeoutMs} ms`,
        );
      },
    );
  } catch {
    // Down or slow: disconnecting below is all that is left to do.
  } finally {
    client.disconnect?.();
  }
}
