import { request as httpRequest } from "node:http";
import { PdvError } from "@pagerduty-voys/core";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import {
  createFakePagerDuty,
  FAKE_PAGERDUTY_ERROR_CODES,
  type FakePagerDuty,
  rotationScenario,
  sampleScenario,
  userId,
} from "../index.js";

const T0 = new Date("2026-03-02T08:00:00Z");
let fake: FakePagerDuty;

beforeEach(async () => {
  fake = await createFakePagerDuty({ now: () => T0 });
});
afterEach(async () => {
  await fake.close();
});

async function get(
  path: string,
  headers: Record<string, string> = { authorization: `Token token=${fake.token}` },
) {
  const response = await fetch(`${fake.url}${path}`, { headers });
  const text = await response.text();
  const body = response.headers.get("content-type")?.includes("json") ? JSON.parse(text) : text;
  return { status: response.status, headers: response.headers, body };
}

describe("fake PagerDuty: authentication", () => {
  it.each([
    ["no Authorization header", {}],
    ["a wrong token", { authorization: "Token token=nope" }],
    ["a Bearer token", { authorization: `Bearer ${"fake-pagerduty-token"}` }],
    ["a lower-case scheme", { authorization: "token token=fake-pagerduty-token" }],
  ])("answers 401 with PagerDuty's error body for %s", async (_label, headers) => {
    const { status, body } = await get("/oncalls", headers);
    expect(status).toBe(401);
    expect(body).toEqual({ error: { message: "Unauthorized", code: 2006 } });
  });

  it("accepts `Token token=<token>` with or without the v2 Accept header, and a custom token", async () => {
    expect((await get("/oncalls")).status).toBe(200);
    const accept = "application/vnd.pagerduty+json;version=2";
    expect((await get("/oncalls", { authorization: `Token token=${fake.token}`, accept })).status).toBe(200);
    const other = await createFakePagerDuty({ token: "s3cret" });
    try {
      const response = await fetch(`${other.url}/oncalls`, {
        headers: { authorization: "Token token=s3cret" },
      });
      expect(response.status).toBe(200);
      expect(other.token).toBe("s3cret");
    } finally {
      await other.close();
    }
  });
});

describe("fake PagerDuty: /oncalls", () => {
  it("renders entries as the OpenAPI Oncall schema, user references unless include[]=users", async () => {
    const { body, headers } = await get("/oncalls");
    expect(headers.get("ratelimit-limit")).toBe("960");
    expect(headers.get("ratelimit-remaining")).toBe("959");
    expect(Number(headers.get("ratelimit-reset"))).toBe(60);
    expect(body).toMatchObject({ limit: 25, offset: 0, more: false, total: null });
    expect(body.oncalls).toHaveLength(3);
    expect(body.oncalls[0]).toEqual({
      escalation_policy: {
        id: "PDEMO01",
        type: "escalation_policy_reference",
        summary: "PDEMO01",
        self: `${fake.url}/escalation_policies/PDEMO01`,
        html_url: "https://example.pagerduty.com/escalation_policies/PDEMO01",
      },
      escalation_level: 1,
      schedule: null,
      user: {
        id: "PUSER01",
        type: "user_reference",
        summary: "Anna de Vries",
        self: `${fake.url}/users/PUSER01`,
        html_url: "https://example.pagerduty.com/users/PUSER01",
      },
      start: null,
      end: null,
    });
    const withUsers = await get("/oncalls?include[]=users");
    expect(withUsers.body.oncalls[0].user).toMatchObject({
      id: "PUSER01",
      type: "user",
      name: "Anna de Vries",
    });
    expect(withUsers.body.oncalls[0].user.contact_methods[0].type).toBe("phone_contact_method_reference");
  });

  it("pages: limit defaults to 25 and is capped at 100; more; total only with total=true", async () => {
    fake.setScenario(rotationScenario(130, { start: T0 }));
    const q = "since=2026-03-01T00:00:00Z&until=2026-03-10T00:00:00Z";
    const first = (await get(`/oncalls?${q}`)).body;
    expect(first).toMatchObject({ limit: 25, offset: 0, more: true, total: null });
    expect(first.oncalls).toHaveLength(25);
    const capped = (await get(`/oncalls?${q}&limit=500&offset=100&total=true`)).body;
    expect(capped).toMatchObject({ limit: 100, offset: 100, more: false, total: 130 });
    expect(capped.oncalls.map((e: { user: { id: string } }) => e.user.id)).toEqual(
      Array.from({ length: 30 }, (_, i) => userId(101 + i)),
    );
    const middle = (await get(`/oncalls?${q}&limit=100&offset=25`)).body;
    expect(middle).toMatchObject({ offset: 25, more: true });
    expect(middle.oncalls[0].user.id).toBe(userId(26));
  });

  it("refuses bad paging and ranges with 400 and PagerDuty's error body", async () => {
    for (const query of [
      "offset=9950&limit=100",
      "limit=abc",
      "offset=-1",
      "limit=0",
      "since=yesterday",
      "since=2026-03-02T00:00:00Z&until=2026-03-01T00:00:00Z",
      "since=2026-01-01T00:00:00Z&until=2026-06-01T00:00:00Z",
    ]) {
      const { status, body } = await get(`/oncalls?${query}`);
      expect(status, query).toBe(400);
      expect(body.error).toMatchObject({ message: "Invalid Input Provided", code: 2001 });
      expect(body.error.errors).toHaveLength(1);
    }
    expect((await get("/oncalls?offset=9900&limit=100")).status).toBe(200);
  });

  it("filters by overlap with since/until (default: now), by policy, user and schedule", async () => {
    const h = (n: number) => new Date(T0.getTime() + n * 3_600_000).toISOString();
    fake.setScenario({
      users: sampleScenario().users,
      oncalls: [
        { policyId: "PA", level: 1, userId: "PUSER01", scheduleId: "S1", start: h(-2), end: h(0) },
        { policyId: "PA", level: 1, userId: "PUSER02", scheduleId: "S1", start: h(0), end: h(2) },
        { policyId: "PA", level: 2, userId: "PUSER03", scheduleId: null, start: null, end: null },
        { policyId: "PB", level: 1, userId: "PUSER01", scheduleId: "S2", start: h(4), end: h(6) },
      ],
    });
    const ids = async (query: string) =>
      (await get(`/oncalls?${query}`)).body.oncalls.map((e: { user: { id: string } }) => e.user.id);
    expect(await ids("")).toEqual(["PUSER02", "PUSER03"]);
    expect(await ids(`since=${h(-1)}&until=${h(-1)}`)).toEqual(["PUSER01", "PUSER03"]);
    expect(await ids(`since=${h(-3)}&until=${h(5)}`)).toEqual(["PUSER01", "PUSER02", "PUSER01", "PUSER03"]);
    expect(await ids(`since=${h(2)}&until=${h(4)}`)).toEqual(["PUSER03"]);
    expect(await ids(`since=${h(-3)}&until=${h(5)}&escalation_policy_ids[]=PB`)).toEqual(["PUSER01"]);
    expect(await ids(`since=${h(-3)}&until=${h(5)}&user_ids[]=PUSER01`)).toEqual(["PUSER01", "PUSER01"]);
    expect(await ids(`since=${h(-3)}&until=${h(5)}&schedule_ids[]=null`)).toEqual(["PUSER03"]);
    expect(await ids(`since=${h(-3)}&until=${h(5)}&schedule_ids[]=S2&schedule_ids[]=S1`)).toHaveLength(3);
    const one = (await get(`/oncalls?since=${h(-1)}&until=${h(1)}&escalation_policy_ids[]=PA`)).body
      .oncalls[0];
    expect(one).toMatchObject({ start: h(-2).replace(".000Z", "Z"), end: h(0).replace(".000Z", "Z") });
    expect(one.schedule).toMatchObject({ id: "S1", type: "schedule_reference" });
  });

  it("sorts by level and keeps one entry per policy, level and user with earliest=true", async () => {
    const h = (n: number) => new Date(T0.getTime() + n * 3_600_000);
    fake.setScenario({
      users: sampleScenario().users,
      oncalls: [
        { policyId: "PA", level: 2, userId: "PUSER03", start: h(0), end: h(1) },
        { policyId: "PA", level: 1, userId: "PUSER01", start: h(2), end: h(3) },
        { policyId: "PA", level: 1, userId: "PUSER01", start: h(0), end: h(1) },
      ],
    });
    const all = (await get(`/oncalls?since=${h(0).toISOString()}&until=${h(5).toISOString()}`)).body.oncalls;
    expect(all.map((e: { escalation_level: number }) => e.escalation_level)).toEqual([1, 1, 2]);
    const q = `since=${h(0).toISOString()}&until=${h(5).toISOString()}&earliest=true`;
    const earliest = (await get(`/oncalls?${q}`)).body.oncalls;
    expect(earliest.map((e: { start: string }) => e.start)).toEqual([
      "2026-03-02T08:00:00Z",
      "2026-03-02T08:00:00Z",
    ]);
  });
});

describe("fake PagerDuty: users", () => {
  it("answers /users/{id} with references, or full objects with include[]", async () => {
    const plain = (await get("/users/PUSER01")).body.user;
    expect(plain).toMatchObject({
      id: "PUSER01",
      type: "user",
      name: "Anna de Vries",
      email: "puser01@example.com",
    });
    expect(plain.contact_methods[0]).toEqual({
      id: "PCM01A",
      type: "phone_contact_method_reference",
      summary: "Mobile",
      self: `${fake.url}/users/PUSER01/contact_methods/PCM01A`,
      html_url: null,
    });
    expect(plain.notification_rules[0].type).toBe("assignment_notification_rule_reference");
    const full = (await get("/users/PUSER01?include[]=contact_methods&include[]=notification_rules")).body
      .user;
    expect(full.contact_methods[0]).toMatchObject({
      id: "PCM01A",
      type: "phone_contact_method",
      country_code: 31,
      address: "06-1111 1111",
      label: "Mobile",
      enabled: true,
      blacklisted: false,
    });
    expect(full.notification_rules[0]).toMatchObject({
      type: "assignment_notification_rule",
      start_delay_in_minutes: 0,
      urgency: "high",
      contact_method: { id: "PCM01B", type: "sms_contact_method_reference" },
    });
  });

  it("answers contact methods and notification rules (urgency high by default, low, all)", async () => {
    const methods = (await get("/users/PUSER01/contact_methods")).body.contact_methods;
    expect(methods.map((m: { type: string }) => m.type)).toEqual([
      "phone_contact_method",
      "sms_contact_method",
      "email_contact_method",
    ]);
    const rules = async (query: string) =>
      (await get(`/users/PUSER01/notification_rules${query}`)).body.notification_rules;
    expect((await rules("")).map((r: { id: string }) => r.id)).toEqual(["PNR01A", "PNR01B"]);
    expect((await rules("?urgency=low")).map((r: { id: string }) => r.id)).toEqual(["PNR01C"]);
    expect(await rules("?urgency=all")).toHaveLength(3);
    const expanded = await rules("?include[]=contact_methods");
    expect(expanded[0].contact_method).toMatchObject({ type: "sms_contact_method", address: "0611111111" });
  });

  it("answers 404 with code 2100 for unknown users and paths", async () => {
    for (const path of ["/users/NOPE", "/users/NOPE/contact_methods", "/schedules"]) {
      const { status, body } = await get(path);
      expect(status, path).toBe(404);
      expect(body).toEqual({ error: { message: "Not Found", code: 2100 } });
    }
  });
});

describe("fake PagerDuty: log, faults, latency, lifecycle", () => {
  it("logs method, path, query, status and the fake's time", async () => {
    await get("/oncalls?escalation_policy_ids[]=PDEMO01");
    await get("/users/NOPE");
    expect(fake.requests.map((r) => [r.method, r.path, r.status])).toEqual([
      ["GET", "/oncalls", 200],
      ["GET", "/users/NOPE", 404],
    ]);
    expect(fake.requests[0]?.query.getAll("escalation_policy_ids[]")).toEqual(["PDEMO01"]);
    expect(fake.requests[0]?.at).toEqual(T0);
    fake.clearRequests();
    expect(fake.requests).toEqual([]);
  });

  it("gives each fault its answer, only on the matching path when `match` is set", async () => {
    await fake.setFault("rate-limit", { resetSeconds: 7, match: "/users/PUSER01" });
    const limited = await get("/users/PUSER01");
    expect(limited.status).toBe(429);
    expect(limited.body).toEqual({ error: { message: "Rate Limit Exceeded", code: 2020 } });
    expect(limited.headers.get("ratelimit-reset")).toBe("7");
    expect((await get("/users/PUSER02")).status).toBe(200);
    await fake.setFault("rate-limit-bare", { match: /^\/oncalls/ });
    const bare = await get("/oncalls");
    expect([bare.status, bare.body, bare.headers.get("ratelimit-reset")]).toEqual([429, "", null]);
    await fake.setFault("error-500");
    const failed = await get("/users/PUSER02");
    expect([failed.status, failed.body.error.code]).toEqual([500, 2000]);
    await fake.setFault("bad-gateway");
    const gateway = await get("/oncalls");
    expect([gateway.status, gateway.headers.get("content-type")]).toEqual([502, "text/html"]);
    expect(gateway.body).toContain("502 Bad Gateway");
    await fake.setFault(null);
    expect((await get("/oncalls")).status).toBe(200);
  });

  it("applies faults before checking the token, like a failing proxy in front of PagerDuty", async () => {
    await fake.setFault("error-500");
    expect((await get("/oncalls", {})).status).toBe(500);
  });

  it("hangs: the request stays unanswered (status null) until close() ends it", async () => {
    await fake.setFault("hang", { match: "/oncalls" });
    const hung = rawGet(fake.url, "/oncalls");
    expect((await get("/users/PUSER01")).status).toBe(200);
    await waitFor(() => fake.requests.some((r) => r.path === "/oncalls"));
    expect(fake.requests.find((r) => r.path === "/oncalls")?.status).toBeNull();
    await fake.close();
    await expect(hung).rejects.toThrow();
  });

  it("refuses connections on `refuse` and serves again on the same port after setFault(null)", async () => {
    await get("/oncalls");
    await fake.setFault("refuse");
    await expect(fetch(`${fake.url}/oncalls`)).rejects.toMatchObject({ cause: { code: "ECONNREFUSED" } });
    await fake.setFault(null);
    expect((await get("/oncalls")).status).toBe(200);
    expect(fake.requests.map((r) => r.status)).toEqual([200, 200]);
  });

  it("delays answers by the latency and records concurrent requests", async () => {
    fake.setLatency(100);
    const answers = await Promise.all([get("/users/PUSER01"), get("/users/PUSER02"), get("/users/PUSER03")]);
    expect(answers.map((a) => a.status)).toEqual([200, 200, 200]);
    expect(fake.maxConcurrentRequests).toBe(3);
    fake.clearRequests();
    expect(fake.maxConcurrentRequests).toBe(0);
  });

  it("rejects invalid scenarios and faults with a PdvError, its code and a clear message", async () => {
    const misuse = (code: string, message: RegExp) =>
      expect.objectContaining({ name: "PdvError", code, message: expect.stringMatching(message) });
    const { SCENARIO_INVALID, OPTIONS_INVALID, CLOSED } = FAKE_PAGERDUTY_ERROR_CODES;
    expect(() =>
      fake.setScenario({ users: [], oncalls: [{ policyId: "P", level: 0, userId: "U" }] }),
    ).toThrow(misuse(SCENARIO_INVALID, /level must be an integer/));
    expect(() =>
      fake.setScenario({ users: [], oncalls: [{ policyId: "P", level: 1, userId: "U", start: "soon" }] }),
    ).toThrow(misuse(SCENARIO_INVALID, /start is not a date/));
    await expect(createFakePagerDuty({ scenario: { users: [] } as never })).rejects.toThrow(
      misuse(SCENARIO_INVALID, /needs `users` and `oncalls` arrays/),
    );
    expect(() => fake.setFault("refuse", { match: "/oncalls" })).toThrow(
      misuse(OPTIONS_INVALID, /cannot match a path/),
    );
    expect(() => fake.setFault("explode" as never)).toThrow(misuse(OPTIONS_INVALID, /unknown fault/));
    expect(() => fake.setLatency(-1)).toThrow(misuse(OPTIONS_INVALID, /latency must be a number/));
    expect(() => fake.setEventsFault("rate-limit", { retryAfterSeconds: 0.5 })).toThrow(
      misuse(OPTIONS_INVALID, /retryAfterSeconds must be an integer/),
    );
    expect(() => fake.setFault(null)).not.toThrow();
    const closed = await createFakePagerDuty();
    await closed.close();
    expect(() => closed.setFault(null)).toThrow(PdvError);
    expect(() => closed.setFault(null)).toThrow(misuse(CLOSED, /setFault after close/));
  });

  it("rejects waitForEvents with a PdvError when too few events arrive in time", async () => {
    await expect(fake.waitForEvents(1, 10)).rejects.toThrow(
      expect.objectContaining({
        code: FAKE_PAGERDUTY_ERROR_CODES.EVENTS_TIMEOUT,
        message: "fake PagerDuty: 0 of 1 events arrived within 10 ms",
      }),
    );
  });
});

function rawGet(base: string, path: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = httpRequest(`${base}${path}`, {
      headers: { authorization: "Token token=fake-pagerduty-token" },
    });
    req.on("response", (res) => resolve(res.statusCode ?? 0));
    req.on("error", reject);
    req.end();
  });
}

/** Resolves once `condition` holds; fails after 2 s instead of hanging until the test's timeout. */
async function waitFor(condition: () => boolean): Promise<void> {
  await vi.waitFor(() => expect(condition()).toBe(true), { timeout: 2_000, interval: 5 });
}
