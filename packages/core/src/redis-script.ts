import { createHash } from "node:crypto";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import type { RedisCommandClient } from "./redis-guard.js";

/** A Lua script with its SHA1, run with `EVALSHA` and, when the server has not cached it, `EVAL`. */
export interface RedisScript {
  /** Runs the script with these keys and arguments. */
  run(
    client: RedisCommandClient,
    keys: readonly string[],
    args: readonly (string | number)[],
  ): Promise<unknown>;
}

/** Prepares a Lua script (after a failover the new master may not have it cached: NOSCRIPT → EVAL). */
export function defineRedisScript(source: string): RedisScript {
  const sha = createHash("sha1").update(source).digest("hex");
  return {
    async run(client, keys, args) {
      const { evalsha, eval: evalScript } = client;
      if (typeof evalsha !== "function" || typeof evalScript !== "function") {
        throw new PdvError(CORE_ERROR_CODES.REDIS_COMMAND_FAILED, "the Redis client cannot run scripts");
      }
      try {
        return await evalsha.call(client, sha, keys.length, ...keys, ...args);
      } catch (error) {
        if (!(error instanceof Error) || !error.message.startsWith("NOSCRIPT")) throw error;
        return evalScript.call(client, source, keys.length, ...keys, ...args);
      }
    },
  };
}
