import { describe, expect, it } from "vitest";
import { parseVoysRequest } from "./request.js";

const q = (s: string): URLSearchParams => new URLSearchParams(s);

describe("parseVoysRequest", () => {
  it("reads the secret and every Voys variable from the query string", () => {
    const r = parseVoysRequest(
      q("secret_key=s3cret&callerid=%2B31612345678&did=%2B31208888888&code=42&callername=Jan%20Jansen"),
    );
    expect(r).toEqual({
      secretKey: "s3cret",
      secretKeyRepeated: false,
      callerId: "+31612345678",
      did: "+31208888888",
      code: "42",
      callerName: "Jan Jansen",
    });
  });

  it("reports a missing secret as undefined and leaves absent variables out", () => {
    const r = parseVoysRequest(q("callerid=123"));
    expect(r.secretKey).toBeUndefined();
    expect(r.secretKeyRepeated).toBe(false);
    expect(r).not.toHaveProperty("did");
    expect(r).not.toHaveProperty("code");
    expect(r).not.toHaveProperty("callerName");
    expect(parseVoysRequest(q("did=3120"))).not.toHaveProperty("callerId");
  });

  it("never reads a parameter from a parsed object's prototype", () => {
    const inherited = Object.create({ secret_key: "s", callerid: "+31201234567", did: "+31208888888" });
    expect(parseVoysRequest(inherited, inherited)).toStrictEqual({
      secretKey: undefined,
      secretKeyRepeated: false,
    });
  });

  it("trims a single value of a parsed object, and skips items that are not text", () => {
    expect(parseVoysRequest({ did: "  +31208888888  " }).did).toBe("+31208888888");
    const body = { callerid: [{ nested: true }, " +31201234567 "], secret_key: 42 };
    expect(parseVoysRequest({}, body)).toStrictEqual({
      secretKey: "42",
      secretKeyRepeated: false,
      callerId: "+31201234567",
    });
  });

  it("keeps the secret exactly as given (no trimming), but an empty one is still a value", () => {
    expect(parseVoysRequest(q("secret_key=%20a%20")).secretKey).toBe(" a ");
    expect(parseVoysRequest(q("secret_key=")).secretKey).toBe("");
  });

  it("flags a secret repeated in the query string", () => {
    const r = parseVoysRequest(q("secret_key=a&secret_key=a"));
    expect(r.secretKeyRepeated).toBe(true);
  });

  it("reads a query string already parsed into an object, repeated keys as arrays", () => {
    const parsed = Object.assign(Object.create(null), { secret_key: "s3cret", callerid: "+31201234567" });
    expect(parseVoysRequest(parsed)).toEqual({
      secretKey: "s3cret",
      secretKeyRepeated: false,
      callerId: "+31201234567",
    });
    const repeated = Object.assign(Object.create(null), { secret_key: ["a", "b"] });
    expect(parseVoysRequest(repeated)).toEqual({ secretKey: "a", secretKeyRepeated: true });
  });

  it("flags a secret present in both the query string and a form body", () => {
    const r = parseVoysRequest(q("secret_key=a"), new URLSearchParams("secret_key=b"));
    expect(r.secretKeyRepeated).toBe(true);
    expect(r.secretKey).toBe("a");
  });

  it("flags a secret given as an array in a JSON body", () => {
    expect(parseVoysRequest(q(""), { secret_key: ["a", "b"] }).secretKeyRepeated).toBe(true);
    expect(parseVoysRequest(q(""), { secret_key: ["a"] })).toMatchObject({
      secretKey: "a",
      secretKeyRepeated: false,
    });
  });

  it("reads variables from a form body and a JSON body", () => {
    expect(parseVoysRequest(q(""), new URLSearchParams("secret_key=x&did=3120"))).toMatchObject({
      secretKey: "x",
      did: "3120",
    });
    expect(parseVoysRequest(q(""), { secret_key: "x", callerid: 31612345678, code: 7 })).toMatchObject({
      secretKey: "x",
      callerId: "31612345678",
      code: "7",
    });
  });

  it("treats a non-string secret in JSON as no secret", () => {
    expect(parseVoysRequest(q(""), { secret_key: { $ne: "" } }).secretKey).toBeUndefined();
    expect(parseVoysRequest(q(""), { secret_key: true }).secretKey).toBeUndefined();
    expect(parseVoysRequest(q(""), { secret_key: null }).secretKey).toBeUndefined();
  });

  it("ignores inherited properties of a JSON body", () => {
    const body = JSON.parse('{"__proto__": {"secret_key": "x"}}') as Record<string, unknown>;
    expect(parseVoysRequest(q(""), body).secretKey).toBeUndefined();
  });

  it("takes the first non-empty variable, query string first, trimmed", () => {
    const r = parseVoysRequest(q("did=&did=%20+31201%20"), new URLSearchParams("did=999"));
    expect(r.did).toBe("31201");
  });
});

describe("parseVoysRequest: odd inputs", () => {
  it("reads nothing from a missing or null source instead of throwing", () => {
    expect(parseVoysRequest(undefined as unknown as URLSearchParams)).toEqual({
      secretKey: undefined,
      secretKeyRepeated: false,
    });
    const r = parseVoysRequest(q("secret_key=s&did=%2B31208888888"), null as unknown as URLSearchParams);
    expect(r).toEqual({ secretKey: "s", secretKeyRepeated: false, did: "+31208888888" });
  });

  it("does not count a secret the JSON body lacks", () => {
    const r = parseVoysRequest({ secret_key: "s" }, { did: "+31208888888" });
    expect(r.secretKeyRepeated).toBe(false);
    expect(r.secretKey).toBe("s");
  });

  it("treats a JSON object as a variable's value as absent", () => {
    const r = parseVoysRequest(q("secret_key=s"), { did: { nested: true }, callerid: ["", "+31612345678"] });
    expect(r.did).toBeUndefined();
    expect(r.callerId).toBe("+31612345678");
  });
});
