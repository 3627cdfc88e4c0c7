import { describe, expect, it } from "vitest";
import { backoffDelayMs, DEFAULT_BACKOFF, requestedWaitMs, retryDelayMs } from "./backoff.js";
import { PdvError } from "./errors.js";

describe("backoffDelayMs", () => {
  it("doubles from initialMs and stops at maxMs, with equal jitter in [d/2, d]", () => {
    const low = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n, DEFAULT_BACKOFF, () => 0));
    const high = [1, 2, 3, 4, 5, 6, 7, 8].map((n) => backoffDelayMs(n, DEFAULT_BACKOFF, () => 1));
    expect(high).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 32_000, 60_000, 60_000]);
    expect(low).toEqual(high.map((d) => d / 2));
  });

  it("spreads full jitter over [0, d]", () => {
    const options = { ...DEFAULT_BACKOFF, jitter: "full" as const };
    expect(backoffDelayMs(3, options, () => 0)).toBe(0);
    expect(backoffDelayMs(3, options, () => 0.5)).toBe(2_000);
  });

  it("does not overflow after many failures", () => {
    expect(backoffDelayMs(10_000, DEFAULT_BACKOFF, () => 1)).toBe(60_000);
  });

  it("treats an attempt below 1 as the first", () => {
    expect(backoffDelayMs(0, DEFAULT_BACKOFF, () => 1)).toBe(1_000);
    expect(backoffDelayMs(-3, DEFAULT_BACKOFF, () => 1)).toBe(1_000);
  });

  it("keeps a random number outside [0, 1] inside the jitter's range", () => {
    expect(backoffDelayMs(2, DEFAULT_BACKOFF, () => 5)).toBe(2_000);
    expect(backoffDelayMs(2, DEFAULT_BACKOFF, () => -5)).toBe(1_000);
    const full = { ...DEFAULT_BACKOFF, jitter: "full" as const };
    expect(backoffDelayMs(2, full, () => 5)).toBe(2_000);
    expect(backoffDelayMs(2, full, () => -5)).toBe(0);
  });
});

describe("retryDelayMs", () => {
  const wait = (error: unknown, attempt = 1) =>
    retryDelayMs(error, attempt, DEFAULT_BACKOFF, () => 1, 60_000);

  it("takes the longer of the backoff and the wait asked for", () => {
    expect(wait(new PdvError("PDV_ERR_PAGERDUTY_RATE_LIMITED", "429", { retryAfterMs: 7_000 }))).toBe(7_000);
    expect(wait({ retryAfterMs: 500 }, 3)).toBe(4_000);
  });

  it("waits the default after a bare rate limit, and the backoff after anything else", () => {
    expect(wait(new PdvError("PDV_ERR_PAGERDUTY_RATE_LIMITED", "429"))).toBe(60_000);
    expect(wait(new Error("boom"))).toBe(1_000);
    expect(requestedWaitMs({ retryAfterMs: Number.NaN }, 5)).toBeUndefined();
    expect(requestedWaitMs(null, 5)).toBeUndefined();
  });

  it("takes a retryAfterMs of 0 as asked, and ignores one that is negative, infinite or not a number", () => {
    const limited = (retryAfterMs: unknown) =>
      Object.assign(new PdvError("PDV_ERR_PAGERDUTY_RATE_LIMITED", "429"), { retryAfterMs });
    expect(requestedWaitMs(limited(0), 5)).toBe(0);
    expect(requestedWaitMs(limited(-1), 5)).toBe(5);
    expect(requestedWaitMs(limited(Number.POSITIVE_INFINITY), 5)).toBe(5);
    expect(requestedWaitMs(limited("7000"), 5)).toBe(5);
    expect(requestedWaitMs({ retryAfterMs: Number.POSITIVE_INFINITY }, 5)).toBeUndefined();
  });
});
