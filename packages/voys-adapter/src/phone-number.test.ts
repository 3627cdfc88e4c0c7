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

describe("isE164: every boundary of /^\\+[1-9]\\d{6,14}$/", () => {
  it("takes 7 to 15 digits after the plus, and no more or fewer", () => {
    expect(isE164("+1234567")).toBe(true);
    expect(isE164("+123456")).toBe(false);
    expect(isE164("+123456789012345")).toBe(true);
    expect(isE164("+1234567890123456")).toBe(false);
  });

  it("refuses a first digit 0 and anything but digits after the plus", () => {
    expect(isE164("+0234567")).toBe(false);
    expect(isE164("+9234567")).toBe(true);
    expect(isE164("+1234560")).toBe(true);
    expect(isE164("+1234569")).toBe(true);
    for (const odd of ["/", ":", "+", " ", "a", "\u0661"]) {
      expect(isE164(`+12345${odd}7`)).toBe(false);
      expect(isE164(`+${odd}234567`)).toBe(false);
    }
    expect(isE164("-1234567")).toBe(false);
    expect(isE164("")).toBe(false);
  });

  it("agrees with the regular expression on numbers of every shape", () => {
    const e164 = /^\+[1-9]\d{6,14}$/;
    const samples = ["+31612345678", "31612345678", "+3161234567890123", "++31612345678", "+31 612345678"];
    for (let length = 0; length <= 18; length++)
      samples.push(`+${"7".repeat(length)}`, `+0${"7".repeat(length)}`);
    for (const sample of samples) expect(isE164(sample), sample).toBe(e164.test(sample));
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
