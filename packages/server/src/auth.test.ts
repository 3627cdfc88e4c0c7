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

  it("refuses an empty configured secret, or one that is not a string", () => {
    for (const secretKey of ["", [], ["ok-secret-0123456789", ""], [42 as never]]) {
      expect(() => createSecretChecker(secretKey), JSON.stringify(secretKey)).toThrow(
        expect.objectContaining({
          code: "PDV_ERR_SERVER_OPTIONS_INVALID",
          message: "every webhook secret must be a non-empty string",
          problems: ["secretKey: required, a non-empty string"],
        }),
      );
    }
  });
});

describe("secret rotation", () => {
  const request = (secretKey: string | undefined) => ({ secretKey, secretKeyRepeated: false });

  it("accepts each of several secrets and nothing else", () => {
    const checker = createSecretChecker(["old-secret-0123456789", "new-secret-é-0123456789abcdef"]);
    expect(checker.count).toBe(2);
    expect(checker.accepts(request("old-secret-0123456789"))).toBe(true);
    expect(checker.accepts(request("new-secret-é-0123456789abcdef"))).toBe(true);
    for (const wrong of [
      "old-secret-012345678",
      "new-secret-é-0123456789abcde",
      "old-secret-0123456789\u0000",
      "",
    ]) {
      expect(checker.accepts(request(wrong)), JSON.stringify(wrong)).toBe(false);
    }
  });

  it("refuses an empty list or an empty secret in the list", () => {
    expect(() => createSecretChecker([])).toThrow(/non-empty/);
    expect(() => createSecretChecker(["ok-secret-0123456789", ""])).toThrow(/non-empty/);
  });

  // A constant-time check compares every secret over one fixed length, whatever the candidate:
  // a `===`, an early exit on the first match, or a length check first would all change these counts.
  it("compares the candidate with every secret over one fixed length, even when the first matches", () => {
    const calls: { a: number; b: number }[] = [];
    const compare = (a: Buffer, b: Buffer): boolean => {
      calls.push({ a: a.length, b: b.length });
      return a.equals(b);
    };
    const secrets = ["first-secret-0123456789", "second-secret-longer-0123456789", "third-é"];
    const width = Buffer.byteLength(secrets[1] as string);
    const checker = createSecretChecker(secrets, { compare });
    const cases: [string, boolean][] = [
      ["first-secret-0123456789", true],
      ["third-é", true],
      ["second-secret-longer-0123456789", true],
      ["x", false],
      ["x".repeat(5_000), false],
      ["first-secret-0123456789-and-more", false],
      ["", false],
    ];
    for (const [candidate, expected] of cases) {
      calls.length = 0;
      expect(checker.accepts(request(candidate)), candidate.slice(0, 40)).toBe(expected);
      expect(calls, candidate.slice(0, 40)).toEqual(secrets.map(() => ({ a: width, b: width })));
    }
  });

  it("uses timingSafeEqual by default: the same answers as the injected comparison", () => {
    const checker = createSecretChecker(["aaaa-0123456789abcdef", "bbbb-0123456789abcdef"]);
    expect(checker.accepts(request("bbbb-0123456789abcdef"))).toBe(true);
    expect(checker.accepts(request("cccc-0123456789abcdef"))).toBe(false);
  });
});
