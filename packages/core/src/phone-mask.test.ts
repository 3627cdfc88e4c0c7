import { describe, expect, it } from "vitest";
import { maskPhoneNumber } from "./phone-mask.js";

const visibleDigits = (masked: string): number => masked.replace(/\D/g, "").length;

describe("maskPhoneNumber", () => {
  it.each([
    ["+31612345111", "+31 6•••••111"],
    ["+31201234567", "+31 2•••••567"],
    ["+14155550123", "+1 4••••••123"],
    ["+447911123456", "+44 7••••••456"],
    ["+353871234567", "+353 8•••••567"],
    ["+31 6 1234 5111", "+31 6•••••111"],
    ["0031612345111", "+31 6•••••111"],
    ["0612345111", "0••••••111"],
    ["12345", "•••45"],
    ["112", "•••"],
    ["+3161", "+••••"],
    ["anonymous", "•••"],
    ["", "•••"],
  ])("masks %s as %s", (input, expected) => {
    expect(maskPhoneNumber(input)).toBe(expected);
  });

  it("never shows the middle of a number", () => {
    for (const phone of ["+31612345111", "+4915123456789", "+8613812345678", "0612345678"]) {
      const masked = maskPhoneNumber(phone);
      expect(masked).not.toContain(phone.slice(4, 8));
      expect(visibleDigits(masked)).toBeLessThanOrEqual(7);
    }
  });

  it("does not echo something that is not a string", () => {
    expect(maskPhoneNumber(undefined as never)).toBe("•••");
  });
});
