import type { Counter } from "./types.js";

/** A counter kept in this process's memory: fast, per instance, lost on restart. */
export function createMemoryCounter(): Counter {
  const values = new Map<string, number>();
  return Object.freeze({
    name: "memory",
    async increment(key: string) {
      const value = (values.get(key) ?? 0) + 1;
      values.set(key, value);
      return value;
    },
  });
}
