import { createRefreshingRoster, type RefreshReport } from "@pagerduty-voys/core";
import { createRecordingLogger } from "@pagerduty-voys/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPagerDutySource } from "./index.js";
import { ONCALLS_POLICIES_PER_REQUEST } from "./oncalls.js";
import { never, windowFrom } from "./testing/fixtures.js";
import {
  createFakePagerDuty,
  type FakePagerDuty,
  type FakeScenario,
  phoneOf,
  phoneUser,
  userId,
} from "./testing/index.js";

const T0 = new Date("2026-03-02T08:00:00Z");
const policyId = (n: number) => `PPOL${String(n).padStart(4, "0")}`;

/** `policies` policies, each with one permanent level-1 responder out of `users` users. */
function bigAccount(policies: number, users: number): FakeScenario {
  return {
    users: Array.from({ length: users }, (_, i) => phoneUser(i + 1)),
    oncalls: Array.from({ length: policies }, (_, i) => ({
      policyId: policyId(i + 1),
      level: 1,
      userId: userId((i % users) + 1),
    })),
  };
}
const allPolicies = (count: number) => Array.from({ length: count }, (_, i) => policyId(i + 1));

let fake: FakePagerDuty;
beforeEach(async () => {
  fake = await createFakePagerDuty({ scenario: bigAccount(1_000, 500), now: () => T0 });
});
afterEach(async () => {
  await fake.close();
});

describe("a big account", () => {
  it("loads 1000 policies and 500 users: at most 50 policy ids per /oncalls request, one request at a time", async () => {
    const src = createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url });
    const shifts = await src.shifts(allPolicies(1_000), windowFrom(T0), never());
    expect(new Set(shifts.map((s) => s.policyId)).size).toBe(1_000);
    expect(shifts.find((s) => s.policyId === policyId(1_000))?.responder.phones).toEqual([phoneOf(500)]);
    const oncalls = fake.requests.filter((r) => r.path === "/oncalls");
    expect(oncalls).toHaveLength(1_000 / ONCALLS_POLICIES_PER_REQUEST);
    for (const request of oncalls) {
      expect(request.query.getAll("escalation_policy_ids[]").length).toBeLessThanOrEqual(50);
    }
    // Every /oncalls request was answered before the next one was sent (one at a time).
    const order = fake.requests.map((r) => r.path === "/oncalls");
    expect(order.lastIndexOf(true)).toBeLessThan(order.indexOf(false));
  });

  it("asks for at most 89 days even when told more", async () => {
    const src = createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url });
    await src.shifts([policyId(1)], windowFrom(T0, 24 * 95), never());
    const until = new Date(fake.requests[0]?.query.get("until") ?? "");
    expect(until.getTime() - T0.getTime()).toBe(89 * 86_400_000);
  });

  it("answers from the responders already resolved during a slow first load, and keeps the user cache after a timeout", async () => {
    fake.setScenario(bigAccount(500, 500));
    fake.setLatency(30);
    const rosterLog = createRecordingLogger();
    const reports: RefreshReport[] = [];
    let firstFailure: () => void = () => {};
    let loaded: () => void = () => {};
    const failedOnce = new Promise<void>((resolve) => (firstFailure = resolve));
    const loadedOnce = new Promise<void>((resolve) => (loaded = resolve));
    const roster = createRefreshingRoster({
      source: createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, userConcurrency: 4 }),
      policyIds: allPolicies(500),
      refreshTimeoutMs: 2_500,
      backoff: { initialMs: 50, maxMs: 100 },
      logger: rosterLog,
      onRefresh: (report) => {
        reports.push(report);
        if (!report.ok) firstFailure();
        else loaded();
      },
    });
    const answering = () =>
      allPolicies(500).filter((id) => roster.activeAt(new Date(), { policyId: id, level: 1 }).length > 0)
        .length;
    try {
      roster.start();
      await failedOnce;
      // The first refresh timed out (500 users at 30 ms, 4 at a time, take over 3.7 s)...
      expect(roster.health()).toMatchObject({ state: "cold", lastError: { code: "PDV_ERR_ROSTER_TIMEOUT" } });
      expect(
        rosterLog.lines.filter((l) => l.level === "error" && l.msg?.includes("cannot load")),
      ).toHaveLength(1);
      // ...yet the policies whose responders were resolved already answer.
      const partial = answering();
      expect(partial).toBeGreaterThan(0);
      expect(partial).toBeLessThan(500);
      await loadedOnce;
      expect(roster.health().state).toBe("fresh");
      expect(answering()).toBe(500);
      // Each timed-out refresh kept what it fetched: only the requests cut short were sent again.
      const failures = reports.filter((r) => !r.ok).length;
      expect(reports.at(-1)?.ok).toBe(true);
      const userRequests = fake.requests.filter((r) => r.path.startsWith("/users/")).length;
      expect(userRequests).toBeLessThanOrEqual(500 + 4 * failures);
    } finally {
      await roster.stop();
    }
  }, 30_000);
});
