import { describe, expect, it } from "vitest";
import { createSecretChecker } from "./auth.js";

describe("createSecretChecker", () => {
  const checker = createSecretChecker("correct horse battery staple");

  it("accepts exactly the secret", () => {
    expect(checker.accepts({ secretKey: "correct horse battery staple", secretKeyRepeated: false })).toBe(
      true,
    );
  });

  it("refuses a wrong, shorter, longer, missing or repeated secret", () => {
    for (const secretKey of [
      "wrong",
      "",
      "correct horse battery stapl",
      "correct horse battery staple ",
      "x".repeat(10_000),
      "correct horse battery staple\u0000",
      "correct horse battery stapleé",
    ]) {
      expect(checker.accepts({ secretKey, secretKeyRepeated: false })).toBe(false);
    }
    expect(checker.accepts({ secretKey: undefined, secretKeyRepeated: false })).toBe(false);
    expect(checker.accepts({ secretKey: "correct horse battery staple", secretKeyRepeated: true })).toBe(
      false,
    );
  });

  it("keeps refusing and accepting correctly after long and short candidates", () => {
    expect(checker.accepts({ secretKey: "correct horse battery staple!!!", secretKeyRepeated: false })).toBe(
      false,
    );
    expect(checker.accepts({ secretKey: "correct", secretKeyRepeated: false })).toBe(false);
    expect(checker.accepts({ secretKey: "correct horse battery staple", secretKeyRepeated: false })).toBe(
      true,
    );
  });

  it("handles multi-byte secrets", () => {
    const unicode = createSecretChecker("geheim-wachtwoord-ü-€");
    expect(unicode.accepts({ secretKey: "geheim-wachtwoord-ü-€", secretKeyRepeated: false })).toBe(true);
    expect(unicode.accepts({ secretKey: "geheim-wachtwoord-u-€", secretKeyRepeated: false })).toBe(false);
    expect(unicode.accepts({ secretKey: "geheim-wachtwoord-ü-", secretKeyRepeated: false })).toBe(false);
  });

  it("refuses an empty configured secret", () => {
    expect(() => createSecretChecker("")).toThrow();
  });
});
