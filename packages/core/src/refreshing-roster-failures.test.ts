import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import { createRefreshingRoster } from "./refreshing-roster.js";
import type { RefreshReport } from "./roster-options.js";
import { alice, gaps, ids, level1, outage, setup, shift } from "./testing/roster-fixtures.js";
import { createStaticSource } from "./testing/static-source.js";

const always = [shift(alice, null, null)];

/** Runs the loop's timers one by one until the source has been called `count` times. */
async function runUntilCalls(
  clock: ReturnType<typeof setup>["clock"],
  calls: { length: number },
  count: number,
) {
  while (calls.length < count) if (!(await clock.runNext())) throw new Error("no timer pending");
}

describe("createRefreshingRoster: backoff", () => {
  it("doubles the wait after each failure up to maxMs, with equal jitter by default", async () => {
    const { clock, source, roster, fail } = setup(always, { random: () => 0.5 });
    fail(outage());
    roster.start();
    await runUntilCalls(clock, source.calls, 9);
    // equal jitter with random 0.5: ¾ of 1 s, 2 s, 4 s … capped at ¾ of 60 s
    expect(gaps(source.calls)).toEqual([750, 1_500, 3_000, 6_000, 12_000, 24_000, 45_000, 45_000]);
  });

  it("jitters each wait with the injected random numbers", async () => {
    const draws = [0, 0.999, 0.25];
    const { clock, source, roster, fail } = setup(always, { random: () => draws.shift() ?? 0 });
    fail(outage());
    roster.start();
    await runUntilCalls(clock, source.calls, 4);
    expect(gaps(source.calls)).toEqual([500, 1_999, 2_500]);
  });

  it("supports full jitter and custom bounds", async () => {
    const { clock, source, roster, fail } = setup(always, {
      random: () => 0.25,
      backoff: { initialMs: 400, maxMs: 1_000, jitter: "full" },
    });
    fail(outage());
    roster.start();
    await runUntilCalls(clock, source.calls, 5);
    expect(gaps(source.calls)).toEqual([100, 200, 250, 250]);
  });

  it("honours retryAfterMs when longer than the backoff, and never goes faster than the backoff", async () => {
    const { clock, source, roster, fail } = setup(always);
    fail(new PdvError("PDV_ERR_PAGERDUTY_RATE_LIMITED", "429", { retryAfterMs: 10_000 }));
    roster.start();
    await runUntilCalls(clock, source.calls, 2);
    fail(Object.assign(new Error("slow down"), { retryAfterMs: 100 }));
    await runUntilCalls(clock, source.calls, 4);
    expect(gaps(source.calls)).toEqual([10_000, 10_000, 3_000]);
  });

  it("waits rateLimitDefaultWaitMs after a rate limit without a hint", async () => {
    const { clock, source, roster, fail } = setup(always);
    fail(new PdvError("PDV_ERR_PAGERDUTY_RATE_LIMITED", "429 without ratelimit-reset"));
    roster.start();
    await runUntilCalls(clock, source.calls, 2);
    expect(gaps(source.calls)).toEqual([60_000]);
  });

  it("uses a custom rateLimitDefaultWaitMs", async () => {
    const { clock, source, roster, fail } = setup(always, { rateLimitDefaultWaitMs: 5_000 });
    fail({ code: "X_RATE_LIMITED", message: "busy" });
    roster.start();
    await runUntilCalls(clock, source.calls, 2);
    expect(gaps(source.calls)).toEqual([5_000]);
  });

  it("goes back to the refresh interval after a recovery", async () => {
    const { clock, source, roster, fail, behave } = setup(always);
    fail(outage());
    roster.start();
    await runUntilCalls(clock, source.calls, 3);
    behave(() => always);
    await runUntilCalls(clock, source.calls, 5);
    expect(gaps(source.calls)).toEqual([750, 1_500, 3_000, 60_000]);
  });
});

describe("createRefreshingRoster: logging and reporting", () => {
  it("warns once for an outage, logs the retries at debug, and one info on recovery", async () => {
    const { clock, source, roster, fail, behave, log } = setup(always);
    roster.start();
    await clock.flush();
    log.clear();
    fail(outage());
    await runUntilCalls(clock, source.calls, 7);
    behave(() => always);
    await runUntilCalls(clock, source.calls, 8);
    expect(log.at("warn")).toHaveLength(1);
    expect(log.at("warn")[0]?.fields).toMatchObject({ err: { code: "PDV_ERR_PAGERDUTY_UNAVAILABLE" } });
    expect(log.at("debug").filter((line) => line.msg?.includes("failed again"))).toHaveLength(5);
    expect(log.at("info").map((line) => line.msg)).toEqual(["roster refresh recovered"]);
    expect(log.at("info")[0]?.fields).toMatchObject({ failures: 6 });
  });

  it("reports every refresh to onRefresh, and survives a throwing callback", async () => {
    const reports: RefreshReport[] = [];
    const { clock, source, roster, fail } = setup(always, {
      onRefresh: (report) => {
        reports.push(report);
        throw new Error("metrics broke");
      },
    });
    roster.start();
    await clock.flush();
    fail(outage());
    await runUntilCalls(clock, source.calls, 3);
    expect(reports).toEqual([
      { ok: true, durationMs: 0 },
      {
        ok: false,
        durationMs: 0,
        error: { code: "PDV_ERR_PAGERDUTY_UNAVAILABLE", message: "PagerDuty answered 503" },
      },
      {
        ok: false,
        durationMs: 0,
        error: { code: "PDV_ERR_PAGERDUTY_UNAVAILABLE", message: "PagerDuty answered 503" },
      },
    ]);
  });

  it("gives an error without a code the roster's code", async () => {
    const { clock, roster, fail } = setup(always);
    fail(new Error("socket hang up"));
    roster.start();
    await clock.flush();
    expect(roster.health().lastError).toEqual({
      code: CORE_ERROR_CODES.ROSTER_SOURCE_FAILED,
      message: "socket hang up",
    });
  });

  it("treats a source that resolves with no array as a failure", async () => {
    const source = { name: "broken", shifts: async () => ({ oops: true }) as never };
    const roster = createRefreshingRoster({ source, policyIds: ["PPOL1"] });
    await expect(roster.refresh()).rejects.toMatchObject({ code: CORE_ERROR_CODES.ROSTER_BAD_SHIFTS });
    expect(roster.health().lastError?.code).toBe(CORE_ERROR_CODES.ROSTER_BAD_SHIFTS);
  });

  it("treats a source that throws synchronously as a failure", async () => {
    const source = {
      name: "throws",
      shifts: () => {
        throw new PdvError("PDV_ERR_X_BROKEN", "sync throw");
      },
    };
    const roster = createRefreshingRoster({ source, policyIds: ["PPOL1"] });
    await expect(roster.refresh()).rejects.toThrow("sync throw");
    expect(roster.health().lastError?.code).toBe("PDV_ERR_X_BROKEN");
  });
});

describe("createRefreshingRoster: options", () => {
  it("rejects invalid options, listing every problem", () => {
    const make = () =>
      createRefreshingRoster({
        source: {} as never,
        policyIds: [],
        refreshIntervalMs: -1,
        backoff: { jitter: "none" as never },
      });
    expect(make).toThrow(PdvError);
    expect(make).toThrow(/source.*policyIds.*refreshIntervalMs.*backoff\.jitter/);
  });

  it("accepts a source resolving shifts through the static source filter", async () => {
    const source = createStaticSource([shift(alice, null, null, 1, "POTHER")]);
    const roster = createRefreshingRoster({ source, policyIds: ["PPOL1"] });
    await roster.refresh();
    expect(ids(roster.activeAt(new Date(), level1))).toEqual([]);
    await roster.stop();
  });

  it("can be stopped before it starts", async () => {
    const { clock, roster, source } = setup(always);
    await roster.stop();
    roster.start();
    await expect(roster.refresh()).rejects.toThrow(
      expect.objectContaining({ code: CORE_ERROR_CODES.ROSTER_STOPPED, message: "the roster was stopped" }),
    );
    expect(source.calls).toHaveLength(0);
    expect(clock.pendingDelays()).toEqual([]);
  });
});
