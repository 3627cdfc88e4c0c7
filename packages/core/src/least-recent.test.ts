import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import { createMemoryLastCallStore, type LastCallStore } from "./last-call-store.js";
import { createLeastRecentStrategy } from "./least-recent.js";
import { frozenList, testResponder } from "./testing/fixtures.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import { runStrategyContract } from "./testing/vitest/strategy-contract.js";

runStrategyContract("least-recent (memory)", () => createLeastRecentStrategy(), { rotating: true });

const ctx = { route: "support", now: new Date() };
const a = testResponder("PA", ["+31612345001", "+31612345011"]);
const b = testResponder("PB");
const c = testResponder("PC");

async function picks(
  strategy: ReturnType<typeof createLeastRecentStrategy>,
  set: readonly (typeof a)[],
  n: number,
) {
  const ids: string[] = [];
  for (let i = 0; i < n; i++) ids.push((await strategy.pick(set, ctx)).responder.id);
  return ids;
}

describe("createLeastRecentStrategy", () => {
  it("starts with the lowest user id (never called, ties by id) and then rotates", async () => {
    const strategy = createLeastRecentStrategy();
    expect(await picks(strategy, frozenList(c, a, b), 6)).toEqual(["PA", "PB", "PC", "PA", "PB", "PC"]);
  });

  it("gives a newcomer to the shift the next call", async () => {
    const strategy = createLeastRecentStrategy();
    await picks(strategy, frozenList(a, b), 3); // PA PB PA
    const newcomer = testResponder("PZ");
    expect(await picks(strategy, frozenList(a, b, newcomer), 3)).toEqual(["PZ", "PB", "PA"]);
  });

  it("does not give two calls in a row to someone when another leaves", async () => {
    const strategy = createLeastRecentStrategy();
    expect(await picks(strategy, frozenList(a, b, c), 2)).toEqual(["PA", "PB"]);
    // PC leaves: PA (called longest ago) is next, not PB again.
    expect(await picks(strategy, frozenList(a, b), 2)).toEqual(["PA", "PB"]);
    // PC comes back: never called, so first.
    expect(await picks(strategy, frozenList(a, b, c), 3)).toEqual(["PC", "PA", "PB"]);
  });

  it("rotates a responder's numbers with their own calls", async () => {
    const strategy = createLeastRecentStrategy();
    const phones: string[] = [];
    for (let i = 0; i < 4; i++) phones.push((await strategy.pick(frozenList(a, b), ctx)).phone);
    expect(phones).toEqual(["+31612345001", b.phones[0], "+31612345011", b.phones[0]]);
  });

  it("keeps routes apart", async () => {
    const strategy = createLeastRecentStrategy();
    await strategy.pick(frozenList(a, b), { ...ctx, route: "one" });
    expect((await strategy.pick(frozenList(a, b), { ...ctx, route: "two" })).responder.id).toBe("PA");
  });

  it("falls back to memory (logging once) when its store rejects, and still answers", async () => {
    const logger = createRecordingLogger();
    const failing: LastCallStore = { name: "broken", claim: () => Promise.reject(new Error("down")) };
    const strategy = createLeastRecentStrategy({ store: failing, logger });
    expect(await picks(strategy, frozenList(a, b), 4)).toEqual(["PA", "PB", "PA", "PB"]);
    expect(logger.lines.filter((line) => line.level === "warn")).toHaveLength(1);
  });

  it("a memory store rejects a claim among no ids with PDV_ERR_ROUTING_NO_CANDIDATES", async () => {
    const claim = createMemoryLastCallStore().claim("r", []);
    await expect(claim).rejects.toThrow(PdvError);
    await expect(claim).rejects.toMatchObject({ code: CORE_ERROR_CODES.ROUTING_NO_CANDIDATES });
  });
});
