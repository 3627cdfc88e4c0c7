import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES, describeError, errorCode, isPdvError, PdvError } from "./errors.js";

describe("PdvError", () => {
  it("carries a code, a cause and an optional retryAfterMs", () => {
    const cause = new Error("socket hang up");
    const error = new PdvError(CORE_ERROR_CODES.ROSTER_TIMEOUT, "too slow", { cause, retryAfterMs: 5 });
    expect(error).toBeInstanceOf(Error);
    expect(error).toMatchObject({ name: "PdvError", code: "PDV_ERR_ROSTER_TIMEOUT", cause, retryAfterMs: 5 });
  });

  it("names subclasses after themselves", () => {
    class PagerDutyError extends PdvError {}
    expect(new PagerDutyError("PDV_ERR_PAGERDUTY_TIMEOUT", "x").name).toBe("PagerDutyError");
  });

  it("uses only codes of the PDV_ERR_<AREA>_<WHAT> form, each once", () => {
    const codes = Object.values(CORE_ERROR_CODES);
    for (const code of codes) expect(code).toMatch(/^PDV_ERR_[A-Z]+_[A-Z_]+$/);
    expect(new Set(codes).size).toBe(codes.length);
  });

  it("describes anything thrown", () => {
    expect(describeError(new PdvError("PDV_ERR_A_B", "m"), "PDV_ERR_X_Y")).toEqual({
      code: "PDV_ERR_A_B",
      message: "m",
    });
    expect(describeError(new Error("m"), "PDV_ERR_X_Y")).toEqual({ code: "PDV_ERR_X_Y", message: "m" });
    expect(describeError("text", "PDV_ERR_X_Y")).toEqual({ code: "PDV_ERR_X_Y", message: "text" });
    expect(errorCode({ code: 3 })).toBeUndefined();
    expect(isPdvError(Object.assign(new Error("e"), { code: "PDV_ERR_A_B" }))).toBe(true);
    expect(isPdvError(new Error("e"))).toBe(false);
  });
});
