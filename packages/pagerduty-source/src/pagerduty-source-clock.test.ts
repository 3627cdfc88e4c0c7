import { createRefreshingRoster, type RefreshReport } from "@pagerduty-voys/core";
import { createManualClock } from "@pagerduty-voys/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPagerDutySource } from "./index.js";
import {
  createFakePagerDuty,
  type FakePagerDuty,
  type FakeScenario,
  phoneOf,
  phoneUser,
  rotationScenario,
  userId,
} from "./testing/index.js";

const T0 = new Date("2026-03-02T08:00:00Z");
const HOUR = 3_600_000;
const level1 = { policyId: "PPOL001", level: 1 };
const level2 = { policyId: "PPOL001", level: 2 };

/** Level 1 rotates hourly from T0 − 3 h (user 4 is on call at T0); user 99 is on level 2 for good. */
function scenario(): FakeScenario {
  const rotation = rotationScenario(8, { start: new Date(T0.getTime() - 3 * HOUR) });
  return {
    users: [...rotation.users, phoneUser(99)],
    oncalls: [...rotation.oncalls, { policyId: "PPOL001", level: 2, userId: userId(99) }],
  };
}

let fake: FakePagerDuty;
beforeEach(async () => {
  fake = await createFakePagerDuty({ scenario: scenario() });
});
afterEach(async () => {
  await fake.close();
});

/**
 * A roster over loopback HTTP whose wall and monotonic clocks and timers are a manual clock: no
 * scheduled refresh can run unless the test moves time, so a refresh after a jump is the roster's own.
 */
function jumpyRoster() {
  const clock = createManualClock(T0);
  const reports: RefreshReport[] = [];
  const waiting: (() => void)[] = [];
  const roster = createRefreshingRoster({
    source: createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, now: clock.now }),
    policyIds: ["PPOL001"],
    now: clock.now,
    monotonicNow: clock.monotonicNow,
    timers: clock.timers,
    onRefresh: (report) => {
      reports.push(report);
      for (const wake of waiting.splice(0)) wake();
    },
  });
  /** Resolves at the next refresh's end; rejects after `ms` of real time. */
  const nextRefresh = (ms = 5_000) =>
    new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no refresh within ${ms} ms`)), ms);
      waiting.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  const phones = (selector: typeof level1) =>
    roster.activeAt(clock.now(), selector).flatMap((responder) => responder.phones);
  return { clock, roster, reports, nextRefresh, phones };
}

describe("a wall clock that jumps, over HTTP", () => {
  it("2 h back: refreshes at once, so level 1 is answered again within one refresh, not a minute", async () => {
    const { clock, roster, nextRefresh, phones } = jumpyRoster();
    try {
      const loaded = nextRefresh();
      roster.start();
      await loaded;
      expect(phones(level1)).toEqual([phoneOf(4)]);
      await clock.jump(-2 * HOUR);
      const refreshed = nextRefresh();
      const startedAt = performance.now();
      // The held window starts at T0: nobody held covers T0 − 2 h, and the call starts a refresh.
      expect(phones(level1)).toEqual([]);
      await refreshed;
      const gapMs = performance.now() - startedAt;
      expect(phones(level1)).toEqual([phoneOf(2)]);
      expect(gapMs).toBeLessThan(5_000);
      expect(clock.monotonicNow()).toBe(0);
      const since = fake.requests
        .filter((r) => r.path === "/oncalls")
        .at(-1)
        ?.query.get("since");
      expect(since).toBe(new Date(T0.getTime() - 2 * HOUR).toISOString());
    } finally {
      await roster.stop();
    }
  });

  it("25 h ahead: the permanent level-2 responder is answered at once, and the roster refreshes at once", async () => {
    const { clock, roster, nextRefresh, phones, reports } = jumpyRoster();
    try {
      const loaded = nextRefresh();
      roster.start();
      await loaded;
      await clock.jump(25 * HOUR);
      const refreshed = nextRefresh();
      expect(phones(level2)).toEqual([phoneOf(99)]);
      await refreshed;
      expect(reports.map((r) => r.ok)).toEqual([true, true]);
      expect(roster.health(clock.now()).state).toBe("fresh");
      expect(phones(level2)).toEqual([phoneOf(99)]);
      expect(roster.health().coveredUntil).toEqual(new Date(T0.getTime() + 49 * HOUR));
    } finally {
      await roster.stop();
    }
  });
});
