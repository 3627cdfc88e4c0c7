import { afterEach, beforeEach, describe, expect, it } from "vitest";
import type { Pick, PickContext, Responder, RoutingStrategy } from "../../types.js";
import { frozenList, testResponder, uniqueKey } from "../fixtures.js";

/** Options of `runStrategyContract`. */
export interface StrategyContractOptions {
  /** The strategy rotates (round-robin): also check that every cycle visits every candidate once. */
  readonly rotating?: boolean;
}

const ctx = (route: string, callerId?: string): PickContext => ({ route, callerId, now: new Date() });

function expectAmong(pick: Pick, candidates: readonly Responder[]): void {
  const ids = candidates.map((candidate) => candidate.id);
  expect(ids).toContain(pick.responder.id);
  const chosen = candidates.find((candidate) => candidate.id === pick.responder.id);
  expect(chosen?.phones).toContain(pick.phone);
}

/**
 * The behaviour every `RoutingStrategy` owes its callers (vitest): picks among the candidates,
 * one candidate works, a changing set is followed, an empty set rejects; with `rotating`, every
 * cycle of k picks visits each of k candidates once, and each responder's numbers rotate.
 */
export function runStrategyContract(
  label: string,
  makeStrategy: () => RoutingStrategy | Promise<RoutingStrategy>,
  options: StrategyContractOptions = {},
): void {
  describe(`${label}: RoutingStrategy contract`, () => {
    let strategy: RoutingStrategy;
    beforeEach(async () => {
      strategy = await makeStrategy();
    });
    afterEach(async () => {
      await strategy.close?.();
    });
    const three = frozenList(
      testResponder("A1"),
      testResponder("B2", ["+31612345002", "+31612345012"]),
      testResponder("C3"),
    );

    it("has a name", () => {
      expect(typeof strategy.name).toBe("string");
      expect(strategy.name.length).toBeGreaterThan(0);
    });

    it("always picks a candidate and one of that candidate's numbers", async () => {
      const route = uniqueKey(label);
      for (let i = 0; i < 60; i++) expectAmong(await strategy.pick(three, ctx(route)), three);
    });

    it("never throws on one candidate, and picks it", async () => {
      const route = uniqueKey(label);
      const one = frozenList(testResponder("ONLY", ["+31612340000", "+31612340001"]));
      for (let i = 0; i < 5; i++) expect((await strategy.pick(one, ctx(route))).responder.id).toBe("ONLY");
    });

    it("follows a changing candidate set", async () => {
      const route = uniqueKey(label);
      const sets = [
        three,
        frozenList(testResponder("D4"), testResponder("E5")),
        frozenList(testResponder("F6")),
        three,
      ];
      for (const set of sets) {
        for (let i = 0; i < 7; i++) expectAmong(await strategy.pick(set, ctx(route, "+31201234567")), set);
      }
    });

    it("skips candidates without a phone number", async () => {
      const route = uniqueKey(label);
      const set = frozenList(testResponder("A1", []), testResponder("B2"), testResponder("C3", []));
      for (let i = 0; i < 5; i++) expect((await strategy.pick(set, ctx(route))).responder.id).toBe("B2");
    });

    it("rejects an empty candidate list", async () => {
      await expect(Promise.resolve().then(() => strategy.pick([], ctx(uniqueKey(label))))).rejects.toThrow();
    });

    if (options.rotating) runRotationContract(label, () => strategy, three);
  });
}

function runRotationContract(
  label: string,
  current: () => RoutingStrategy,
  three: readonly Responder[],
): void {
  it("visits every candidate once per cycle", async () => {
    const route = uniqueKey(label);
    for (let cycle = 0; cycle < 5; cycle++) {
      const ids = [];
      for (let i = 0; i < 3; i++) ids.push((await current().pick(three, ctx(route))).responder.id);
      expect(ids.sort()).toEqual(["A1", "B2", "C3"]);
    }
  });

  it("keeps the rotation whatever the order of the candidates", async () => {
    const route = uniqueKey(label);
    const reversed = frozenList(...[...three].reverse());
    const ids = [];
    for (let i = 0; i < 6; i++)
      ids.push((await current().pick(i % 2 ? reversed : three, ctx(route))).responder.id);
    expect(ids.slice(0, 3).sort()).toEqual(["A1", "B2", "C3"]);
    expect(ids.slice(3).sort()).toEqual(["A1", "B2", "C3"]);
  });

  it("rotates each responder's numbers", async () => {
    const route = uniqueKey(label);
    const phones = new Set<string>();
    for (let i = 0; i < 6; i++) {
      const pick = await current().pick(three, ctx(route));
      if (pick.responder.id === "B2") phones.add(pick.phone);
    }
    expect([...phones].sort()).toEqual(["+31612345002", "+31612345012"]);
  });

  it("visits every candidate once per cycle after the set changes", async () => {
    const route = uniqueKey(label);
    await current().pick(three, ctx(route));
    const two = frozenList(testResponder("D4"), testResponder("E5"));
    for (let cycle = 0; cycle < 3; cycle++) {
      const ids = [];
      for (let i = 0; i < 2; i++) ids.push((await current().pick(two, ctx(route))).responder.id);
      expect(ids.sort()).toEqual(["D4", "E5"]);
    }
  });

  it("keeps one rotation per route", async () => {
    const [first, second] = [uniqueKey(label), uniqueKey(label)];
    const ids = [];
    for (let i = 0; i < 3; i++) {
      ids.push((await current().pick(three, ctx(first))).responder.id);
      await current().pick(three, ctx(second));
    }
    expect(ids.sort()).toEqual(["A1", "B2", "C3"]);
  });
}
