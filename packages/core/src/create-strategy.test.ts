import { describe, expect, it } from "vitest";
import { createStrategy, isStrategyName, STRATEGY_NAMES } from "./create-strategy.js";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import { createMemoryCounter } from "./memory-counter.js";
import { testResponder } from "./testing/fixtures.js";
import type { RoutingStrategy } from "./types.js";

const team = [testResponder("PA"), testResponder("PB")];
const ctx = { route: "default", now: new Date() };

describe("createStrategy", () => {
  it("knows random, round-robin and least-recent", () => {
    expect(STRATEGY_NAMES).toEqual(["random", "round-robin", "least-recent"]);
    expect(createStrategy({ strategy: "least-recent" }).name).toBe("least-recent");
    expect(createStrategy({ strategy: "random" }).name).toBe("random");
    expect(createStrategy({ strategy: "round-robin" }).name).toBe("round-robin");
    expect(isStrategyName("round-robin")).toBe(true);
    expect(isStrategyName("fair")).toBe(false);
  });

  it("throws PDV_ERR_STRATEGY_UNKNOWN naming the allowed values for anything else", () => {
    const attempt = () => createStrategy({ strategy: "fair" });
    expect(attempt).toThrow(PdvError);
    expect(attempt).toThrow(/"fair".*random, round-robin, least-recent/);
    try {
      attempt();
    } catch (error) {
      expect((error as PdvError).code).toBe(CORE_ERROR_CODES.STRATEGY_UNKNOWN);
    }
  });

  it("passes random to random and the counter to round-robin", async () => {
    const random = createStrategy({ strategy: "random" }, { random: () => 0.99 });
    expect((await random.pick(team, ctx)).responder.id).toBe("PB");
    const counter = createMemoryCounter();
    await counter.increment("default");
    const roundRobin = createStrategy({ strategy: "round-robin" }, { counter });
    expect((await roundRobin.pick(team, ctx)).responder.id).toBe("PA"); // n = 2: sorted[0]
  });

  it("returns a ready strategy object as is", () => {
    const custom: RoutingStrategy = {
      name: "first",
      pick: async ([responder]) => {
        const phone = responder?.phones[0];
        if (responder === undefined || phone === undefined) throw new Error("no candidate with a phone");
        return { responder, phone };
      },
    };
    expect(createStrategy({ strategy: custom })).toBe(custom);
  });
});
