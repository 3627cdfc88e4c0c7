import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "./errors.js";
import { createRandomStrategy } from "./random.js";
import { testResponder } from "./testing/fixtures.js";
import { createSeededRandom } from "./testing/seeded-random.js";
import { runStrategyContract } from "./testing/vitest/strategy-contract.js";

runStrategyContract("random", () => createRandomStrategy());

/** Random draws that walk a grid: responder draws cycle through thirds, number draws through halves. */
function gridRandom(): () => number {
  let call = 0;
  return () => {
    const pick = Math.floor(call / 2);
    const isPhoneDraw = call % 2 === 1;
    call += 1;
    return isPhoneDraw ? ((Math.floor(pick / 3) % 2) + 0.5) / 2 : ((pick % 3) + 0.5) / 3;
  };
}

const team = [
  testResponder("PA", ["+31612345001", "+31612345011"]),
  testResponder("PB", ["+31612345002", "+31612345012"]),
  testResponder("PC", ["+31612345003", "+31612345013"]),
];

async function tally(random: () => number, picks: number) {
  const strategy = createRandomStrategy({ random });
  const responders = new Map<string, number>();
  const phones = new Map<string, number>();
  for (let i = 0; i < picks; i++) {
    const pick = await strategy.pick(team, { route: "default", now: new Date() });
    responders.set(pick.responder.id, (responders.get(pick.responder.id) ?? 0) + 1);
    phones.set(pick.phone, (phones.get(pick.phone) ?? 0) + 1);
  }
  return { responders, phones };
}

describe("createRandomStrategy", () => {
  it("maps evenly spread draws to an even spread of responders and numbers", async () => {
    const { responders, phones } = await tally(gridRandom(), 3_000);
    expect(Object.fromEntries(responders)).toEqual({ PA: 1_000, PB: 1_000, PC: 1_000 });
    expect([...phones.values()]).toEqual([500, 500, 500, 500, 500, 500]);
  });

  it("spreads responders within 3% of a third over 30 000 seeded picks", async () => {
    const { responders } = await tally(createSeededRandom(42), 30_000);
    for (const count of responders.values()) expect(Math.abs(count - 10_000)).toBeLessThan(300);
  });

  it("survives a random source that returns 1", async () => {
    const pick = await createRandomStrategy({ random: () => 1 }).pick(team, { route: "r", now: new Date() });
    expect(pick.responder.id).toBe("PC");
    expect(pick.phone).toBe("+31612345013");
  });

  it("rejects an empty list with PDV_ERR_ROUTING_NO_CANDIDATES", async () => {
    await expect(createRandomStrategy().pick([], { route: "r", now: new Date() })).rejects.toMatchObject({
      code: CORE_ERROR_CODES.ROUTING_NO_CANDIDATES,
    });
  });

  it("rejects a random option that is not a function", () => {
    expect(() => createRandomStrategy({ random: 4 as never })).toThrow(/random: expected a function/);
  });
});
