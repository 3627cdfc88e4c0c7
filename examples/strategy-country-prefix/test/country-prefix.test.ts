import { createMemoryStrategyStore, type StrategyContext, silentLogger } from "@pagerduty-voys/core";
import { runStrategyModuleContract } from "@pagerduty-voys/core/testing/vitest";
import { describe, expect, it } from "vitest";
import createCountryPrefixStrategy, { countryOf, parseOptions } from "../src/index.js";

// The author's one line: the built module against the contract every strategy owes the server.
runStrategyModuleContract(new URL("../dist/index.js", import.meta.url), {
  options: { prefixes: ["31", "32"] },
});

const anna = { id: "PANNA01", name: "Anna (NL)", phones: ["+31612345678"] };
const bert = { id: "PBERT01", name: "Bert (BE)", phones: ["+32470123456"] };
const dirk = { id: "PDIRK01", name: "Dirk (NL, BE)", phones: ["+32470999999", "+31687654321"] };

const context = (options: Record<string, unknown> = {}): StrategyContext => ({
  route: "support",
  options,
  logger: silentLogger,
  now: () => new Date(),
  random: Math.random,
  store: createMemoryStrategyStore(),
});
const call = (callerId?: string) => ({ route: "support", callerId, now: new Date() });

describe("country-prefix strategy", () => {
  it("sends a Belgian caller to the responder in Belgium", async () => {
    const strategy = await createCountryPrefixStrategy(context());
    const pick = await strategy.pick([anna, bert], call("+3221234567"));
    expect(pick).toEqual({ responder: bert, phone: "+32470123456" });
  });

  it("rotates among the responders of the caller's country, on their number in that country", async () => {
    const strategy = await createCountryPrefixStrategy(context());
    const picks = [];
    for (let i = 0; i < 4; i++) picks.push(await strategy.pick([anna, bert, dirk], call("+31201234567")));
    expect(picks.map((p) => `${p.responder.id} ${p.phone}`)).toEqual([
      "PANNA01 +31612345678",
      "PDIRK01 +31687654321",
      "PANNA01 +31612345678",
      "PDIRK01 +31687654321",
    ]);
  });

  it("rotates among everyone when nobody is in the caller's country, or the caller is unknown", async () => {
    const strategy = await createCountryPrefixStrategy(context());
    const ids = [];
    for (const caller of ["+4930123456", undefined, "+4930123456", undefined]) {
      ids.push((await strategy.pick([anna, bert], call(caller))).responder.id);
    }
    expect(ids).toEqual(["PANNA01", "PANNA01", "PBERT01", "PBERT01"]);
  });

  it("reads strategy_options.prefixes, longest first, and refuses what it cannot use", () => {
    expect(parseOptions({ prefixes: ["1", "1242"] }).prefixes).toEqual(["1242", "1"]);
    expect(countryOf("+12425551234", ["1242", "1"])).toBe("1242");
    expect(countryOf("0201234567", ["31"])).toBeUndefined();
    expect(() => parseOptions({ prefixes: "31" })).toThrow(/strategy_options.prefixes/);
    expect(() => parseOptions({ prefixes: ["+31"] })).toThrow(/country calling codes/);
  });
});
