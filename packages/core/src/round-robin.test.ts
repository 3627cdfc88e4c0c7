import { describe, expect, it } from "vitest";
import { createMemoryCounter } from "./memory-counter.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { testResponder } from "./testing/fixtures.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import { runStrategyContract } from "./testing/vitest/strategy-contract.js";
import type { Counter } from "./types.js";

runStrategyContract("round-robin (memory)", () => createRoundRobinStrategy(), { rotating: true });

const team = [
  testResponder("PC", ["+31612345003"]),
  testResponder("PA", ["+31612345001", "+31612345011"]),
  testResponder("PB", ["+31612345002"]),
];
const ctx = { route: "support", now: new Date() };

describe("createRoundRobinStrategy", () => {
  it("gives each of 3 responders exactly a third of 3 000 calls, all three in every 3", async () => {
    const strategy = createRoundRobinStrategy();
    const ids: string[] = [];
    for (let i = 0; i < 3_000; i++) ids.push((await strategy.pick(team, ctx)).responder.id);
    const counts = Object.fromEntries(
      ["PA", "PB", "PC"].map((id) => [id, ids.filter((x) => x === id).length]),
    );
    expect(counts).toEqual({ PA: 1_000, PB: 1_000, PC: 1_000 });
    for (let i = 0; i < 3_000; i += 3) expect(new Set(ids.slice(i, i + 3)).size).toBe(3);
  });

  it("follows the contract's formula: sorted[n mod k], phones[⌊n / k⌋ mod p]", async () => {
    const strategy = createRoundRobinStrategy();
    const picks = [];
    for (let i = 0; i < 6; i++) picks.push(await strategy.pick(team, ctx));
    expect(picks.map((p) => `${p.responder.id} ${p.phone}`)).toEqual([
      "PB +31612345002", // n = 1
      "PC +31612345003", // n = 2
      "PA +31612345011", // n = 3: ⌊3/3⌋ = 1, PA's second number
      "PB +31612345002",
      "PC +31612345003",
      "PA +31612345001", // n = 6: ⌊6/3⌋ = 2, back to PA's first number
    ]);
  });

  it("increments the counter once per pick, on the route's key", async () => {
    const keys: string[] = [];
    const inner = createMemoryCounter();
    const counter: Counter = {
      name: "spy",
      increment: (key) => {
        keys.push(key);
        return inner.increment(key);
      },
    };
    const strategy = createRoundRobinStrategy({ counter });
    for (let i = 0; i < 4; i++) await strategy.pick(team, ctx);
    expect(keys).toEqual(["support", "support", "support", "support"]);
  });

  it("rotates in memory, and warns once, while its counter rejects; says when it works again", async () => {
    let broken = true;
    const inner = createMemoryCounter();
    const counter: Counter = {
      name: "flaky",
      increment: (key) => (broken ? Promise.reject(new Error("store down")) : inner.increment(key)),
    };
    const log = createRecordingLogger();
    const strategy = createRoundRobinStrategy({ counter, logger: log });
    const ids: string[] = [];
    for (let i = 0; i < 6; i++) ids.push((await strategy.pick(team, ctx)).responder.id);
    expect(new Set(ids.slice(0, 3)).size).toBe(3);
    expect(log.at("warn")).toHaveLength(1);
    broken = false;
    await strategy.pick(team, ctx);
    await strategy.pick(team, ctx);
    expect(log.at("info")).toHaveLength(1);
  });

  it("treats a counter giving a non-number as failing", async () => {
    const counter = { name: "odd", increment: async () => "7" as unknown as number };
    const log = createRecordingLogger();
    const pick = await createRoundRobinStrategy({ counter, logger: log }).pick(team, ctx);
    expect(pick.responder.id).toBe("PB");
    expect(log.at("warn")[0]?.fields).toMatchObject({ err: { code: "PDV_ERR_ROUTING_COUNTER_FAILED" } });
  });
});
