import { createRecordingLogger } from "@pagerduty-voys/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPagerDutySource } from "./index.js";
import { never, phonesById, team, windowFrom } from "./testing/fixtures.js";
import { createFakePagerDuty, type FakePagerDuty, phoneOf, userId } from "./testing/index.js";

const T0 = new Date("2026-03-02T08:00:00Z");

let fake: FakePagerDuty;
let wall: number;
let mono: number;
const userRequests = () => fake.requests.filter((r) => r.path.startsWith("/users/"));

beforeEach(async () => {
  wall = T0.getTime();
  mono = 0;
  fake = await createFakePagerDuty({ scenario: team(50), now: () => new Date(wall) });
});
afterEach(async () => {
  await fake.close();
});

/** A source whose user cache expires after 1 s, on clocks the test moves. */
function source(logger = createRecordingLogger(), extra: { requestTimeoutMs?: number } = {}) {
  const src = createPagerDutySource({
    apiKey: fake.token,
    apiUrl: fake.url,
    userCacheTtlMs: 1_000,
    now: () => new Date(wall),
    monotonicNow: () => mono,
    logger,
    ...extra,
  });
  const refresh = () => src.shifts(["PA"], windowFrom(new Date(wall)), never());
  const step = (ms: number) => {
    wall += ms;
    mono += ms;
  };
  return { src, logger, refresh, step };
}

describe("/users failing while /oncalls works", () => {
  it("backs off, keeps the cached numbers, and logs one line per outage and one per recovery", async () => {
    const { logger, refresh, step } = source();
    await refresh();
    await fake.setFault("error-500", { match: /^\/users\// });
    fake.clearRequests();
    // A minute of refreshes every 5 s (50 users; before: 550 user requests and 550 warnings).
    for (let i = 0; i < 12; i++) {
      step(5_000);
      const shifts = await refresh();
      expect(phonesById(shifts)[userId(50)]).toEqual([phoneOf(50)]);
    }
    // The refreshes did ask PagerDuty and were refused: the numbers came from the cache.
    expect(userRequests().length).toBeGreaterThan(0);
    expect(userRequests().every((r) => r.status === 500)).toBe(true);
    expect(userRequests().length).toBeLessThanOrEqual(12);
    const warnings = logger.lines.filter((l) => l.level === "warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.msg).toContain("/users is failing");
    expect(warnings[0]?.fields).toMatchObject({
      code: "PDV_ERR_PAGERDUTY_UNAVAILABLE",
      stale: true,
      users: 50,
    });

    await fake.setFault(null);
    step(120_000);
    const shifts = await refresh();
    expect(Object.values(phonesById(shifts)).every((phones) => phones.length === 1)).toBe(true);
    const infos = logger.lines.filter((l) => l.level === "info");
    expect(infos).toHaveLength(1);
    expect(infos[0]?.msg).toContain("answers again");
    expect(logger.lines.filter((l) => l.level === "warn")).toHaveLength(1);
  });

  it("sends no user request while backing off, then one probe (a timeout counts as a failure)", async () => {
    const { refresh, step } = source(createRecordingLogger(), { requestTimeoutMs: 200 });
    await refresh();
    await fake.setFault("hang", { match: /^\/users\// });
    step(5_000);
    fake.clearRequests();
    await refresh();
    const first = userRequests().length;
    expect(first).toBeGreaterThan(0);
    expect(first).toBeLessThanOrEqual(4);
    expect(userRequests().every((r) => r.status === null)).toBe(true);
    step(100);
    await refresh();
    expect(userRequests()).toHaveLength(first);
    step(120_000);
    await refresh();
    expect(userRequests()).toHaveLength(first + 1);
  });

  it("warns once about a single failing user while the others answer, not at every refresh", async () => {
    const { logger, refresh, step } = source();
    await refresh();
    await fake.setFault("error-500", { match: `/users/${userId(7)}` });
    for (let i = 0; i < 5; i++) {
      step(5_000);
      expect(phonesById(await refresh())[userId(7)]).toEqual([phoneOf(7)]);
    }
    expect(logger.lines.filter((l) => l.level === "warn")).toHaveLength(1);
    expect(logger.lines.filter((l) => l.level === "info")).toHaveLength(0);
  });
});

describe("a user PagerDuty says is gone (404)", () => {
  it("is dropped from routing at the next refresh that asks, with one log line, not kept with the cached number", async () => {
    const { logger, refresh, step } = source();
    expect(phonesById(await refresh())[userId(3)]).toEqual([phoneOf(3)]);
    const scenario = team(50);
    fake.setScenario({ users: scenario.users.filter((u) => u.id !== userId(3)), oncalls: scenario.oncalls });
    for (let i = 0; i < 3; i++) {
      step(5_000);
      const phones = phonesById(await refresh());
      expect(phones[userId(3)]).toEqual([]);
      expect(phones[userId(4)]).toEqual([phoneOf(4)]);
    }
    expect(fake.requests.some((r) => r.path === `/users/${userId(3)}` && r.status === 404)).toBe(true);
    const lines = logger.lines.filter((l) => l.level !== "debug");
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatchObject({ level: "warn", fields: { userId: userId(3) } });
    expect(lines[0]?.msg).toContain("dropped from routing");
  });
});

describe("the user cache on a stepped wall clock", () => {
  it("ages details on monotonic time: a wall clock stepped back 2 h does not keep them for 2 h more", async () => {
    const { refresh } = source();
    await refresh();
    fake.clearRequests();
    wall -= 2 * 3_600_000;
    mono += 5_000;
    await refresh();
    expect(userRequests()).toHaveLength(50);
  });
});
