import {
  createHunter,
  createMemoryStickyStore,
  createRefreshingRoster,
  type Hunter,
  type RoutingStrategy,
} from "@pagerduty-voys/core";
import { createManualClock, createStaticSource } from "@pagerduty-voys/core/testing";
import Fastify, { type FastifyInstance } from "fastify";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import type { IncidentCall } from "../src/incidents/incident-event.js";
import {
  createMetrics,
  reloadServer,
  type VoysWebhookOptions,
  voysWebhook,
  type WebhookRoute,
} from "../src/index.js";
import {
  build,
  captureLogs,
  get,
  type LogCapture,
  query,
  responder,
  SECRET,
  shift,
  waitReady,
} from "../src/testing/helpers.js";

// What the rest of the server learns about a call (the observer behind incidents and the hunt
// metric, the hunter, the error log) and what a call does after a failed first load.
const anna = responder("PANNA01", ["+31611111111"], "Anna");
const bram = responder("PBRAM01", ["+31622222222"], "Bram");
const AT = new Date("2026-03-02T08:00:00Z");
const FALLBACK = "+31201234567";

const first: RoutingStrategy = {
  name: "first",
  pick: async (candidates) => ({ responder: candidates[0] ?? anna, phone: candidates[0]?.phones[0] ?? "" }),
};

function route(name: string, extra: Partial<WebhookRoute> = {}): WebhookRoute {
  return { name, policyId: "PDEMO01", level: 1, strategy: first, ...extra };
}

const incidents = { mode: "missed", routingKey: "0123456789abcdef0123456789abcdef" } as const;

/** The plugin in a bare Fastify app, on a loaded in-memory roster, logging to `logs`. */
async function plugged(
  routes: WebhookRoute[],
  extra: Partial<VoysWebhookOptions> = {},
  shifts = [shift(anna), shift(bram, { level: 2 })],
): Promise<{ app: FastifyInstance; logs: LogCapture }> {
  const roster = createRefreshingRoster({ source: createStaticSource(shifts), policyIds: ["PDEMO01"] });
  roster.start();
  const logs = captureLogs();
  const app = Fastify({ logger: { level: "info", stream: logs.stream } });
  onTestFinished(async () => {
    await app.close();
    await roster.stop();
  });
  await app.register(voysWebhook, { roster, secretKey: SECRET, routes, now: () => AT, ...extra });
  expect(await roster.whenLoaded(5_000)).toBe(true);
  return { app, logs };
}

function recorder() {
  const seen: [string, IncidentCall][] = [];
  return { seen, observer: { observe: (r: WebhookRoute, call: IncidentCall) => seen.push([r.name, call]) } };
}

describe("the observer (incidents, hunt metric) sees each answered call", () => {
  it("a routed call: route, caller in E.164, did, code, responder, destination and time", async () => {
    const { seen, observer } = recorder();
    const { app } = await plugged([route("default", { incidents })], { observer });
    const url = `/voys-webhook?${query({ callerid: "0031687654321", did: "+31208888888", code: "12" })}`;
    expect(await get(app, url)).toEqual({ status: 200, body: "status=ACK&destination=%2B31611111111" });
    expect(seen).toEqual([
      [
        "default",
        {
          route: "default",
          caller: "+31687654321",
          did: "+31208888888",
          code: "12",
          outcome: "ack",
          reason: undefined,
          responder: anna,
          destination: "+31611111111",
          hunt: undefined,
          at: AT,
        },
      ],
    ]);
  });

  it("a fallback and a NAK: outcome, reason, no responder; a national caller id as sent, a hidden one not at all", async () => {
    const { seen, observer } = recorder();
    const { app } = await plugged(
      [
        route("backup", { level: 3, incidents, fallbackNumber: FALLBACK }),
        route("bare", { level: 3, incidents }),
      ],
      { observer },
    );
    expect(await get(app, `/voys-webhook/backup?${query({ callerid: "020-1234567" })}`)).toEqual({
      status: 200,
      body: "status=ACK&destination=%2B31201234567",
    });
    expect(await get(app, `/voys-webhook/bare?${query({ callerid: "anonymous" })}`)).toEqual({
      status: 503,
      body: "status=NAK",
    });
    expect(
      seen.map(([name, call]) => [name, call.outcome, call.reason, call.caller, call.destination]),
    ).toEqual([
      ["backup", "fallback", "nobody on call", "020-1234567", FALLBACK],
      ["bare", "nak", "nobody on call", undefined, undefined],
    ]);
    expect(seen.map(([, call]) => call.responder)).toEqual([undefined, undefined]);
  });

  it("only calls of routes with incidents or a hunter, and only calls that got past the secret", async () => {
    const { seen, observer } = recorder();
    const hunter = createHunter({ store: createMemoryStickyStore({ now: () => AT }), huntMs: 60_000 });
    const { app } = await plugged([route("plain"), route("inc", { incidents }), route("hunt", { hunter })], {
      observer,
    });
    for (const name of ["plain", "inc", "hunt"]) {
      expect((await get(app, `/voys-webhook/${name}?${query({ callerid: "+31687654321" })}`)).status).toBe(
        200,
      );
      expect((await get(app, `/voys-webhook/${name}?${query({}, "guess")}`)).status).toBe(401);
    }
    expect(seen.map(([name]) => name)).toEqual(["inc", "hunt"]);
  });

  it("a call back within the hunt window reaches the next level; its attempt and level reach the observer and the audit line", async () => {
    const { seen, observer } = recorder();
    const hunter = createHunter({ store: createMemoryStickyStore({ now: () => AT }), huntMs: 60_000 });
    const { app, logs } = await plugged([route("default", { hunter })], { observer });
    const call = () => get(app, `/voys-webhook?${query({ callerid: "+31687654321" })}`);
    expect((await call()).body).toBe("status=ACK&destination=%2B31611111111");
    expect((await call()).body).toBe("status=ACK&destination=%2B31622222222");
    expect(seen.map(([, c]) => [c.hunt, c.responder?.id])).toEqual([
      [undefined, "PANNA01"],
      [{ attempt: 2, level: 2 }, "PBRAM01"],
    ]);
    expect(logs.audits().map((a) => [a.hunt, a.responderId])).toEqual([
      [undefined, "PANNA01"],
      [{ attempt: 2, level: 2 }, "PBRAM01"],
    ]);
  });

  it("a hunting route without an observer answers as well", async () => {
    const hunter = createHunter({ store: createMemoryStickyStore({ now: () => AT }), huntMs: 60_000 });
    const { app } = await plugged([route("default", { hunter })]);
    expect((await get(app, `/voys-webhook?${query({ callerid: "+31687654321" })}`)).status).toBe(200);
  });
});

describe("hunting routes", () => {
  async function hunting(shifts: Parameters<typeof shift>[0][], levels: number[] = [], policyId = "PDEMO01") {
    const clock = createManualClock(AT);
    const logs = captureLogs();
    const app = await build({
      source: createStaticSource(shifts.map((who, i) => shift(who, { policyId, level: levels[i] ?? 1 }))),
      routes: [{ name: "default", policyId: "PDEMO01", strategy: "round-robin", huntSeconds: 120 }],
      now: clock.now,
      logStream: logs.stream,
    });
    onTestFinished(() => app.close());
    await waitReady(app);
    return { app, logs };
  }

  it("calls without a caller id are never a hunt", async () => {
    const { app, logs } = await hunting([anna, bram], [1, 2]);
    for (let i = 0; i < 3; i++) expect((await get(app, `/voys-webhook?${query()}`)).status).toBe(200);
    expect(logs.audits().map((a) => [a.responderId, a.hunt])).toEqual([
      ["PANNA01", undefined],
      ["PANNA01", undefined],
      ["PANNA01", undefined],
    ]);
  });

  it("nobody reachable at any level: 503 with why, as without hunting", async () => {
    const noPhone = responder("PNOPHON", [], "No Phone");
    const withPhone = await hunting([noPhone]);
    expect(await get(withPhone.app, `/voys-webhook?${query({ callerid: "+31687654321" })}`)).toEqual({
      status: 503,
      body: "status=NAK",
    });
    expect(withPhone.logs.audits()[0]).toMatchObject({ outcome: "nak", reason: "no phones" });
    const elsewhere = await hunting([anna], [1], "POTHER1");
    await get(elsewhere.app, `/voys-webhook?${query({ callerid: "+31687654321" })}`);
    expect(elsewhere.logs.audits()[0]).toMatchObject({ outcome: "nak", reason: "nobody on call" });
  });
});

describe("when routing fails", () => {
  it("a hunter that throws: the fallback, and one error line with reason error and the error itself", async () => {
    const broken: Hunter = {
      name: "broken",
      route: async () => Promise.reject(Object.assign(new Error("store gone"), { code: "ESTORE" })),
    };
    const { app, logs } = await plugged([route("default", { hunter: broken, fallbackNumber: FALLBACK })]);
    expect((await get(app, `/voys-webhook?${query({ callerid: "+31687654321" })}`)).body).toBe(
      "status=ACK&destination=%2B31201234567",
    );
    const errors = logs.records().filter((r) => r.level === 50);
    expect(errors).toHaveLength(1);
    expect(errors[0]).toMatchObject({
      msg: "routing strategy failed; answering with the fallback number or a NAK",
      route: "default",
      strategy: "first",
      reason: "error",
      err: { name: "Error", message: "store gone", code: "ESTORE" },
    });
    expect(errors[0]).not.toHaveProperty("failure");
    expect(logs.audits()[0]).toMatchObject({ outcome: "fallback", reason: "strategy failed" });
  });

  it("a strategy that throws: the error it threw, what the guard made of it, and the failure counted", async () => {
    const thrower: RoutingStrategy = {
      name: "thrower",
      pick: async () => Promise.reject(Object.assign(new RangeError("too far"), { code: 42 })),
    };
    const metrics = createMetrics();
    const { app, logs } = await plugged([route("default", { strategy: thrower })], { metrics });
    expect(await get(app, `/voys-webhook?${query()}`)).toEqual({ status: 503, body: "status=NAK" });
    const [error] = logs.records().filter((r) => r.level === 50);
    expect(error).toMatchObject({
      route: "default",
      strategy: "thrower",
      reason: "error",
      err: { name: "RangeError", message: "too far" },
      failure: 'strategy "thrower" rejected',
    });
    // A code that is not a string is no error code of ours or Node's: left out.
    expect(error?.err).not.toHaveProperty("code");
    const text = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(text).toMatch(/pagerduty_voys_strategy_failures_total\{[^}]*strategy="thrower"[^}]*\} 1/);
  });

  it("metrics that throw while counting a failed pick do not fail the call", async () => {
    const thrower: RoutingStrategy = { name: "thrower", pick: async () => Promise.reject(new Error("no")) };
    const metrics = {
      ...createMetrics(),
      onStrategyFailure: () => {
        throw new Error("metrics broke");
      },
    };
    const { app, logs } = await plugged([route("default", { strategy: thrower, fallbackNumber: FALLBACK })], {
      metrics,
    });
    expect((await get(app, `/voys-webhook?${query()}`)).body).toBe("status=ACK&destination=%2B31201234567");
    expect(logs.audits()[0]).toMatchObject({ outcome: "fallback", reason: "strategy failed" });
  });

  it("a roster that throws: the error logged with the request id, a non-Error cut to 200 characters, only a string code kept", async () => {
    const roster = createRefreshingRoster({
      source: createStaticSource([shift(anna)]),
      policyIds: ["PDEMO01"],
    });
    const logs = captureLogs();
    const app = Fastify({ logger: { level: "info", stream: logs.stream } });
    onTestFinished(() => app.close());
    const long = `x${"y".repeat(300)}`;
    const thrown: unknown[] = [
      long,
      Object.assign(new Error("broken"), { code: "EBROKEN" }),
      Object.assign(new TypeError("odd"), { code: 7 }),
    ];
    const broken = {
      ...roster,
      activeAt: () => {
        throw thrown.shift();
      },
    };
    await app.register(voysWebhook, {
      roster: broken,
      secretKey: SECRET,
      coldStartWaitMs: 0,
      routes: [route("default")],
    });
    for (let i = 0; i < 3; i++)
      expect(await get(app, `/voys-webhook?${query()}`)).toEqual({ status: 503, body: "status=NAK" });
    const errors = logs.records().filter((r) => r.level === 50);
    expect(errors.map((r) => [r.msg, r.route])).toEqual(
      Array(3).fill(["webhook call failed; answering with the fallback number or NAK", "default"]),
    );
    expect(errors.map((r) => r.reqId)).toEqual(logs.audits().map((a) => a.reqId));
    expect(errors.map((r) => r.reqId)).toEqual(["req-1", "req-2", "req-3"]);
    expect(errors[0]?.err).toMatchObject({ name: "NonError", message: long.slice(0, 200) });
    expect(errors[1]?.err).toMatchObject({ name: "Error", message: "broken", code: "EBROKEN" });
    expect(errors[2]?.err).toMatchObject({ name: "TypeError", message: "odd" });
    expect(errors[2]?.err).not.toHaveProperty("code");
  });
});

describe("a first roster load that failed", () => {
  it("answers at once: the call does not wait for the next attempt or for coldStartWaitMs", async () => {
    const clock = createManualClock(AT);
    const failing = createStaticSource(() => Promise.reject(new Error("PagerDuty says no")));
    const logs = captureLogs();
    const app = await build({
      source: failing,
      routes: [{ name: "default", policyId: "PDEMO01" }],
      coldStartWaitMs: 60_000,
      now: clock.now,
      timers: clock.timers,
      logStream: logs.stream,
    });
    onTestFinished(() => app.close());
    await vi.waitFor(() => expect(logs.text()).toContain("PagerDuty says no"), {
      timeout: 5_000,
      interval: 5,
    });
    // Time stands still: a call that waited would wait for good.
    let answer: { status: number; body: string } | undefined;
    void get(app, `/voys-webhook?${query()}`).then((res) => {
      answer = res;
    });
    await vi.waitFor(() => expect(answer).toEqual({ status: 503, body: "status=NAK" }), {
      timeout: 5_000,
      interval: 5,
    });
    expect(logs.audits()[0]).toMatchObject({ reason: "roster cold", rosterState: "cold" });
  });
});

describe("the allowlist", () => {
  const routes = [
    { name: "default", policyId: "PDEMO01" },
    { name: "sales", policyId: "PDEMO01", dids: ["+31208888888"], codes: ["1"] },
  ];
  const counted = async (app: FastifyInstance, route: string): Promise<string | undefined> =>
    (await app.inject({ method: "GET", url: "/metrics" })).body
      .split("\n")
      .find((line) =>
        line.startsWith(`pagerduty_voys_webhook_requests_total{route="${route}",outcome="forbidden"}`),
      )
      ?.split(" ")[1];

  it("counts a refused call on the route it asked for: by name, by DID and code, else unknown", async () => {
    const app = await build({
      source: createStaticSource([shift(anna)]),
      routes,
      allowedIps: ["192.0.2.0/24"],
    });
    onTestFinished(() => app.close());
    await waitReady(app);
    const urls = [
      "/voys-webhook/sales",
      `/voys-webhook?${query({ did: "0031208888888", code: "1" })}`,
      `/voys-webhook?${query({ did: "+31208888888" })}`,
      "/voys-webhook/nope",
      "/voys-webhook/default",
    ];
    for (const url of urls) expect(await get(app, url)).toEqual({ status: 403, body: "status=NAK" });
    expect([
      await counted(app, "sales"),
      await counted(app, "default"),
      await counted(app, "unknown"),
    ]).toEqual(["2", "2", "1"]);
  });

  it("one added by a reload is checked by the call itself, before the secret", async () => {
    const logs = captureLogs();
    const app = await build({ source: createStaticSource([shift(anna)]), routes, logStream: logs.stream });
    onTestFinished(() => app.close());
    await waitReady(app);
    const reload = (allowedIps?: string[]) =>
      reloadServer(app, () => ({
        ok: true,
        options: {
          secretKey: SECRET,
          pagerduty: { apiKey: "unused" },
          routes,
          ...(allowedIps ? { allowedIps } : {}),
        },
      }));
    expect(await reload(["192.0.2.0/24"])).toEqual({ result: "ok" });
    expect(await get(app, `/voys-webhook/sales?${query()}`)).toEqual({ status: 403, body: "status=NAK" });
    expect(await get(app, `/voys-webhook/sales?${query({}, "guess")}`)).toEqual({
      status: 403,
      body: "status=NAK",
    });
    expect(await counted(app, "sales")).toBe("2");
    // Refused, and no further: no audit line of a routed call, no second answer.
    expect(logs.audits()).toEqual([]);
    expect(logs.text()).not.toContain("already sent");
    expect(await reload(["127.0.0.1"])).toEqual({ result: "ok" });
    expect((await get(app, `/voys-webhook/sales?${query()}`)).status).toBe(200);
  });
});
