import { assertNoProblems } from "./errors.js";
import type { StrategyStore } from "./strategy-types.js";
import { checkFunction, checkNumber } from "./validate.js";

/** Options of `createMemoryStrategyStore`. */
export interface MemoryStrategyStoreOptions {
  /** The clock for expiry. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Most keys kept; the oldest written go first beyond it. Default 100 000. */
  readonly maxEntries?: number;
}

interface Entry {
  readonly value: string;
  readonly expiresAt: number;
}

/** A {@link StrategyStore} in this process's memory (per instance, lost on restart), with expiry. */
export function createMemoryStrategyStore(options: MemoryStrategyStoreOptions = {}): StrategyStore {
  const problems: string[] = [];
  checkFunction(problems, "now", options.now);
  checkNumber(problems, "maxEntries", options.maxEntries, 1);
  assertNoProblems("memory strategy store", problems);
  const now = options.now ?? (() => new Date());
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, Entry>();
  const read = (key: string, at: number): string | undefined => {
    const entry = entries.get(key);
    if (entry === undefined) return undefined;
    if (entry.expiresAt > at) return entry.value;
    entries.delete(key);
    return undefined;
  };
  const write = (key: string, value: string, ttlMs: number | undefined, at: number): void => {
    entries.delete(key);
    entries.set(key, { value, expiresAt: ttlMs === undefined ? Number.POSITIVE_INFINITY : at + ttlMs });
    for (const oldest of entries.keys()) {
      if (entries.size <= maxEntries) break;
      entries.delete(oldest);
    }
  };
  return Object.freeze({
    name: "memory",
    async get(key: string) {
      return read(key, now().getTime());
    },
    async set(key: string, value: string, ttlMs?: number) {
      write(key, String(value), ttlMs, now().getTime());
    },
    async incr(key: string, ttlMs?: number) {
      const at = now().getTime();
      const current = Number(read(key, at) ?? 0);
      const value = (Number.isFinite(current) ? Math.trunc(current) : 0) + 1;
      write(key, String(value), ttlMs, at);
      return value;
    },
  });
}

/** A view of `store` whose keys are all prefixed with `${scope}:` (the server gives each route its own). */
export function scopeStrategyStore(store: StrategyStore, scope: string): StrategyStore {
  const prefix = `${scope}:`;
  return Object.freeze({
    name: store.name,
    get: (key: string) => store.get(prefix + key),
    set: (key: string, value: string, ttlMs?: number) => store.set(prefix + key, value, ttlMs),
    incr: (key: string, ttlMs?: number) => store.incr(prefix + key, ttlMs),
  });
}
