import type { Shift } from "@pagerduty-voys/core";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPagerDutySource, PagerDutyError, type PagerDutyRequestEvent } from "./index.js";
import { never, rejectionOf, windowFrom } from "./testing/fixtures.js";
import {
  createFakePagerDuty,
  type FakeOnCall,
  type FakePagerDuty,
  phoneOf,
  phoneUser,
  rotationScenario,
  userId,
} from "./testing/index.js";

const T0 = new Date("2026-03-02T08:00:00Z");
let fake: FakePagerDuty;

beforeEach(async () => {
  fake = await createFakePagerDuty({ now: () => T0 });
});
afterEach(async () => {
  await fake.close();
});

const source = (extra: Partial<Parameters<typeof createPagerDutySource>[0]> = {}) =>
  createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, ...extra });
const summary = (shifts: Shift[]) => shifts.map((s) => [s.responder.id, s.level, s.responder.phones]);
const oncallRequests = () => fake.requests.filter((r) => r.path === "/oncalls");

describe("createPagerDutySource: shifts", () => {
  it("reads the sample scenario: every level, names and preferred phones in E.164", async () => {
    const src = source();
    expect(src.name).toBe("pagerduty");
    const shifts = await src.shifts(["PDEMO01"], windowFrom(T0), never());
    expect(shifts).toEqual([
      {
        responder: { id: "PUSER01", name: "Anna de Vries", phones: ["+31611111111"] },
        policyId: "PDEMO01",
        level: 1,
        start: null,
        end: null,
      },
      {
        responder: { id: "PUSER02", name: "Bram Jansen", phones: ["+31622222222"] },
        policyId: "PDEMO01",
        level: 1,
        start: null,
        end: null,
      },
      {
        responder: { id: "PUSER03", name: "Chris Bakker", phones: ["+31633333333"] },
        policyId: "PDEMO01",
        level: 2,
        start: null,
        end: null,
      },
    ]);
  });

  it("asks /oncalls for the policies and window with limit=100, and each user with both includes", async () => {
    await source().shifts(["PDEMO01", "POTHER2"], windowFrom(T0, 24), never());
    const [oncalls, ...users] = fake.requests;
    expect(oncalls?.query.getAll("escalation_policy_ids[]")).toEqual(["PDEMO01", "POTHER2"]);
    expect(oncalls?.query.get("since")).toBe("2026-03-02T08:00:00.000Z");
    expect(oncalls?.query.get("until")).toBe("2026-03-03T08:00:00.000Z");
    expect([oncalls?.query.get("limit"), oncalls?.query.get("offset")]).toEqual(["100", "0"]);
    expect(users.map((r) => r.path)).toEqual(["/users/PUSER01", "/users/PUSER02", "/users/PUSER03"]);
    for (const r of users)
      expect(r.query.getAll("include[]")).toEqual(["contact_methods", "notification_rules"]);
  });

  it("makes no request at all for an empty policy list (PagerDuty would list every policy)", async () => {
    expect(await source().shifts([], windowFrom(T0), never())).toEqual([]);
    expect(fake.requests).toEqual([]);
  });

  it("reads every page: 30 entries (beyond PagerDuty's default 25) and 250 (beyond 100)", async () => {
    fake.setScenario(rotationScenario(30, { start: T0 }));
    expect(await source().shifts(["PPOL001"], windowFrom(T0, 48), never())).toHaveLength(30);
    expect(oncallRequests()).toHaveLength(1);
    fake.clearRequests();
    fake.setScenario(rotationScenario(250, { start: T0 }));
    const shifts = await source().shifts(["PPOL001"], windowFrom(T0, 24 * 11), never());
    expect(shifts).toHaveLength(250);
    expect(oncallRequests().map((r) => r.query.get("offset"))).toEqual(["0", "100", "200"]);
    expect(shifts[249]).toMatchObject({ responder: { id: userId(250), phones: [phoneOf(250)] } });
    expect(shifts[249]?.start).toEqual(new Date(T0.getTime() + 249 * 3_600_000));
  });

  it("finds a level-1 user listed behind 30+ other entries (the Python program never did)", async () => {
    const scenario = rotationScenario(40, { start: new Date(T0.getTime() - 40 * 3_600_000), level: 2 });
    const late: FakeOnCall[] = Array.from({ length: 35 }, (_, i) => ({
      policyId: "PPOL001",
      level: 1,
      userId: userId(1 + (i % 5)),
      scheduleId: "PSCHED1",
      start: new Date(T0.getTime() - (40 - i) * 3_600_000),
      end: new Date(T0.getTime() - (39 - i) * 3_600_000),
    }));
    const target = phoneUser(99, "Late Lisa");
    const onCallNow = {
      policyId: "PPOL001",
      level: 1,
      userId: target.id,
      start: T0,
      end: new Date(T0.getTime() + 3_600_000),
    };
    fake.setScenario({
      users: [...scenario.users, target],
      oncalls: [...scenario.oncalls, ...late, onCallNow],
    });
    const shifts = await source().shifts(
      ["PPOL001"],
      windowFrom(new Date(T0.getTime() - 48 * 3_600_000), 72),
      never(),
    );
    const lisa = shifts.filter((s) => s.responder.id === target.id);
    expect(lisa).toEqual([
      expect.objectContaining({
        level: 1,
        start: T0,
        responder: { id: target.id, name: "Late Lisa", phones: [phoneOf(99)] },
      }),
    ]);
    expect(shifts.length).toBeGreaterThan(30);
  });

  it("returns every level: filtering by level is the roster's job", async () => {
    fake.setScenario({
      users: [phoneUser(1), phoneUser(2), phoneUser(3)],
      oncalls: [
        { policyId: "PA", level: 3, userId: userId(3) },
        { policyId: "PA", level: 1, userId: userId(1) },
        { policyId: "PA", level: 2, userId: userId(2) },
      ],
    });
    const shifts = await source().shifts(["PA"], windowFrom(T0), never());
    expect(shifts.map((s) => s.level).sort()).toEqual([1, 2, 3]);
  });

  it("deduplicates identical entries, keeps distinct shifts, and fetches each user once", async () => {
    const h = (n: number) => new Date(T0.getTime() + n * 3_600_000);
    fake.setScenario({
      users: [phoneUser(1), phoneUser(2)],
      oncalls: [
        { policyId: "PA", level: 1, userId: userId(1), scheduleId: "S1", start: h(0), end: h(8) },
        { policyId: "PA", level: 1, userId: userId(1), scheduleId: "S2", start: h(0), end: h(8) },
        { policyId: "PA", level: 1, userId: userId(1), scheduleId: null, start: h(8), end: h(16) },
        { policyId: "PA", level: 2, userId: userId(1), scheduleId: "S1", start: h(0), end: h(8) },
        { policyId: "PB", level: 1, userId: userId(1), scheduleId: "S1", start: h(0), end: h(8) },
        { policyId: "PA", level: 1, userId: userId(2), scheduleId: "S1", start: h(0), end: h(8) },
        { policyId: "PA", level: 1, userId: userId(2), scheduleId: "S1", start: h(0), end: h(8) },
      ],
    });
    const shifts = await source().shifts(["PA", "PB"], windowFrom(T0), never());
    expect(
      shifts.map((s) => `${s.responder.id} ${s.policyId} L${s.level} ${s.start?.getUTCHours()}`),
    ).toEqual([
      "PU00001 PA L1 8",
      "PU00001 PA L1 16",
      "PU00001 PB L1 8",
      "PU00002 PA L1 8",
      "PU00001 PA L2 8",
    ]);
    expect(fake.requests.filter((r) => r.path.startsWith("/users/")).map((r) => r.path)).toEqual([
      "/users/PU00001",
      "/users/PU00002",
    ]);
    expect(shifts[0]?.responder).toBe(shifts[1]?.responder);
  });

  it("uses the on-call reference's summary as the name when a user's details cannot be had", async () => {
    fake.setScenario({ users: [phoneUser(1)], oncalls: [{ policyId: "PA", level: 1, userId: "PGONE01" }] });
    const shifts = await source().shifts(["PA"], windowFrom(T0), never());
    expect(summary(shifts)).toEqual([["PGONE01", 1, []]]);
    expect(shifts[0]?.responder.name).toBe("PGONE01");
  });

  it("reports every request to onRequest with endpoint, result, status and a duration", async () => {
    const events: PagerDutyRequestEvent[] = [];
    await source({ onRequest: (e) => events.push(e) }).shifts(["PDEMO01"], windowFrom(T0), never());
    expect(events.map((e) => [e.endpoint, e.result, e.status])).toEqual([
      ["oncalls", "ok", 200],
      ["users", "ok", 200],
      ["users", "ok", 200],
      ["users", "ok", 200],
    ]);
    for (const e of events) expect(e.durationMs).toBeGreaterThanOrEqual(0);
  });

  it("keeps working when onRequest throws", async () => {
    const src = source({
      onRequest: () => {
        throw new Error("metrics broke");
      },
    });
    expect(await src.shifts(["PDEMO01"], windowFrom(T0), never())).toHaveLength(3);
  });

  it("accepts an apiUrl with a path prefix and a trailing slash", async () => {
    const src = createPagerDutySource({ apiKey: fake.token, apiUrl: `${fake.url}/proxy/` });
    const error = await rejectionOf(() => src.shifts(["PDEMO01"], windowFrom(T0), never()));
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_NOT_FOUND");
    expect(fake.requests[0]?.path).toBe("/proxy/oncalls");
  });
});

describe("createPagerDutySource: options", () => {
  it("lists every invalid option at once, without echoing the key", () => {
    let thrown: unknown;
    try {
      createPagerDutySource({
        apiKey: "bad key\nwith-newline",
        apiUrl: "ftp://example.com",
        requestTimeoutMs: 0,
        userCacheTtlMs: -1,
        userConcurrency: 1.5,
      });
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(PagerDutyError);
    const { code, message } = thrown as PagerDutyError;
    expect(code).toBe("PDV_ERR_PAGERDUTY_INVALID_OPTIONS");
    for (const name of ["apiKey", "apiUrl", "requestTimeoutMs", "userCacheTtlMs", "userConcurrency"]) {
      expect(message).toContain(name);
    }
    expect(message).not.toContain("with-newline");
  });

  it("rejects a missing key", () => {
    expect(() => createPagerDutySource({ apiKey: "" })).toThrow(/apiKey/);
    expect(() => createPagerDutySource({ apiKey: "k", apiUrl: "not a url" })).toThrow(/apiUrl/);
  });

  it("defaults apiUrl to PagerDuty's US endpoint", () => {
    expect(() => createPagerDutySource({ apiKey: "k" })).not.toThrow();
  });
});
