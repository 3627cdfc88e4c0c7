import { assertNoProblems } from "./errors.js";
import type { StickyStore } from "./types.js";
import { checkFunction, checkNumber } from "./validate.js";

/** Options of `createMemoryStickyStore`. */
export interface MemoryStickyStoreOptions {
  /** The clock for expiry. Default `() => new Date()`. */
  readonly now?: () => Date;
  /** Most entries kept; the oldest go first beyond it. Default 100 000. */
  readonly maxEntries?: number;
}

/**
 * A sticky-caller store in this process's memory, with expiry. Entries are kept in write order, so
 * expired ones are dropped from the front on every write, and memory stays bounded by `maxEntries`.
 */
export function createMemoryStickyStore(options: MemoryStickyStoreOptions = {}): StickyStore {
  const problems: string[] = [];
  checkFunction(problems, "now", options.now);
  checkNumber(problems, "maxEntries", options.maxEntries, 1);
  assertNoProblems("memory sticky store", problems);
  const now = options.now ?? (() => new Date());
  const maxEntries = options.maxEntries ?? 100_000;
  const entries = new Map<string, { readonly responderId: string; readonly expiresAt: number }>();

  const prune = (at: number): void => {
    for (const [key, entry] of entries) {
      if (entry.expiresAt > at && entries.size <= maxEntries) break;
      entries.delete(key);
    }
  };

  return Object.freeze({
    name: "memory",
    async get(key: string) {
      const entry = entries.get(key);
      if (entry === undefined) return undefined;
      if (entry.expiresAt > now().getTime()) return entry.responderId;
      entries.delete(key);
      return undefined;
    },
    async set(key: string, responderId: string, ttlMs: number) {
      const at = now().getTime();
      entries.delete(key);
      entries.set(key, { responderId, expiresAt: at + ttlMs });
      prune(at);
    },
  });
}
