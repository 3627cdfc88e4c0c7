import { createRecordingLogger } from "@pagerduty-voys/core/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPagerDutySource } from "./index.js";
import { never, phonesById, rejectionOf, team, windowFrom } from "./testing/fixtures.js";
import { createFakePagerDuty, type FakePagerDuty, phoneOf, phoneUser, userId } from "./testing/index.js";

const T0 = new Date("2026-03-02T08:00:00Z");
let fake: FakePagerDuty;
let clock: Date;

const userRequests = () => fake.requests.filter((r) => r.path.startsWith("/users/"));

beforeEach(async () => {
  clock = T0;
  fake = await createFakePagerDuty({ scenario: team(3), now: () => clock });
});
afterEach(async () => {
  await fake.close();
});

describe("user details cache", () => {
  it("makes no user request within the TTL and fetches again after it (injected clock)", async () => {
    const src = createPagerDutySource({
      apiKey: fake.token,
      apiUrl: fake.url,
      userCacheTtlMs: 60_000,
      now: () => clock,
    });
    await src.shifts(["PA"], windowFrom(clock), never());
    expect(userRequests()).toHaveLength(3);
    fake.clearRequests();
    clock = new Date(T0.getTime() + 59_999);
    await src.shifts(["PA"], windowFrom(clock), never());
    expect(fake.requests.map((r) => r.path)).toEqual(["/oncalls"]);
    fake.clearRequests();
    clock = new Date(T0.getTime() + 60_000);
    await src.shifts(["PA"], windowFrom(clock), never());
    expect(userRequests()).toHaveLength(3);
  });

  it("sees changed contact details once the cached ones expire", async () => {
    const src = createPagerDutySource({
      apiKey: fake.token,
      apiUrl: fake.url,
      userCacheTtlMs: 1_000,
      now: () => clock,
    });
    await src.shifts(["PA"], windowFrom(clock), never());
    fake.setScenario({
      ...team(3),
      users: [phoneUser(7), phoneUser(2), phoneUser(3)].map((u, i) => ({ ...u, id: userId(i + 1) })),
    });
    expect(phonesById(await src.shifts(["PA"], windowFrom(clock), never()))[userId(1)]).toEqual([phoneOf(1)]);
    clock = new Date(T0.getTime() + 1_000);
    expect(phonesById(await src.shifts(["PA"], windowFrom(clock), never()))[userId(1)]).toEqual([phoneOf(7)]);
  });

  it("with userCacheTtlMs 0 fetches users on every call", async () => {
    const src = createPagerDutySource({
      apiKey: fake.token,
      apiUrl: fake.url,
      userCacheTtlMs: 0,
      now: () => clock,
    });
    await src.shifts(["PA"], windowFrom(clock), never());
    await src.shifts(["PA"], windowFrom(clock), never());
    expect(userRequests()).toHaveLength(6);
  });
});

describe("bounded concurrency", () => {
  it("never has more than userConcurrency user requests in flight", async () => {
    fake.setScenario(team(10));
    fake.setLatency(40);
    const src = createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, userConcurrency: 3 });
    const shifts = await src.shifts(["PA"], windowFrom(clock), never());
    expect(shifts).toHaveLength(10);
    expect(userRequests()).toHaveLength(10);
    expect(fake.maxConcurrentRequests).toBeLessThanOrEqual(3);
    expect(fake.maxConcurrentRequests).toBeGreaterThan(1);
  });

  it("sends user requests one by one with userConcurrency 1", async () => {
    fake.setScenario(team(4));
    fake.setLatency(20);
    const src = createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, userConcurrency: 1 });
    await src.shifts(["PA"], windowFrom(clock), never());
    expect(fake.maxConcurrentRequests).toBe(1);
  });
});

describe("one user's details failing", () => {
  it("leaves that responder without phones, warns, and keeps everyone else's phones", async () => {
    const logger = createRecordingLogger();
    await fake.setFault("error-500", { match: `/users/${userId(2)}` });
    const src = createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, logger });
    const shifts = await src.shifts(["PA"], windowFrom(clock), never());
    expect(phonesById(shifts)).toEqual({
      [userId(1)]: [phoneOf(1)],
      [userId(2)]: [],
      [userId(3)]: [phoneOf(3)],
    });
    expect(shifts.find((s) => s.responder.id === userId(2))?.responder.name).toBe("User 2");
    const warnings = logger.at("warn");
    expect(warnings).toHaveLength(1);
    expect(warnings[0]?.fields).toMatchObject({
      userId: userId(2),
      code: "PDV_ERR_PAGERDUTY_UNAVAILABLE",
      stale: false,
    });
  });

  it("uses that user's stale cached details when fetching them again fails", async () => {
    const logger = createRecordingLogger();
    const src = createPagerDutySource({
      apiKey: fake.token,
      apiUrl: fake.url,
      userCacheTtlMs: 1_000,
      now: () => clock,
      logger,
    });
    await src.shifts(["PA"], windowFrom(clock), never());
    clock = new Date(T0.getTime() + 5_000);
    await fake.setFault("bad-gateway", { match: `/users/${userId(3)}` });
    const shifts = await src.shifts(["PA"], windowFrom(clock), never());
    expect(phonesById(shifts)[userId(3)]).toEqual([phoneOf(3)]);
    expect(logger.at("warn")[0]?.fields).toMatchObject({
      userId: userId(3),
      stale: true,
    });
  });

  it("treats a deleted user (404) the same way", async () => {
    fake.setScenario({
      ...team(2),
      oncalls: [...team(2).oncalls, { policyId: "PA", level: 1, userId: "PDELETED" }],
    });
    const shifts = await createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url }).shifts(
      ["PA"],
      windowFrom(clock),
      never(),
    );
    expect(phonesById(shifts)).toEqual({
      [userId(1)]: [phoneOf(1)],
      [userId(2)]: [phoneOf(2)],
      PDELETED: [],
    });
  });

  it.each([
    ["unauthorized", "PDV_ERR_PAGERDUTY_UNAUTHORIZED"],
    ["forbidden", "PDV_ERR_PAGERDUTY_FORBIDDEN"],
  ] as const)("fails the whole call when a user answers %s, even with stale details", async (fault, code) => {
    const src = createPagerDutySource({
      apiKey: fake.token,
      apiUrl: fake.url,
      userCacheTtlMs: 1_000,
      now: () => clock,
    });
    await src.shifts(["PA"], windowFrom(clock), never());
    clock = new Date(T0.getTime() + 5_000);
    await fake.setFault(fault, { match: `/users/${userId(2)}` });
    const error = await rejectionOf(() => src.shifts(["PA"], windowFrom(clock), never()));
    expect(error.code).toBe(code);
  });

  it("fails the whole call on a 429 for a user without cached details, with retryAfterMs", async () => {
    await fake.setFault("rate-limit", { match: /^\/users\//, resetSeconds: 12 });
    const src = createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, userConcurrency: 1 });
    const error = await rejectionOf(() => src.shifts(["PA"], windowFrom(clock), never()));
    expect(error).toMatchObject({ code: "PDV_ERR_PAGERDUTY_RATE_LIMITED", retryAfterMs: 12_000 });
    expect(userRequests()).toHaveLength(1);
  });
});
