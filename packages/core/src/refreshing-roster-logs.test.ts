import { describe, expect, it } from "vitest";
import { createRefreshingRoster } from "./refreshing-roster.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import { alice, at, bob, HOUR, hang, level1, outage, setup, shift, T0 } from "./testing/roster-fixtures.js";
import type { Shift } from "./types.js";

const always = [shift(alice, null, null), shift(bob, null, null, 1, "PPOL2")];
const unavailable = { code: "PDV_ERR_PAGERDUTY_UNAVAILABLE", message: "PagerDuty answered 503" };

function gate() {
  let open!: (shifts: readonly Shift[]) => void;
  const promise = new Promise<readonly Shift[]>((resolve) => {
    open = resolve;
  });
  return { promise, open };
}

describe("createRefreshingRoster: what a refresh logs", () => {
  it("logs the first load at info and later refreshes at debug, with counts and the duration", async () => {
    const first = gate();
    const { clock, log, roster, behave } = setup(always, { name: "team-a", policyIds: ["PPOL1", "PPOL2"] });
    behave(() => first.promise);
    roster.start();
    await clock.advance(1_500);
    first.open(always);
    await clock.flush();
    behave(() => always);
    await clock.advance(60_000);
    expect(log.lines).toEqual([
      {
        level: "info",
        msg: "roster loaded",
        fields: { roster: "team-a", policies: 2, shifts: 2, durationMs: 1_500 },
      },
      {
        level: "debug",
        msg: "roster refreshed",
        fields: { roster: "team-a", policies: 2, shifts: 2, durationMs: 0 },
      },
    ]);
  });

  it("cannot load: one error line, the retries at debug, and one info when it recovers", async () => {
    const { clock, log, roster, fail, behave } = setup(always);
    fail(outage());
    roster.start();
    await clock.runNext();
    behave(() => always);
    await clock.runNext();
    const failed = { roster: "roster", err: unavailable, holding: "partial shifts of 0 policies" };
    expect(log.lines).toEqual([
      {
        level: "error",
        msg: "roster cannot load: calls get the fallback number or 503 until it does",
        fields: { ...failed, consecutiveFailures: 1, retryInMs: 750 },
      },
      {
        level: "debug",
        msg: "roster refresh failed again",
        fields: { ...failed, consecutiveFailures: 2, retryInMs: 1_500 },
      },
      {
        level: "info",
        msg: "roster refresh recovered",
        fields: { roster: "roster", policies: 1, shifts: 1, durationMs: 0, failures: 2 },
      },
    ]);
  });

  it("says how many policies it holds partial shifts of (the ones asked for) while it cannot load", async () => {
    const { clock, log, roster, source } = setup([], { policyIds: ["PPOL1", "PPOL2"] });
    source.shifts = async (_ids, _window, _signal, progress) => {
      progress?.([shift(alice, null, null)]);
      throw outage();
    };
    roster.start();
    await clock.flush();
    expect(log.at("error").map((line) => line.fields)).toEqual([
      {
        roster: "roster",
        err: unavailable,
        consecutiveFailures: 1,
        retryInMs: 750,
        holding: "partial shifts of 2 policies",
      },
    ]);
  });

  it("warns when a refresh after the first load fails, holding the last good roster", async () => {
    const { clock, log, roster, fail } = setup(always);
    roster.start();
    await clock.flush();
    log.clear();
    fail(outage());
    await clock.advance(60_000);
    expect(log.lines).toEqual([
      {
        level: "warn",
        msg: "roster refresh failed; retrying with backoff",
        fields: {
          roster: "roster",
          err: unavailable,
          consecutiveFailures: 1,
          retryInMs: 750,
          holding: "last good roster",
        },
      },
    ]);
  });

  it("warns of an expired roster from the instant its window ends, naming the window and the last error", async () => {
    const { clock, log, roster, fail } = setup(always, { lookaheadMs: HOUR, staleAfterMs: 2 * HOUR });
    roster.start();
    await clock.flush();
    fail(outage());
    await clock.advance(60_000);
    log.clear();
    roster.activeAt(at(HOUR - 1), level1);
    expect(roster.health(at(HOUR - 1)).state).toBe("fresh");
    expect(log.lines).toEqual([]);
    roster.activeAt(at(HOUR), level1);
    expect(roster.health(at(HOUR)).state).toBe("expired");
    expect(log.lines).toEqual([
      {
        level: "warn",
        msg: "roster expired: the last good roster no longer covers now; only shifts known to cover now are answered",
        fields: { roster: "roster", coveredUntil: at(HOUR).toISOString(), err: unavailable },
      },
    ]);
  });

  it("logs a now outside the window, with the new now", async () => {
    // A tolerance this wide hides the step from the skew check: only the window check notices it.
    const { clock, log, roster } = setup(always, { lookaheadMs: 2 * HOUR, clockJumpToleranceMs: 24 * HOUR });
    roster.start();
    await clock.flush();
    log.clear();
    await clock.jump(3 * HOUR);
    roster.health();
    expect(log.lines).toEqual([
      {
        level: "warn",
        msg: "now is outside the roster's window (a clock step or a long outage); refreshing the roster at once",
        fields: { roster: "roster", reason: "outside-window", now: at(3 * HOUR) },
      },
    ]);
  });

  it("logs the skew of a wall clock that jumped", async () => {
    const { clock, log, roster } = setup(always, { name: "team-b" });
    roster.start();
    await clock.flush();
    log.clear();
    await clock.jump(-10_000);
    roster.health();
    expect(log.lines).toEqual([
      {
        level: "warn",
        msg: "the wall clock jumped; refreshing the roster at once",
        fields: { roster: "team-b", reason: "clock-skew", skewMs: -10_000 },
      },
    ]);
  });

  it("logs new policies loaded at info, and new policies that failed at warn", async () => {
    const { clock, log, roster, fail } = setup(always);
    roster.start();
    await clock.flush();
    log.clear();
    roster.setPolicyIds(["PPOL1", "PPOL2"]);
    await clock.flush();
    fail(outage());
    roster.setPolicyIds(["PPOL1", "PPOL2", "PPOL3"]);
    await clock.flush();
    expect(log.lines).toEqual([
      { level: "info", msg: "roster loaded new policies", fields: { roster: "roster", policies: ["PPOL2"] } },
      {
        level: "warn",
        msg: "roster could not load new policies yet; the next refresh tries again",
        fields: { roster: "roster", policies: ["PPOL3"], err: unavailable },
      },
    ]);
  });

  it("names the source in the error of a refresh that gets no array", async () => {
    const roster = createRefreshingRoster({
      source: { name: "broken", shifts: async () => ({ oops: true }) as never },
      policyIds: ["PPOL1"],
      logger: createRecordingLogger(),
    });
    await expect(roster.refresh()).rejects.toThrow("broken did not return an array of shifts");
  });

  it("logs nothing for a refresh that the stop cut short", async () => {
    const { clock, log, roster, behave } = setup(always);
    behave(hang);
    roster.start();
    await clock.flush();
    await roster.stop();
    await clock.flush();
    expect(log.lines).toEqual([]);
    expect(roster.health(T0)).toMatchObject({ state: "cold", consecutiveFailures: 0, lastError: null });
    expect(clock.pendingDelays()).toEqual([]);
  });
});
