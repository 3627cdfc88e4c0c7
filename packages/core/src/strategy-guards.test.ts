import { describe, expect, it } from "vitest";
import { createStrategy, isStrategyName } from "./create-strategy.js";
import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { createRandomStrategy } from "./random.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { withStickyCallers } from "./sticky-callers.js";
import { testResponder } from "./testing/fixtures.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import type { Counter, RoutingStrategy, StickyStore } from "./types.js";

// Guards and logs of the strategies: what a misconfigured or failing dependency leads to.
const [pa, pb, pc] = [testResponder("PA"), testResponder("PB"), testResponder("PC")];
const team = [pa, pb, pc].filter((r) => r !== undefined);
const ctx = (callerId?: string) => ({ route: "support", callerId, now: new Date() });
const ids = async (strategy: RoutingStrategy, n: number, candidates = team) => {
  const out: string[] = [];
  for (let i = 0; i < n; i++) out.push((await strategy.pick(candidates, ctx())).responder.id);
  return out;
};

describe("round-robin", () => {
  it("refuses a counter without increment()", () => {
    expect(() => createRoundRobinStrategy({ counter: { name: "x" } as unknown as Counter })).toThrow(
      expect.objectContaining({
        code: "PDV_ERR_CORE_OPTIONS_INVALID",
        message:
          "invalid round-robin strategy options: counter: expected an object with an increment() method",
      }),
    );
  });

  it("rotates in id order whatever order the candidates come in", async () => {
    const strategy = createRoundRobinStrategy();
    expect(
      await ids(
        strategy,
        3,
        [team[2], team[0], team[1]].filter((r) => r !== undefined),
      ),
    ).toEqual(["PB", "PC", "PA"]);
  });

  it("sorts a longer shuffled list into id order, and leaves a sorted one as it is", async () => {
    const shuffled = ["PF", "PB", "PE", "PA", "PD", "PC", "PG"].map((id) => testResponder(id));
    expect(await ids(createRoundRobinStrategy(), 7, shuffled)).toEqual([
      "PB",
      "PC",
      "PD",
      "PE",
      "PF",
      "PG",
      "PA",
    ]);
    const sorted = ["PA", "PB", "PC"].map((id) => testResponder(id));
    expect(await ids(createRoundRobinStrategy(), 3, sorted)).toEqual(["PB", "PC", "PA"]);
  });

  it.each([Number.NaN, Number.POSITIVE_INFINITY, "3"])(
    "rotates in memory while the counter gives %s, warns once, and says when it works again",
    async (bad) => {
      let broken = 3;
      const counter: Counter = {
        name: "flaky",
        increment: async () => (broken-- > 0 ? (bad as number) : 7),
      };
      const log = createRecordingLogger();
      const strategy = createRoundRobinStrategy({ counter, logger: log });
      expect(new Set(await ids(strategy, 3)).size).toBe(3);
      expect(log.at("warn")).toHaveLength(1);
      expect(log.at("warn")[0]?.msg).toBe("round-robin counter failed; rotating in memory meanwhile");
      expect(log.at("warn")[0]?.fields).toMatchObject({
        strategy: "round-robin",
        counter: "flaky",
        err: { code: "PDV_ERR_ROUTING_COUNTER_FAILED", message: "counter flaky gave a non-number" },
      });
      await ids(strategy, 1);
      expect(log.at("info")).toHaveLength(1);
      expect(log.at("info")[0]?.msg).toBe("round-robin counter works again");
      expect(log.at("info")[0]?.fields).toMatchObject({
        strategy: "round-robin",
        counter: "flaky",
        failedCalls: 3,
      });
    },
  );
});

describe("withStickyCallers", () => {
  const inner = () => createRoundRobinStrategy();
  const store = () => createMemoryStickyStore();

  it.each([
    ["a store without set()", { name: "s", get: async () => undefined }],
    ["a store without get()", { name: "s", set: async () => undefined }],
  ])("refuses %s", (_label, broken) => {
    expect(() =>
      withStickyCallers(inner(), { store: broken as unknown as StickyStore, ttlMs: 1_000 }),
    ).toThrow("invalid sticky callers options: store: expected an object with get() and set() methods");
  });

  it.each([undefined, 0.5, Number.NaN])("refuses a ttlMs of %s", (ttlMs) => {
    expect(() => withStickyCallers(inner(), { store: store(), ttlMs: ttlMs as number })).toThrow(
      /^invalid sticky callers options: ttlMs: expected a number ≥ 1/,
    );
  });

  it("sends a caller whose responder has no number left to someone who has one", async () => {
    const strategy = withStickyCallers(inner(), { store: store(), ttlMs: 60_000 });
    const first = (await strategy.pick(team, ctx("+31201110000"))).responder;
    const without = team.map((r) => (r.id === first.id ? testResponder(r.id, []) : r));
    const next = await strategy.pick(without, ctx("+31201110000"));
    expect(next.responder.id).not.toBe(first.id);
    expect(next.responder.phones).toContain(next.phone);
  });

  it("logs a failing store with the strategy's and the store's names, and its recovery", async () => {
    let failing = true;
    const inner2 = createMemoryStickyStore();
    const flaky: StickyStore = {
      name: "flaky",
      get: (key) => (failing ? Promise.reject(new Error("down")) : inner2.get(key)),
      set: (key, id, ttl) => (failing ? Promise.reject(new Error("down")) : inner2.set(key, id, ttl)),
    };
    const log = createRecordingLogger();
    const strategy = withStickyCallers(inner(), { store: flaky, ttlMs: 60_000, logger: log });
    await strategy.pick(team, ctx("+31201110000"));
    failing = false;
    await strategy.pick(team, ctx("+31201110000"));
    expect(log.at("warn")[0]?.msg).toBe("sticky-caller store failed; routing without stickiness meanwhile");
    expect(log.at("warn")[0]?.fields).toMatchObject({ strategy: "round-robin", store: "flaky" });
    expect(log.at("info")[0]?.msg).toBe("sticky-caller store works again");
    expect(log.at("info")[0]?.fields).toMatchObject({
      strategy: "round-robin",
      store: "flaky",
      failedCalls: 2,
    });
  });

  it("closes the strategy it wraps, and has no close() when that has none", async () => {
    let closed = 0;
    const closable: RoutingStrategy = { ...inner(), close: async () => void closed++ };
    await withStickyCallers(closable, { store: store(), ttlMs: 1_000 }).close?.();
    expect(closed).toBe(1);
    expect(withStickyCallers(inner(), { store: store(), ttlMs: 1_000 }).close).toBeUndefined();
  });
});

describe("createStrategy and the random strategy", () => {
  it("refuses an object without pick(), and null, with PDV_ERR_STRATEGY_UNKNOWN", () => {
    for (const strategy of [{ name: "x" }, null]) {
      expect(() => createStrategy({ strategy: strategy as unknown as RoutingStrategy })).toThrow(
        expect.objectContaining({ code: "PDV_ERR_STRATEGY_UNKNOWN" }),
      );
    }
    expect(isStrategyName("random")).toBe(true);
    expect(isStrategyName("Random")).toBe(false);
  });

  it("hands its random source to the random strategy", async () => {
    const low = createStrategy({ strategy: "random" }, { random: () => 0 });
    const high = createStrategy({ strategy: "random" }, { random: () => 0.999 });
    expect(new Set(await ids(low, 5))).toEqual(new Set(["PA"]));
    expect(new Set(await ids(high, 5))).toEqual(new Set(["PC"]));
  });

  it("refuses a random source that is not a function", () => {
    expect(() => createRandomStrategy({ random: 0.5 as unknown as () => number })).toThrow(
      "invalid random strategy options: random: expected a function",
    );
  });
});
