import { openRedisState, type RedisStateOptions } from "./redis-options.js";
import { defineRedisScript } from "./redis-script.js";
import { createMemoryStrategyStore } from "./strategy-store.js";
import type { StrategyStore } from "./strategy-types.js";

/** Options of `createRedisStrategyStore`. */
export type RedisStrategyStoreOptions = RedisStateOptions<StrategyStore>;

const INCR = defineRedisScript(`
local value = redis.call('INCR', KEYS[1])
if tonumber(ARGV[1]) > 0 then redis.call('PEXPIRE', KEYS[1], ARGV[1]) end
return value
`);

const SET = defineRedisScript(`
if tonumber(ARGV[2]) > 0 then redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
else redis.call('SET', KEYS[1], ARGV[1]) end
return 1
`);

const ttlOf = (ttlMs: number | undefined): number =>
  ttlMs === undefined || !Number.isFinite(ttlMs) ? 0 : Math.max(1, Math.ceil(ttlMs));

/**
 * The strategy store shared through Redis: keys at `${prefix}store:${key}`; `incr` with a TTL is one
 * Lua script (atomic). On an error or past `commandTimeoutMs` it uses the fallback (memory) and says so once.
 */
export function createRedisStrategyStore(options: RedisStrategyStoreOptions): StrategyStore {
  const { client, prefix, guard } = openRedisState(options, {
    what: "Redis strategy store",
    keySpace: "store:",
    component: "redis-strategy-store",
    meanwhile: "strategy modules keep their state in memory (per instance)",
  });
  const fallback = options.fallback ?? createMemoryStrategyStore();
  return Object.freeze({
    name: "redis",
    get: (key: string) =>
      guard.run(
        async () => (await client.get(prefix + key)) ?? undefined,
        () => fallback.get(key),
      ),
    set: (key: string, value: string, ttlMs?: number) =>
      guard.run(
        async () => {
          await SET.run(client, [prefix + key], [String(value), ttlOf(ttlMs)]);
        },
        () => fallback.set(key, value, ttlMs),
      ),
    incr: (key: string, ttlMs?: number) =>
      guard.run(
        async () => Number(await INCR.run(client, [prefix + key], [ttlOf(ttlMs)])),
        () => fallback.incr(key, ttlMs),
      ),
  });
}
