import { describe, expect, it } from "vitest";
import {
  alice,
  at,
  bob,
  carol,
  HOUR,
  ids,
  level1,
  outage,
  setup,
  shift,
  T0,
} from "./testing/roster-fixtures.js";
import type { Shift } from "./types.js";

const level2 = { policyId: "PPOL1", level: 2 };
// Bob until an hour ago, Alice now, and Carol permanently at level 2.
const rota: Shift[] = [
  shift(bob, at(-3 * HOUR), at(-HOUR)),
  shift(alice, at(-HOUR), at(HOUR)),
  shift(carol, null, null, 2),
];

async function started(shifts: readonly Shift[] = rota, extra: Parameters<typeof setup>[1] = {}) {
  const ctx = setup(shifts, extra);
  ctx.roster.start();
  await ctx.clock.flush();
  return ctx;
}

describe("createRefreshingRoster: a wall clock that jumps", () => {
  it("refreshes at once after a 2 h step back, without waiting for the next scheduled refresh", async () => {
    const { clock, roster, source } = await started();
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    await clock.jump(-2 * HOUR);
    // The held window starts at T0: the first call after the jump sees it and starts a refresh.
    expect(roster.activeAt(clock.now(), level1)).toEqual([]);
    await clock.flush();
    expect(source.calls).toHaveLength(2);
    expect(source.calls[1]?.window.since).toEqual(at(-2 * HOUR));
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PBOB001"]);
    // No time passed on the monotonic clock: 0 s of "nobody on call" once the refresh answered.
    expect(clock.monotonicNow()).toBe(0);
    expect(roster.health().state).toBe("fresh");
  });

  it("answers from held shifts that cover the new now after a 25 h step ahead, and refreshes at once", async () => {
    const { clock, roster, source, fail } = await started();
    fail(outage());
    await clock.jump(25 * HOUR);
    // Carol is on call permanently: the moved window does not empty level 2.
    expect(ids(roster.activeAt(clock.now(), level2))).toEqual(["PCAROL1"]);
    await clock.flush();
    expect(source.calls).toHaveLength(2);
    expect(source.calls[1]?.window.since).toEqual(at(25 * HOUR));
    expect(roster.health()).toMatchObject({ state: "expired", consecutiveFailures: 1 });
    expect(ids(roster.activeAt(clock.now(), level2))).toEqual(["PCAROL1"]);
  });

  it("notices a step inside the window by comparing with the monotonic clock (above the tolerance only)", async () => {
    const { clock, roster, source, log } = await started(rota, { clockJumpToleranceMs: 5_000 });
    await clock.jump(4_000);
    roster.activeAt(clock.now(), level1);
    await clock.flush();
    expect(source.calls).toHaveLength(1);
    await clock.jump(6_000);
    roster.health();
    await clock.flush();
    expect(source.calls).toHaveLength(2);
    expect(log.at("warn").filter((line) => line.msg?.includes("clock jumped"))).toHaveLength(1);
    expect(log.at("warn")[0]?.fields).toMatchObject({ reason: "clock-skew", skewMs: 6_000 });
  });

  it("schedules on monotonic time: after a jump the next refresh is refreshIntervalMs away, not the wall gap", async () => {
    const { clock, roster, source } = await started(rota, { refreshIntervalMs: 60_000 });
    await clock.advance(10_000);
    await clock.jump(3 * HOUR);
    roster.activeAt(clock.now(), level1);
    await clock.flush();
    expect(source.calls).toHaveLength(2);
    expect(clock.pendingDelays()).toEqual([60_000]);
    await clock.advance(60_000);
    expect(source.calls).toHaveLength(3);
  });

  it("runs another refresh right after one that was in flight during the jump", async () => {
    const { clock, roster, source, behave } = await started(rota, { refreshIntervalMs: 60_000 });
    let release: (() => void) | undefined;
    behave(() => new Promise((resolve) => (release = () => resolve(rota))));
    await clock.advance(60_000);
    expect(source.calls).toHaveLength(2);
    await clock.jump(-2 * HOUR);
    roster.activeAt(clock.now(), level1);
    behave(() => rota);
    release?.();
    await clock.flush();
    await clock.flush();
    expect(source.calls).toHaveLength(3);
    expect(source.calls[2]?.window.since).toEqual(at(60_000 - 2 * HOUR));
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PBOB001"]);
  });

  const MINUTE = 60_000;
  it.each([
    ["half the lookahead", 30 * MINUTE, 10 * MINUTE, 15 * MINUTE],
    ["two refresh intervals", 2 * HOUR, 10 * MINUTE, 20 * MINUTE],
    ["a minute", 2 * HOUR, 10_000, MINUTE],
  ])(
    "refreshes at once when now comes within %s of the window's end",
    async (_, lookaheadMs, refreshIntervalMs, margin) => {
      // A tolerance this wide hides the steps from the skew check: only the window check can see them.
      const { clock, roster, source } = await started(rota, {
        lookaheadMs,
        refreshIntervalMs,
        clockJumpToleranceMs: 24 * HOUR,
      });
      await clock.jump(lookaheadMs - margin - 1);
      roster.activeAt(clock.now(), level1);
      await clock.flush();
      expect(source.calls).toHaveLength(1);
      await clock.jump(1);
      roster.activeAt(clock.now(), level1);
      await clock.flush();
      expect(source.calls).toHaveLength(2);
      expect(source.calls[1]?.window.since).toEqual(at(lookaheadMs - margin));
    },
  );

  it("refreshes at once when now falls before the window's start, even by less than the tolerance", async () => {
    const { clock, roster, source } = await started(rota, { clockJumpToleranceMs: 24 * HOUR });
    await clock.jump(-1);
    roster.activeAt(clock.now(), level1);
    await clock.flush();
    expect(source.calls).toHaveLength(2);
    expect(source.calls[1]?.window.since).toEqual(at(-1));
  });

  it("runs another refresh right after one in flight during a step ahead that stays inside the window", async () => {
    const { clock, roster, source, behave } = await started(rota, { refreshIntervalMs: 60_000 });
    let release: (() => void) | undefined;
    behave(() => new Promise((resolve) => (release = () => resolve(rota))));
    await clock.advance(60_000);
    await clock.jump(10 * 60_000);
    roster.health();
    behave(() => rota);
    release?.();
    await clock.flush();
    expect(source.calls.map((call) => call.window.since)).toEqual([T0, at(60_000), at(11 * 60_000)]);
    expect(clock.pendingDelays()).toEqual([60_000]);
  });

  it("does not hammer a dead source: the window check fires once per held window", async () => {
    const { clock, roster, source, fail } = await started(rota, { lookaheadMs: 2 * HOUR });
    fail(outage());
    await clock.jump(3 * HOUR);
    for (let i = 0; i < 50; i++) roster.activeAt(clock.now(), level1);
    await clock.flush();
    for (let i = 0; i < 50; i++) roster.activeAt(clock.now(), level1);
    await clock.flush();
    expect(source.calls).toHaveLength(2);
    expect(source.calls[1]?.window.since).toEqual(new Date(T0.getTime() + 3 * HOUR));
  });
});
