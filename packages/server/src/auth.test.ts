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
    ]) {
      expect(checker.accepts({ secretKey, secretKeyRepeated: false })).toBe(false);
    }
    expect(checker.accepts({ secretKey: undefined, secretKeyRepeated: false })).toBe(false);
    expect(checker.accepts({ secretKey: "correct horse battery staple", secretKeyRepeated: true })).toBe(
      false,
    );
  });

  it("refuses an empty configured secret", () => {
    expect(() => createSecretChecker("")).toThrow();
  });
});
