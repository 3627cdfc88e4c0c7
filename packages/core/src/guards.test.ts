import { describe, expect, it } from "vitest";
import { assertNoProblems, describeError } from "./errors.js";
import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { maskPhoneNumber } from "./phone-mask.js";
import { buildShiftIndex, selectorKey } from "./shift-index.js";
import { testResponder, testShift } from "./testing/fixtures.js";
import { checkFunction, checkNumber } from "./validate.js";

describe("checkNumber and checkFunction", () => {
  const problemsOf = (check: (problems: string[]) => void): string[] => {
    const problems: string[] = [];
    check(problems);
    return problems;
  };

  it("accepts the minimum itself and refuses what is below, not finite or not a number", () => {
    expect(problemsOf((p) => checkNumber(p, "n", 5, 5))).toEqual([]);
    expect(problemsOf((p) => checkNumber(p, "n", undefined, 5))).toEqual([]);
    expect(problemsOf((p) => checkNumber(p, "n", 4.9, 5))).toEqual(["n: expected a number ≥ 5, got 4.9"]);
    for (const bad of [Number.NaN, Number.POSITIVE_INFINITY, "6"]) {
      expect(problemsOf((p) => checkNumber(p, "n", bad, 5))).toHaveLength(1);
    }
    expect(problemsOf((p) => checkNumber(p, "n", undefined, 5, false))).toHaveLength(1);
  });

  it("accepts a function, and undefined unless required", () => {
    expect(problemsOf((p) => checkFunction(p, "f", () => 1))).toEqual([]);
    expect(problemsOf((p) => checkFunction(p, "f", undefined))).toEqual([]);
    expect(problemsOf((p) => checkFunction(p, "f", undefined, false))).toEqual(["f: expected a function"]);
    expect(problemsOf((p) => checkFunction(p, "f", 1))).toEqual(["f: expected a function"]);
  });
});

describe("describeError and assertNoProblems", () => {
  it("describes strings and other thrown values", () => {
    expect(describeError("boom", "FALLBACK")).toEqual({ code: "FALLBACK", message: "boom" });
    expect(describeError(42, "FALLBACK")).toEqual({ code: "FALLBACK", message: "non-error value thrown" });
  });

  it("lists every problem in one message", () => {
    expect(() => assertNoProblems("x", ["a: bad", "b: worse"])).toThrow(
      "invalid x options: a: bad; b: worse",
    );
  });
});

describe("createMemoryStickyStore options", () => {
  it("names each bad option", () => {
    expect(() => createMemoryStickyStore({ now: 1 as unknown as () => Date, maxEntries: 0 })).toThrow(
      "invalid memory sticky store options: now: expected a function; maxEntries: expected a number ≥ 1, got 0",
    );
  });
});

describe("maskPhoneNumber at its edges", () => {
  it.each([
    ["01234567", "0••••567"],
    ["1234", "••••"],
    ["12", "•••"],
    [" +31612345111 ", "+31 6•••••111"],
    ["+", "•••"],
    ["+abc", "•••"],
    ["+316123", "+31 ••••"],
    ["+31612", "+•••••"],
  ])("%j → %j", (raw, masked) => {
    expect(maskPhoneNumber(raw)).toBe(masked);
  });
});

describe("buildShiftIndex", () => {
  it("orders a group by responder id, then start (no start first)", () => {
    const [a, b] = [testResponder("PA"), testResponder("PB")];
    const at = (h: number) => new Date(Date.UTC(2026, 2, 2, h));
    const index = buildShiftIndex([
      testShift(b),
      testShift(a, { start: at(12) }),
      testShift(a),
      testShift(a, { start: at(10) }),
    ]);
    const group = index.get(selectorKey({ policyId: "PPOL1", level: 1 })) ?? [];
    expect(group.map((s) => [s.responder.id, s.start?.getUTCHours() ?? null])).toEqual([
      ["PA", null],
      ["PA", 10],
      ["PA", 12],
      ["PB", null],
    ]);
  });
});
