import { describe, expect, it } from "vitest";
import { isE164, normalizeVoysNumber } from "./phone-number.js";

describe("normalizeVoysNumber", () => {
  it.each([
    ["+31208888888", "+31208888888"],
    ["+31 20 888 8888", "+31208888888"],
    ["+31 (0)20-888.8888", "+31208888888"],
    ["0031208888888", "+31208888888"],
    ["31208888888", "+31208888888"],
    [" 31208888888", "+31208888888"],
    ["020 888 8888", undefined],
    ["anonymous", undefined],
    ["", undefined],
    ["+", undefined],
    ["+1234", undefined],
    ["1".repeat(40), undefined],
  ])("%j → %j", (raw, expected) => {
    expect(normalizeVoysNumber(raw)).toBe(expected);
  });

  it("returns undefined for undefined", () => {
    expect(normalizeVoysNumber(undefined)).toBeUndefined();
  });
});

describe("isE164", () => {
  it("accepts international numbers and refuses anything else", () => {
    expect(isE164("+31612345678")).toBe(true);
    expect(isE164("+1 555 0100")).toBe(false);
    expect(isE164("31612345678")).toBe(false);
    expect(isE164("+3161234567890123")).toBe(false);
  });
});

describe("normalizeVoysNumber and isE164: the edges", () => {
  it("refuses text around a number, national and empty numbers", () => {
    expect(isE164("a+31612345678")).toBe(false);
    expect(isE164("+31612345678a")).toBe(false);
    for (const raw of ["", "   ", "+", "00", "0612345678", "0 20 888 8888", "+0612345678"]) {
      expect(normalizeVoysNumber(raw)).toBeUndefined();
    }
  });

  it("reads spaces and tabs around a number, and refuses one that is too long", () => {
    expect(normalizeVoysNumber(" \t+31 20 888 8888\n")).toBe("+31208888888");
    expect(normalizeVoysNumber("0031208888888")).toBe("+31208888888");
    expect(normalizeVoysNumber("+1234567890123456")).toBeUndefined();
    expect(normalizeVoysNumber(`+31${"2".repeat(30)}`)).toBeUndefined();
  });
});
