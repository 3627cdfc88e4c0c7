import { describe, expect, it } from "vitest";
import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { withStickyCallers } from "./sticky-callers.js";
import { testResponder } from "./testing/fixtures.js";
import { createManualClock } from "./testing/manual-clock.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import { runStrategyContract } from "./testing/vitest/strategy-contract.js";
import type { StickyStore } from "./types.js";

runStrategyContract("round-robin with sticky callers", () =>
  withStickyCallers(createRoundRobinStrategy(), { store: createMemoryStickyStore(), ttlMs: 60_000 }),
);

const team = [
  testResponder("PA", ["+31612345001", "+31612345011"]),
  testResponder("PB", ["+31612345002"]),
  testResponder("PC", ["+31612345003"]),
];

function setup(store?: StickyStore) {
  const clock = createManualClock();
  const log = createRecordingLogger();
  const sticky = store ?? createMemoryStickyStore({ now: clock.now });
  const strategy = withStickyCallers(createRoundRobinStrategy(), {
    store: sticky,
    ttlMs: 30 * 60_000,
    logger: log,
  });
  const call = async (callerId?: string, candidates = team) =>
    (await strategy.pick(candidates, { route: "support", callerId, now: clock.now() })).responder.id;
  return { clock, log, strategy, call };
}

describe("withStickyCallers", () => {
  it("sends a caller back to the responder they reached last, while other callers rotate", async () => {
    const { call } = setup();
    const first = await call("+31201110000");
    const others = [await call("+31202220000"), await call("+31203330000")];
    expect(await call("+31201110000")).toBe(first);
    expect(new Set([first, ...others]).size).toBe(3);
  });

  it("uses the remembered responder's preferred number", async () => {
    const { strategy } = setup();
    const ctx = { route: "r", callerId: "+31200000000", now: new Date() };
    const picks = [];
    for (let i = 0; i < 4; i++) picks.push(await strategy.pick(team, ctx));
    const preferred = picks[0]?.responder.phones[0];
    expect(preferred).toBeDefined();
    expect(picks.slice(1).map((p) => p.phone)).toEqual([preferred, preferred, preferred]);
  });

  it("forgets a caller after ttlMs", async () => {
    const { call, clock } = setup();
    const first = await call("+31201110000");
    await clock.advance(30 * 60_000);
    expect(await call("+31201110000")).not.toBe(first);
  });

  it("lets the strategy decide when the remembered responder is no longer on call", async () => {
    const { call } = setup();
    const first = await call("+31201110000");
    const rest = team.filter((r) => r.id !== first);
    expect(rest.map((r) => r.id)).toContain(await call("+31201110000", rest));
  });

  it("keeps routes apart and ignores calls without a caller id", async () => {
    const keys: string[] = [];
    const inner = createMemoryStickyStore();
    const store: StickyStore = {
      name: "spy",
      get: (k) => {
        keys.push(k);
        return inner.get(k);
      },
      set: (k, v, t) => inner.set(k, v, t),
    };
    const { call } = setup(store);
    await call(undefined);
    await call("+31201110000");
    expect(keys).toEqual(["support:+31201110000"]);
  });

  it("still picks when the store fails, and warns once", async () => {
    const store: StickyStore = {
      name: "broken",
      get: () => Promise.reject(new Error("gone")),
      set: () => Promise.reject(new Error("gone")),
    };
    const { call, log } = setup(store);
    const ids = [await call("+31201110000"), await call("+31201110000"), await call("+31201110000")];
    expect(new Set(ids).size).toBe(3);
    expect(log.at("warn")).toHaveLength(1);
  });

  it("rejects a missing store or ttl", () => {
    expect(() =>
      withStickyCallers(createRoundRobinStrategy(), { store: undefined as never, ttlMs: 0 }),
    ).toThrow(/store.*ttlMs/);
  });
});
