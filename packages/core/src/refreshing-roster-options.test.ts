import { describe, expect, it, vi } from "vitest";
import { CORE_ERROR_CODES } from "./errors.js";
import { createRefreshingRoster } from "./refreshing-roster.js";
import type { RefreshingRosterOptions } from "./roster-options.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import { alice, at, gaps, HOUR, hang, outage, setup, shift, T0 } from "./testing/roster-fixtures.js";
import { createStaticSource } from "./testing/static-source.js";

const always = [shift(alice, null, null)];
const source = createStaticSource(always);

/** The message of the error creating a roster with these options throws. */
function problemsOf(options: Partial<RefreshingRosterOptions>): string {
  try {
    createRefreshingRoster({ source, policyIds: ["PPOL1"], ...options } as RefreshingRosterOptions);
  } catch (error) {
    expect(error).toMatchObject({ code: CORE_ERROR_CODES.OPTIONS_INVALID });
    return (error as Error).message;
  }
  throw new Error("no error thrown");
}

describe("createRefreshingRoster: option problems", () => {
  it("names every invalid option, in order, with what it expected and got", () => {
    const message = problemsOf({
      source: undefined,
      policyIds: "PPOL1" as never,
      refreshIntervalMs: 0,
      lookaheadMs: 0,
      refreshTimeoutMs: 0,
      staleAfterMs: -1,
      backoff: { initialMs: 0, maxMs: Number.NaN, jitter: "none" as never },
      rateLimitDefaultWaitMs: -1,
      clockJumpToleranceMs: 0,
      now: "now" as never,
      monotonicNow: 1 as never,
      random: {} as never,
      onRefresh: null as never,
    });
    expect(message.split("; ")).toEqual([
      "invalid roster options: source: expected an object with a shifts() method",
      "policyIds: expected a non-empty array of policy ids",
      "refreshIntervalMs: expected a number ≥ 1, got 0",
      "lookaheadMs: expected a number ≥ 1, got 0",
      "refreshTimeoutMs: expected a number ≥ 1, got 0",
      "staleAfterMs: expected a number ≥ 0, got -1",
      "backoff.initialMs: expected a number ≥ 1, got 0",
      "backoff.maxMs: expected a number ≥ 0, got NaN",
      'backoff.jitter: expected "full" or "equal", got none',
      "rateLimitDefaultWaitMs: expected a number ≥ 0, got -1",
      "clockJumpToleranceMs: expected a number ≥ 1, got 0",
      "now: expected a function",
      "monotonicNow: expected a function",
      "random: expected a function",
      "onRefresh: expected a function",
    ]);
  });

  it("wants backoff.maxMs at least backoff.initialMs (or 1 without it)", () => {
    expect(problemsOf({ backoff: { initialMs: 5_000, maxMs: 1_000 } })).toBe(
      "invalid roster options: backoff.maxMs: expected a number ≥ 5000, got 1000",
    );
    expect(problemsOf({ backoff: { maxMs: 0.5 } })).toBe(
      "invalid roster options: backoff.maxMs: expected a number ≥ 1, got 0.5",
    );
  });

  it.each([[[]], [[""]], [["PPOL1", ""]], [["PPOL1", 5]], [null]])(
    "refuses the policy ids %j, at creation and in setPolicyIds",
    (policyIds) => {
      expect(problemsOf({ policyIds: policyIds as never })).toBe(
        "invalid roster options: policyIds: expected a non-empty array of policy ids",
      );
      const { roster } = setup(always);
      expect(() => roster.setPolicyIds(policyIds as never)).toThrow(
        "invalid roster options: policyIds: expected a non-empty array of policy ids",
      );
    },
  );

  it("accepts the smallest valid values", () => {
    const roster = createRefreshingRoster({
      source,
      policyIds: ["PPOL1"],
      refreshIntervalMs: 1,
      lookaheadMs: 1,
      refreshTimeoutMs: 1,
      staleAfterMs: 0,
      backoff: { initialMs: 1, maxMs: 1, jitter: "full" },
      rateLimitDefaultWaitMs: 0,
      clockJumpToleranceMs: 1,
    });
    expect(roster.name).toBe("roster");
    const equal = createRefreshingRoster({ source, policyIds: ["PPOL1"], backoff: { jitter: "equal" } });
    expect(equal.name).toBe("roster");
  });
});

describe("createRefreshingRoster: defaults", () => {
  it("asks for 24 hours ahead, bounds a refresh at 30 s, and refreshes every 60 s", async () => {
    const { clock, source: calls, roster, behave } = setup(always);
    behave(hang);
    roster.start();
    await clock.flush();
    expect(calls.calls[0]?.window).toEqual({ since: T0, until: at(24 * HOUR) });
    expect(clock.pendingDelays()).toEqual([30_000]);
    await clock.advance(30_000);
    expect(roster.health().lastError).toEqual({
      code: CORE_ERROR_CODES.ROSTER_TIMEOUT,
      message: "roster refresh from static took longer than 30000 ms",
    });
    behave(() => always);
    await clock.advance(750);
    expect(clock.pendingDelays()).toEqual([60_000]);
  });

  it("says stale after 5 minutes without a success", async () => {
    const { clock, roster } = setup(always);
    roster.start();
    await clock.flush();
    expect(roster.health(at(300_000)).state).toBe("fresh");
    expect(roster.health(at(300_001)).state).toBe("stale");
  });

  it("takes a wall clock step over 5 s as a jump", async () => {
    const { clock, roster, source: calls } = setup(always);
    roster.start();
    await clock.flush();
    await clock.jump(5_000);
    roster.health();
    await clock.flush();
    expect(calls.calls).toHaveLength(1);
    await clock.jump(5_001);
    roster.health();
    await clock.flush();
    expect(calls.calls).toHaveLength(2);
  });

  it("without injected clocks, tells a step of the system clock from elapsed time", async () => {
    // Only Date and performance are faked: setSystemTime steps the first and leaves the second.
    vi.useFakeTimers({ toFake: ["Date", "performance"], now: T0 });
    try {
      const log = createRecordingLogger();
      const roster = createRefreshingRoster({ source, policyIds: ["PPOL1"], logger: log });
      await roster.refresh();
      vi.setSystemTime(at(HOUR));
      roster.health();
      expect(log.at("warn").map((line) => line.fields)).toEqual([
        { roster: "roster", reason: "clock-skew", skewMs: HOUR },
      ]);
      await roster.stop();
    } finally {
      vi.useRealTimers();
    }
  });

  it("without a monotonic clock, follows the injected wall clock and sees no skew", async () => {
    const {
      clock,
      roster,
      source: calls,
      log,
    } = setup(always, {
      monotonicNow: undefined,
      refreshIntervalMs: HOUR,
    });
    roster.start();
    await clock.flush();
    await clock.advance(10 * 60_000);
    await clock.jump(10 * 60_000);
    roster.health();
    await clock.flush();
    expect(calls.calls).toHaveLength(1);
    expect(log.lines.filter((line) => line.level === "warn")).toEqual([]);
  });

  it("fills in a backoff bound given as undefined with its default", async () => {
    const {
      clock,
      source: calls,
      roster,
      fail,
    } = setup(always, {
      backoff: { initialMs: undefined, maxMs: 4_000, jitter: undefined },
    });
    fail(outage());
    roster.start();
    while (calls.calls.length < 5) await clock.runNext();
    expect(gaps(calls.calls)).toEqual([750, 1_500, 3_000, 3_000]);
  });
});
