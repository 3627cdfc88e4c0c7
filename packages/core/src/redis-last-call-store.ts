import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import {
  createMemoryLastCallStore,
  type LastCallClaim,
  type LastCallStore,
  noCandidateIds,
} from "./last-call-store.js";
import { openRedisState, type RedisStateOptions } from "./redis-options.js";
import { defineRedisScript } from "./redis-script.js";

/** Options of `createRedisLastCallStore`. */
export interface RedisLastCallStoreOptions extends RedisStateOptions<LastCallStore> {
  /** How long a route's hash lives after its last call. Default 30 days. */
  readonly ttlMs?: number;
}

// One hash per route: `#seq` (the route's call sequence), `l:<id>` (sequence of id's last call),
// `n:<id>` (id's calls). Choosing and recording happen in one script, so two instances never hand
// the same "least recent" responder two calls in a row.
const CLAIM = defineRedisScript(`
local best, bestSeq = nil, nil
for i = 2, #ARGV do
  local seq = tonumber(redis.call('HGET', KEYS[1], 'l:' .. ARGV[i]) or '0')
  if best == nil or seq < bestSeq then best, bestSeq = ARGV[i], seq end
end
local seq = redis.call('HINCRBY', KEYS[1], '#seq', 1)
redis.call('HSET', KEYS[1], 'l:' .. best, seq)
local calls = redis.call('HINCRBY', KEYS[1], 'n:' .. best, 1)
redis.call('PEXPIRE', KEYS[1], ARGV[1])
return {best, calls}
`);

function parseClaim(reply: unknown): LastCallClaim {
  if (Array.isArray(reply) && typeof reply[0] === "string" && Number.isFinite(Number(reply[1]))) {
    return { id: reply[0], calls: Number(reply[1]) };
  }
  throw new PdvError(CORE_ERROR_CODES.REDIS_COMMAND_FAILED, "least-recent script gave an unexpected reply");
}

/**
 * A last-call store shared by every instance through Redis (one hash per route at
 * `${prefix}lr:${route}`, decided by one Lua script). On an error or past `commandTimeoutMs` it
 * answers from the fallback (memory), which every Redis answer keeps in step, and says so once.
 */
export function createRedisLastCallStore(options: RedisLastCallStoreOptions): LastCallStore {
  const { client, prefix, guard, close } = openRedisState(options, {
    what: "Redis last-call store",
    keySpace: "lr:",
    component: "redis-last-call-store",
    meanwhile: "least-recent orders calls in memory (per instance)",
  });
  const fallback = options.fallback ?? createMemoryLastCallStore();
  const ttlMs = Math.max(1, Math.round(options.ttlMs ?? 30 * 24 * 3_600_000));
  return Object.freeze({
    name: "redis",
    claim: (route: string, ids: readonly string[]) => {
      if (ids.length === 0) return Promise.reject(noCandidateIds());
      return guard.run(
        async () => {
          const claimed = parseClaim(await CLAIM.run(client, [prefix + route], [ttlMs, ...ids]));
          fallback.record?.(route, claimed.id);
          return claimed;
        },
        () => fallback.claim(route, ids),
      );
    },
    close,
  });
}
