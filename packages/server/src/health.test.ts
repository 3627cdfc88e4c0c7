import type { RosterHealth } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { readiness } from "./health.js";

const health = (state: RosterHealth["state"], ageMs: number | null): RosterHealth => ({
  state,
  ageMs,
  lastSuccessAt: null,
  lastFailureAt: null,
  lastError: null,
  coveredUntil: null,
  consecutiveFailures: 0,
});

describe("readiness", () => {
  it("is ready only when the roster is fresh, with a short reason otherwise", () => {
    expect(readiness(health("fresh", 1_000))).toEqual({ ready: true, reason: "ready" });
    expect(readiness(health("cold", null))).toEqual({ ready: false, reason: "roster cold" });
    expect(readiness(health("stale", 412_400))).toEqual({ ready: false, reason: "roster stale (age 412 s)" });
    expect(readiness(health("expired", 90_000_000))).toEqual({ ready: false, reason: "roster expired" });
  });
});
