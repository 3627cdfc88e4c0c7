import { isPdvError, PdvError } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { isPagerDutyError, PAGERDUTY_ERROR_CODES, PagerDutyError } from "./index.js";

describe("PagerDutyError", () => {
  it("is a core PdvError carrying the code, the status and PagerDuty's wait", () => {
    const cause = new Error("socket hang up");
    const error = new PagerDutyError(PAGERDUTY_ERROR_CODES.RATE_LIMITED, "rate limited", {
      cause,
      status: 429,
      pagerDutyCode: 2020,
      retryAfterMs: 30_000,
    });
    expect(error).toBeInstanceOf(PdvError);
    expect(isPdvError(error)).toBe(true);
    expect(isPagerDutyError(error)).toBe(true);
    expect(error).toMatchObject({
      name: "PagerDutyError",
      code: "PDV_ERR_PAGERDUTY_RATE_LIMITED",
      status: 429,
      pagerDutyCode: 2020,
      retryAfterMs: 30_000,
      message: "rate limited",
    });
    expect(error.cause).toBe(cause);
  });

  it("has no cause, status or wait unless given", () => {
    const error = new PagerDutyError(PAGERDUTY_ERROR_CODES.UNAVAILABLE, "down");
    expect(error.cause).toBeUndefined();
    expect(error.status).toBeUndefined();
    expect(error.retryAfterMs).toBeUndefined();
  });
});
