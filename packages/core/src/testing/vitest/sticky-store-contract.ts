import { setTimeout as sleep } from "node:timers/promises";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { StickyStore } from "../../types.js";
import { uniqueKey } from "../fixtures.js";

/**
 * The behaviour every `StickyStore` owes sticky callers (vitest): unknown keys give undefined, the
 * last write wins, keys are independent, and entries expire after their time to live.
 */
export function runStickyStoreContract(
  label: string,
  makeStore: () => StickyStore | Promise<StickyStore>,
): void {
  describe(`${label}: StickyStore contract`, () => {
    let store: StickyStore;
    beforeEach(async () => {
      store = await makeStore();
    });
    afterEach(async () => {
      await store.close?.();
    });

    it("has a name", () => {
      expect(typeof store.name).toBe("string");
      expect(store.name.length).toBeGreaterThan(0);
    });

    it("gives undefined for an unknown key", async () => {
      expect(await store.get(uniqueKey(label))).toBeUndefined();
    });

    it("gives back what was set, and the last write wins", async () => {
      const key = uniqueKey(label);
      await store.set(key, "PUSER01", 60_000);
      expect(await store.get(key)).toBe("PUSER01");
      await store.set(key, "PUSER02", 60_000);
      expect(await store.get(key)).toBe("PUSER02");
    });

    it("keeps keys apart", async () => {
      const [first, second] = [uniqueKey(label), uniqueKey(label)];
      await store.set(first, "PUSER01", 60_000);
      await store.set(second, "PUSER02", 60_000);
      expect(await store.get(first)).toBe("PUSER01");
      expect(await store.get(second)).toBe("PUSER02");
    });

    it("forgets an entry once its time to live has passed", async () => {
      const key = uniqueKey(label);
      await store.set(key, "PUSER01", 30);
      await sleep(120);
      expect(await store.get(key)).toBeUndefined();
    });
  });
}
