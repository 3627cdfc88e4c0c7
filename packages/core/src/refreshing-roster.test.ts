import { describe, expect, it } from "vitest";
import { MAX_LOOKAHEAD_MS } from "./roster-options.js";
import {
  alice,
  at,
  bob,
  carol,
  gaps,
  HOUR,
  ids,
  level1,
  outage,
  person,
  setup,
  shift,
  T0,
} from "./testing/roster-fixtures.js";

describe("createRefreshingRoster: answers from memory", () => {
  const shifts = [
    shift(bob, at(-HOUR), at(HOUR)),
    shift(alice, null, null),
    shift(alice, at(-HOUR), at(2 * HOUR)),
    shift(carol, at(-HOUR), at(HOUR), 2),
    shift(person("POTHER1"), null, null, 1, "PPOL2"),
  ];

  it("loads at start, then answers deduplicated responders in id order per policy and level", async () => {
    const { clock, source, roster } = setup(shifts, { policyIds: ["PPOL1", "PPOL2"] });
    roster.start();
    await clock.flush();
    expect(source.calls).toHaveLength(1);
    expect(ids(roster.activeAt(T0, level1))).toEqual(["PALICE1", "PBOB001"]);
    expect(ids(roster.activeAt(T0, { policyId: "PPOL1", level: 2 }))).toEqual(["PCAROL1"]);
    expect(ids(roster.activeAt(T0, { policyId: "PPOL2", level: 1 }))).toEqual(["POTHER1"]);
    expect(roster.activeAt(T0, { policyId: "PNONE", level: 1 })).toEqual([]);
    expect(await roster.whenLoaded(0)).toBe(true);
    expect(roster.shiftsFor(level1)).toHaveLength(3);
  });

  it("asks the source for every policy once, over [now, now + lookahead]", async () => {
    const { clock, source, roster } = setup(shifts, {
      policyIds: ["PPOL1", "PPOL2", "PPOL1"],
      lookaheadMs: HOUR,
    });
    roster.start();
    await clock.flush();
    expect(source.calls[0]?.policyIds).toEqual(["PPOL1", "PPOL2"]);
    expect(source.calls[0]?.window).toEqual({ since: T0, until: at(HOUR) });
    expect(roster.health().coveredUntil).toEqual(at(HOUR));
  });

  it("clamps the lookahead to 89 days, a day under PagerDuty's 90-day limit", async () => {
    const { clock, source, roster } = setup(shifts, { lookaheadMs: 120 * 24 * HOUR });
    roster.start();
    await clock.flush();
    expect(source.calls[0]?.window).toEqual({ since: T0, until: at(MAX_LOOKAHEAD_MS) });
    expect(MAX_LOOKAHEAD_MS).toBe(89 * 24 * HOUR);
  });

  it("answers [] while cold, and health says cold", () => {
    const { roster } = setup(shifts);
    expect(roster.activeAt(T0, level1)).toEqual([]);
    expect(roster.health()).toMatchObject({ state: "cold", ageMs: null, lastSuccessAt: null });
  });

  it("hands calls to the next person at the exact instant of a shift change, without asking the source", async () => {
    const { clock, source, roster, fail } = setup([
      shift(alice, at(-HOUR), at(HOUR)),
      shift(bob, at(HOUR), null),
    ]);
    roster.start();
    await clock.flush();
    fail(outage());
    expect(ids(roster.activeAt(at(HOUR - 1), level1))).toEqual(["PALICE1"]);
    expect(ids(roster.activeAt(at(HOUR), level1))).toEqual(["PBOB001"]);
    expect(source.calls).toHaveLength(1);
    await clock.advance(HOUR);
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PBOB001"]);
    expect(roster.health().consecutiveFailures).toBeGreaterThan(0);
  });

  it("keeps answering from the last good roster during an outage after warm-up", async () => {
    const { clock, roster, fail } = setup(shifts, { staleAfterMs: 300_000 });
    roster.start();
    await clock.flush();
    fail(outage());
    await clock.advance(60_000);
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1", "PBOB001"]);
    expect(roster.health()).toMatchObject({
      state: "fresh",
      consecutiveFailures: 1,
      lastError: { code: "PDV_ERR_PAGERDUTY_UNAVAILABLE", message: "PagerDuty answered 503" },
      lastFailureAt: at(60_000),
      lastSuccessAt: T0,
    });
    await clock.advance(250_000);
    expect(roster.health()).toMatchObject({ state: "stale", ageMs: 310_000 });
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1", "PBOB001"]);
  });

  it("gives an age of 0, not less, for a now before the last success", async () => {
    const { clock, roster } = setup(shifts);
    roster.start();
    await clock.flush();
    expect(roster.health(at(-1_000))).toMatchObject({ state: "fresh", ageMs: 0 });
    expect(roster.health(at(1_000))).toMatchObject({ state: "fresh", ageMs: 1_000 });
  });

  it("lists no shifts for a selector it does not hold, cold or warm", async () => {
    const { clock, roster } = setup(shifts);
    expect(roster.shiftsFor(level1)).toEqual([]);
    roster.start();
    await clock.flush();
    expect(roster.shiftsFor({ policyId: "PNONE", level: 1 })).toEqual([]);
  });

  it("refreshes every refreshIntervalMs after a success", async () => {
    const { clock, source, roster } = setup(shifts, { refreshIntervalMs: 30_000 });
    roster.start();
    await clock.advance(90_000);
    expect(gaps(source.calls)).toEqual([30_000, 30_000, 30_000]);
  });
});

describe("createRefreshingRoster: expiry", () => {
  it("says expired once the held window has ended, warns once, and answers only shifts known to cover now", async () => {
    const { clock, log, roster, fail, source } = setup(
      [shift(alice, null, null), shift(bob, null, at(3 * HOUR))],
      { lookaheadMs: 2 * HOUR },
    );
    roster.start();
    await clock.flush();
    fail(outage());
    await clock.advance(2 * HOUR - 1);
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1", "PBOB001"]);
    await clock.advance(1);
    // Permanent and still-running shifts keep answering; the window alone does not empty the roster.
    for (let i = 0; i < 3; i++)
      expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1", "PBOB001"]);
    await clock.advance(HOUR);
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    expect(roster.health().state).toBe("expired");
    expect(source.calls.length).toBeGreaterThan(1);
    expect(log.at("warn").filter((line) => line.msg?.includes("expired"))).toHaveLength(1);
  });

  it("warns about the expiry from the refresh loop too, without waiting for a call", async () => {
    const { clock, log, roster, fail } = setup([shift(alice, null, null)], { lookaheadMs: HOUR });
    roster.start();
    await clock.flush();
    fail(outage());
    await clock.advance(HOUR + 60_000);
    expect(log.at("warn").filter((line) => line.msg?.includes("expired"))).toHaveLength(1);
    expect(roster.health().state).toBe("expired");
  });

  it("answers again, and may warn again, after a refresh succeeds", async () => {
    const { clock, log, roster, fail, behave } = setup([shift(alice, null, null)], { lookaheadMs: HOUR });
    roster.start();
    await clock.flush();
    fail(outage());
    await clock.advance(HOUR);
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    expect(roster.health().state).toBe("expired");
    behave(() => [shift(alice, null, null)]);
    await roster.refresh();
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    expect(roster.health().state).toBe("fresh");
    fail(outage());
    await clock.advance(HOUR);
    roster.activeAt(clock.now(), level1);
    expect(log.at("warn").filter((line) => line.msg?.includes("expired"))).toHaveLength(2);
  });
});
