import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Counter } from "../../types.js";
import { uniqueKey } from "../fixtures.js";

/**
 * The behaviour every `Counter` owes round-robin (vitest): a fresh key counts 1, 2, 3…, keys are
 * independent, and concurrent increments never hand out the same value twice.
 */
export function runCounterContract(label: string, makeCounter: () => Counter | Promise<Counter>): void {
  describe(`${label}: Counter contract`, () => {
    let counter: Counter;
    beforeEach(async () => {
      counter = await makeCounter();
    });
    afterEach(async () => {
      await counter.close?.();
    });

    it("has a name", () => {
      expect(typeof counter.name).toBe("string");
      expect(counter.name.length).toBeGreaterThan(0);
    });

    it("counts a fresh key from 1, one by one", async () => {
      const key = uniqueKey(label);
      const values = [];
      for (let i = 0; i < 5; i++) values.push(await counter.increment(key));
      expect(values).toEqual([1, 2, 3, 4, 5]);
    });

    it("keeps keys apart", async () => {
      const [first, second] = [uniqueKey(label), uniqueKey(label)];
      await counter.increment(first);
      await counter.increment(first);
      expect(await counter.increment(second)).toBe(1);
      expect(await counter.increment(first)).toBe(3);
    });

    it("never hands out a value twice under concurrency", async () => {
      const key = uniqueKey(label);
      const values = await Promise.all(Array.from({ length: 50 }, () => counter.increment(key)));
      expect([...values].sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    });
  });
}
