import { describe, expect, it } from "vitest";
import { createMemoryCounter } from "./memory-counter.js";
import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { createManualClock } from "./testing/manual-clock.js";
import { runCounterContract } from "./testing/vitest/counter-contract.js";
import { runStickyStoreContract } from "./testing/vitest/sticky-store-contract.js";

runCounterContract("memory counter", () => createMemoryCounter());
runStickyStoreContract("memory sticky store", () => createMemoryStickyStore());

describe("createMemoryStickyStore", () => {
  it("expires entries exactly at their time to live, by the injected clock", async () => {
    const clock = createManualClock();
    const store = createMemoryStickyStore({ now: clock.now });
    await store.set("k", "PA", 1_000);
    await clock.advance(999);
    expect(await store.get("k")).toBe("PA");
    await clock.advance(1);
    expect(await store.get("k")).toBeUndefined();
  });

  it("stays within maxEntries, dropping the oldest first", async () => {
    const store = createMemoryStickyStore({ maxEntries: 2 });
    await store.set("a", "PA", 60_000);
    await store.set("b", "PB", 60_000);
    await store.set("a", "PA2", 60_000);
    await store.set("c", "PC", 60_000);
    expect([await store.get("a"), await store.get("b"), await store.get("c")]).toEqual([
      "PA2",
      undefined,
      "PC",
    ]);
  });
});
