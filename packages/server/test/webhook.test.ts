import { createRefreshingRoster, type Responder, type RoutingStrategy } from "@pagerduty-voys/core";
import { createManualClock, createStaticSource } from "@pagerduty-voys/core/testing";
import Fastify, { type FastifyInstance } from "fastify";
import { describe, expect, it, onTestFinished } from "vitest";
import { voysWebhook } from "../src/index.js";
import {
  build,
  captureLogs,
  destinationOf,
  hangingSource,
  query,
  responder,
  SECRET,
  shift,
  waitReady,
} from "../src/testing/helpers.js";

const alice = responder("PALICE1", ["+31611111111", "+31611111112"], "Alice");
const bob = responder("PBOB001", ["+31622222222"], "Bob");
const carol = responder("PCAROL1", ["+31633333333"], "Carol");
const nophone = responder("PNOPHON", [], "No Phone");

/** Picks the first candidate's first number. */
function firstStrategy(): RoutingStrategy {
  return {
    name: "first",
    pick: async (candidates) => {
      const chosen = candidates[0] as Responder;
      return { responder: chosen, phone: chosen.phones[0] as string };
    },
  };
}

async function serve(
  shifts: Parameters<typeof createStaticSource>[0],
  extra: Partial<Parameters<typeof build>[0]> = {},
): Promise<FastifyInstance> {
  const app = await build({
    source: createStaticSource(shifts),
    routes: [{ name: "default", policyId: "PDEMO01" }],
    ...extra,
  });
  onTestFinished(() => app.close());
  await waitReady(app);
  return app;
}

describe("the wire contract", () => {
  it("routes a call: 200 status=ACK with the on-call number, plain text, not cached", async () => {
    const app = await serve([shift(bob)]);
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("status=ACK&destination=%2B31622222222");
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    expect(res.headers["cache-control"]).toBe("no-store");
    expect(res.headers["x-powered-by"]).toBeUndefined();
    expect(res.headers.server).toBeUndefined();
  });

  it.each([
    ["missing", query({}, null)],
    ["wrong", query({}, "wrong-secret")],
    ["empty", query({}, "")],
    ["a prefix of the secret", query({}, SECRET.slice(0, -1))],
    ["repeated", `${query()}&secret_key=${SECRET}`],
  ])("refuses a %s secret with 401 status=NAK", async (_label, qs) => {
    const app = await serve([shift(bob)]);
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${qs}` });
    expect(res.statusCode).toBe(401);
    expect(res.body).toBe("status=NAK");
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
  });

  it("refuses a secret given in both the query string and the body", async () => {
    const app = await serve([shift(bob)]);
    const res = await app.inject({
      method: "POST",
      url: `/voys-webhook?${query()}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `secret_key=${SECRET}`,
    });
    expect(res.statusCode).toBe(401);
    expect(res.body).toBe("status=NAK");
  });

  it("answers 503 status=NAK when nobody is on call, and keeps serving", async () => {
    const logs = captureLogs();
    const app = await serve([shift(bob, { policyId: "POTHER1" })], { logStream: logs.stream });
    for (let i = 0; i < 3; i++) {
      const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
      expect(res.statusCode).toBe(503);
      expect(res.body).toBe("status=NAK");
    }
    expect((await app.inject({ method: "GET", url: "/healthz" })).statusCode).toBe(200);
    expect(logs.audits().at(-1)).toMatchObject({ outcome: "nak", reason: "nobody on call", status: 503 });
  });

  it("answers the fallback number when nobody is reachable and a fallback is set", async () => {
    const logs = captureLogs();
    const app = await serve([shift(nophone)], {
      routes: [{ name: "default", policyId: "PDEMO01", fallbackNumber: "+31201234567" }],
      logStream: logs.stream,
    });
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.statusCode).toBe(200);
    expect(res.body).toBe("status=ACK&destination=%2B31201234567");
    expect(logs.audits().at(-1)).toMatchObject({ outcome: "fallback", reason: "no phones" });
  });

  it("skips responders without a phone", async () => {
    const app = await serve([shift(nophone), shift(bob)]);
    for (let i = 0; i < 10; i++) {
      const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
      expect(destinationOf(res.body)).toBe("+31622222222");
    }
  });
});

describe("methods and bodies", () => {
  it("accepts POST with variables in a form body", async () => {
    const app = await serve([shift(bob)]);
    const res = await app.inject({
      method: "POST",
      url: "/voys-webhook",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: query({ callerid: "+31699999999" }),
    });
    expect(res.statusCode).toBe(200);
    expect(destinationOf(res.body)).toBe("+31622222222");
  });

  it("accepts POST with variables in a JSON body, and the secret in the query string", async () => {
    const app = await serve([shift(bob)]);
    const json = await app.inject({ method: "POST", url: "/voys-webhook", payload: { secret_key: SECRET } });
    expect(json.statusCode).toBe(200);
    const mixed = await app.inject({
      method: "POST",
      url: `/voys-webhook?${query()}`,
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: "callerid=%2B31699999999",
    });
    expect(mixed.statusCode).toBe(200);
  });

  it("answers bad bodies with 4xx status=NAK, never 5xx", async () => {
    const app = await serve([shift(bob)]);
    const cases = [
      { headers: { "content-type": "application/json" }, payload: "{not json", status: 400 },
      { headers: { "content-type": "application/json" }, payload: '{"__proto__":{"x":1}}', status: 400 },
      {
        headers: { "content-type": "application/x-www-form-urlencoded" },
        payload: "a=".padEnd(20_000, "x"),
        status: 413,
      },
      { headers: { "content-type": "application/xml" }, payload: "<x/>", status: 415 },
    ];
    for (const c of cases) {
      const res = await app.inject({ method: "POST", url: `/voys-webhook?${query()}`, ...c });
      expect(res.statusCode, c.payload.slice(0, 20)).toBe(c.status);
      expect(res.body).toBe("status=NAK");
    }
  });

  it("answers HEAD with 405 and Allow, without taking a round-robin turn", async () => {
    const app = await serve([shift(alice), shift(bob)], {
      routes: [{ name: "default", policyId: "PDEMO01", strategy: "round-robin" }],
    });
    const first = destinationOf((await app.inject({ method: "GET", url: `/voys-webhook?${query()}` })).body);
    const head = await app.inject({ method: "HEAD", url: `/voys-webhook?${query()}` });
    expect(head.statusCode).toBe(405);
    expect(head.headers.allow).toBe("GET, POST, OPTIONS");
    const second = destinationOf((await app.inject({ method: "GET", url: `/voys-webhook?${query()}` })).body);
    // Two consecutive turns reach both people; a HEAD that took a turn would give the same person twice.
    const person = (phone: string | undefined): string => (phone?.startsWith("+316111") ? "alice" : "bob");
    expect(new Set([person(first), person(second)])).toEqual(new Set(["alice", "bob"]));
  });

  it("answers OPTIONS with 204 and Allow, and other methods with 405", async () => {
    const app = await serve([shift(bob)]);
    const options = await app.inject({ method: "OPTIONS", url: "/voys-webhook/default" });
    expect(options.statusCode).toBe(204);
    expect(options.headers.allow).toBe("GET, POST, OPTIONS");
    for (const method of ["PUT", "DELETE", "PATCH"] as const) {
      const res = await app.inject({ method, url: `/voys-webhook?${query()}` });
      expect(res.statusCode).toBe(405);
      expect(res.body).toBe("status=NAK");
    }
  });

  it("answers unknown paths with a plain 404 without detail", async () => {
    const app = await serve([shift(bob)]);
    for (const url of ["/", "/admin", `/voys-webhooks?${query()}`, "/voys-webhook/a/b", "/%zz"]) {
      const res = await app.inject({ method: "GET", url });
      expect([400, 404]).toContain(res.statusCode);
      expect(res.body).toMatch(/^(Not Found|Bad Request)$/);
      expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    }
  });
});

describe("routes", () => {
  const routes = [
    { name: "default", policyId: "PDEMO01" },
    { name: "support", policyId: "PSUPPRT", dids: ["+31208888888"] },
    { name: "backup", policyId: "PDEMO01", level: 2 },
  ];
  const shifts = [shift(alice), shift(bob, { policyId: "PSUPPRT" }), shift(carol, { level: 2 })];

  it("serves a named route, a DID, the default route, and a level-2 route", async () => {
    const app = await serve(shifts, { routes });
    const call = async (url: string): Promise<string | undefined> =>
      destinationOf((await app.inject({ method: "GET", url })).body);
    expect(await call(`/voys-webhook/support?${query()}`)).toBe("+31622222222");
    expect(await call(`/voys-webhook?${query({ did: "+31208888888" })}`)).toBe("+31622222222");
    expect(await call(`/voys-webhook?${query({ did: "31208888888" })}`)).toBe("+31622222222");
    expect(await call(`/voys-webhook?${query({ did: "+31200000000" })}`)).toMatch(/^\+3161111111[12]$/);
    expect(await call(`/voys-webhook?${query()}`)).toMatch(/^\+3161111111[12]$/);
    expect(await call(`/voys-webhook/backup?${query()}`)).toBe("+31633333333");
  });

  it("answers an unknown route name with 404 status=NAK, but only after the secret check", async () => {
    const app = await serve(shifts, { routes });
    const known = await app.inject({ method: "GET", url: `/voys-webhook/nope?${query()}` });
    expect(known.statusCode).toBe(404);
    expect(known.body).toBe("status=NAK");
    const wrong = await app.inject({ method: "GET", url: `/voys-webhook/nope?${query({}, "guess")}` });
    expect(wrong.statusCode).toBe(401);
  });

  it("answers 404 status=NAK on the plain path when there is no default route and no DID matches", async () => {
    const app = await serve(shifts, { routes: routes.slice(1, 2) });
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.statusCode).toBe(404);
    expect(res.body).toBe("status=NAK");
  });

  it("writes one audit line per call with route, responder, level, strategy, masked number, outcome and latency", async () => {
    const logs = captureLogs();
    const app = await serve(shifts, { routes, logStream: logs.stream });
    await app.inject({ method: "GET", url: `/voys-webhook/support?${query({ callerid: "+31699999123" })}` });
    const audits = logs.audits();
    expect(audits).toHaveLength(1);
    expect(audits[0]).toMatchObject({
      route: "support",
      outcome: "ack",
      status: 200,
      responderId: "PBOB001",
      responderName: "Bob",
      level: 1,
      strategy: "random",
      destination: "+31 6*****222",
      caller: "+31 6*****123",
    });
    expect(typeof audits[0]?.latencyMs).toBe("number");
    expect(logs.text()).not.toContain("31622222222");
    expect(logs.text()).not.toContain("31699999123");
  });
});

describe("custom strategies", () => {
  it("uses a strategy object given in the route configuration", async () => {
    const lastOne: RoutingStrategy = {
      name: "last-one",
      pick: async (candidates) => {
        const chosen = candidates[candidates.length - 1] as Responder;
        return { responder: chosen, phone: chosen.phones[chosen.phones.length - 1] as string };
      },
    };
    const app = await serve([shift(alice), shift(bob)], {
      routes: [{ name: "default", policyId: "PDEMO01", strategy: lastOne }],
    });
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(destinationOf(res.body)).toBe("+31622222222");
  });

  it("treats a failing or lying strategy as nobody reachable (fallback), and logs it", async () => {
    const logs = captureLogs();
    const failing: RoutingStrategy = {
      name: "failing",
      pick: async () => {
        throw new Error("boom");
      },
    };
    const lying: RoutingStrategy = {
      name: "lying",
      pick: async () => ({ responder: carol, phone: "+31633333333" }),
    };
    const app = await serve([shift(bob)], {
      logStream: logs.stream,
      routes: [
        { name: "default", policyId: "PDEMO01", strategy: failing, fallbackNumber: "+31201234567" },
        { name: "lying", policyId: "PDEMO01", strategy: lying },
      ],
    });
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.body).toBe("status=ACK&destination=%2B31201234567");
    const lie = await app.inject({ method: "GET", url: `/voys-webhook/lying?${query()}` });
    expect(lie.statusCode).toBe(503);
    expect(logs.audits().map((a) => a.reason)).toEqual(["strategy failed", "strategy failed"]);
  });

  it("works as a plain plugin in someone else's Fastify app, under a prefix", async () => {
    const roster = createRefreshingRoster({
      source: createStaticSource([shift(alice)]),
      policyIds: ["PDEMO01"],
    });
    roster.start();
    const app = Fastify();
    onTestFinished(() => app.close());
    app.addHook("onClose", async () => roster.stop());
    const first = firstStrategy();
    await app.register(voysWebhook, {
      prefix: "/hooks",
      roster,
      secretKey: SECRET,
      routes: [{ name: "default", policyId: "PDEMO01", level: 1, strategy: first }],
    });
    const res = await app.inject({ method: "GET", url: `/hooks/voys-webhook?${query()}` });
    expect(res.body).toBe("status=ACK&destination=%2B31611111111");
    expect((await app.inject({ method: "GET", url: "/hooks/healthz" })).body).toBe("ok");
  });
});

describe("internal errors", () => {
  const first = firstStrategy();
  const throwing = (what: "activeAt" | "health" | "whenLoaded") => {
    const roster = createRefreshingRoster({
      source: createStaticSource([shift(bob)]),
      policyIds: ["PDEMO01"],
    });
    return {
      ...roster,
      name: "broken",
      [what]: () => {
        throw new Error("secret internals at /srv/app.js:42");
      },
    };
  };

  it.each(["activeAt", "health"] as const)(
    "a roster whose %s throws: 503 status=NAK (never 500), the fallback when set; logged, leaking nothing",
    async (what) => {
      const logs = captureLogs();
      const app = Fastify({ logger: { level: "info", stream: logs.stream } });
      onTestFinished(() => app.close());
      await app.register(voysWebhook, {
        roster: throwing(what),
        secretKey: SECRET,
        coldStartWaitMs: 0,
        routes: [
          { name: "default", policyId: "PDEMO01", level: 1, strategy: first },
          { name: "backup", policyId: "PDEMO01", level: 1, strategy: first, fallbackNumber: "+31201234567" },
        ],
      });
      const res = await app.inject({
        method: "GET",
        url: `/voys-webhook?${query({ callerid: "+31699999123" })}`,
      });
      expect(res.statusCode).toBe(503);
      expect(res.body).toBe("status=NAK");
      expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
      const backup = await app.inject({ method: "GET", url: `/voys-webhook/backup?${query()}` });
      expect(backup.statusCode).toBe(200);
      expect(backup.body).toBe("status=ACK&destination=%2B31201234567");
      const errors = logs.records().filter((r) => r.level === 50);
      expect(errors).toHaveLength(2);
      expect(JSON.stringify(errors[0])).toContain("secret internals");
      expect(logs.audits().map((a) => [a.route, a.outcome, a.reason, a.status])).toEqual([
        ["default", "nak", "internal error", 503],
        ["backup", "fallback", "internal error", 200],
      ]);
      expect(logs.text()).not.toContain(SECRET);
      expect(logs.text()).not.toContain("699999123");
    },
  );

  it("a strategy that throws synchronously, or returns garbage, ends in the fallback too", async () => {
    const sync = {
      name: "sync-throw",
      pick: () => {
        throw new Error("boom");
      },
    } as unknown as RoutingStrategy;
    const garbage = { name: "garbage", pick: () => null } as unknown as RoutingStrategy;
    const app = await serve([shift(bob)], {
      routes: [
        { name: "default", policyId: "PDEMO01", strategy: sync, fallbackNumber: "+31201234567" },
        { name: "garbage", policyId: "PDEMO01", strategy: garbage },
      ],
    });
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.body).toBe("status=ACK&destination=%2B31201234567");
    const bad = await app.inject({ method: "GET", url: `/voys-webhook/garbage?${query()}` });
    expect(bad.statusCode).toBe(503);
    expect(bad.body).toBe("status=NAK");
  });
});

describe("roster states", () => {
  it("answers a cold start with 503 status=NAK once the wait is over, and readyz says why", async () => {
    const logs = captureLogs();
    const app = await build({
      source: hangingSource(),
      routes: [{ name: "default", policyId: "PDEMO01" }],
      coldStartWaitMs: 100,
      logStream: logs.stream,
    });
    onTestFinished(() => app.close());
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.statusCode).toBe(503);
    expect(res.body).toBe("status=NAK");
    expect(logs.audits().at(-1)).toMatchObject({
      outcome: "nak",
      reason: "roster cold",
      rosterState: "cold",
    });
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.body).toBe("roster cold");
  });

  it("says the roster expired when its window no longer covers now and PagerDuty is down (fallback or NAK)", async () => {
    let now = new Date("2024-03-01T12:00:00Z");
    const logs = captureLogs();
    let calls = 0;
    // Bob's shift ends 13:30; after the first load PagerDuty refuses every refresh.
    const source = () => {
      calls += 1;
      if (calls > 1) return Promise.reject(new Error("PagerDuty down"));
      return [shift(bob, { end: new Date("2024-03-01T13:30:00Z") })];
    };
    const app = await serve(source, {
      now: () => now,
      roster: { lookaheadMs: 60 * 60_000 },
      logStream: logs.stream,
    });
    expect(destinationOf((await app.inject({ method: "GET", url: `/voys-webhook?${query()}` })).body)).toBe(
      "+31622222222",
    );
    now = new Date("2024-03-01T14:00:00Z");
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.statusCode).toBe(503);
    // Now outside the held window: the roster asked PagerDuty again at once, without waiting a minute.
    expect(calls).toBe(2);
    expect(logs.audits().at(-1)).toMatchObject({ reason: "roster expired", rosterState: "expired" });
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.body).toBe("roster expired");
  });

  it("reports a stale roster on /readyz with its age", async () => {
    let now = new Date("2024-03-01T12:00:00Z");
    const app = await serve([shift(bob)], { now: () => now, roster: { staleAfterMs: 60_000 } });
    now = new Date("2024-03-01T12:06:52Z");
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(503);
    expect(ready.body).toBe("roster stale (age 412 s)");
  });
});

describe("operations endpoints", () => {
  it("serves /healthz, /readyz and /metrics", async () => {
    const app = await serve([shift(bob)]);
    await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    await app.inject({ method: "GET", url: `/voys-webhook?${query({}, "nope")}` });
    const health = await app.inject({ method: "GET", url: "/healthz" });
    expect(health.statusCode).toBe(200);
    expect(health.body).toBe("ok");
    const ready = await app.inject({ method: "GET", url: "/readyz" });
    expect(ready.statusCode).toBe(200);
    const metrics = await app.inject({ method: "GET", url: "/metrics" });
    expect(metrics.statusCode).toBe(200);
    expect(metrics.body).toContain("# TYPE pagerduty_voys_webhook_requests_total counter");
    expect(metrics.body).toContain('pagerduty_voys_webhook_requests_total{route="default",outcome="ack"} 1');
    expect(metrics.body).toContain(
      'pagerduty_voys_webhook_requests_total{route="default",outcome="unauthorised"} 1',
    );
    expect(metrics.body).toContain('pagerduty_voys_roster_state{state="fresh"} 1');
  });
});

describe("options", () => {
  it("refuses bad options listing every problem", async () => {
    await expect(
      build({
        secretKey: "",
        pagerduty: { apiKey: "" },
        routes: [
          { name: "bad name!", policyId: "", level: 0, strategy: "fastest" as never, fallbackNumber: "0612" },
          { name: "b", policyId: "P2", dids: ["nope"], stickyMinutes: -1 },
        ],
        routingStrategy: "sometimes" as never,
        allowedIps: ["10.0.0.0/99"],
        trustProxy: ["proxy.example"],
        redis: { url: "http://x" },
        logLevel: "loud",
        coldStartWaitMs: -5,
      }),
    ).rejects.toMatchObject({
      code: "PDV_ERR_SERVER_OPTIONS_INVALID",
      problems: [
        "secretKey: required, a non-empty secret",
        "routes[0].name: expected a URL-safe name (letters, digits, - _ .; at most 63 characters)",
        "routes[0].policyId: expected a PagerDuty escalation policy id such as PABC123",
        "routes[0].level: expected an integer from 1 to 100",
        "routes[0].strategy: expected random, round-robin, least-recent, a module { module, setting } or a strategy object with pick()",
        'routes[0].fallbackNumber: expected an E.164 number such as "+31201234567" (no spaces)',
        'routes[1].dids[0]: expected an international number such as "+31208888888"',
        "routes[1].stickyMinutes: expected an integer from 1 to 10080",
        "routingStrategy: expected random, round-robin, least-recent or a module { module, setting }",
        "redis.url: expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0",
        'allowedIps[0]: "10.0.0.0/99" is not an IP address or CIDR (IPv4 prefix 0 to 32, IPv6 0 to 128)',
        'trustProxy[0]: "proxy.example" is not an IP address or CIDR (IPv4 prefix 0 to 32, IPv6 0 to 128); or loopback, linklocal, uniquelocal',
        "coldStartWaitMs: expected an integer from 0 to 60000",
        "logLevel: expected one of fatal, error, warn, info, debug, trace or silent",
        "pagerduty.apiKey: required, a PagerDuty API token",
      ],
    });
  });
});

describe("bounded logs, on the manual clock", () => {
  it("logs a flood of refusals as one summary per interval, counts each, and keeps the audit of real calls", async () => {
    const clock = createManualClock("2024-03-01T12:00:00Z");
    const logs = captureLogs();
    const app = await build({
      source: createStaticSource([shift(bob)]),
      routes: [{ name: "default", policyId: "PDEMO01" }],
      logStream: logs.stream,
      logLevel: "info",
      now: clock.now,
      timers: clock.timers,
    });
    onTestFinished(() => app.close());
    await clock.flush();
    expect((await app.inject({ method: "GET", url: "/readyz" })).statusCode).toBe(200);
    const before = logs.records().length;
    for (let i = 0; i < 300; i++) {
      const remoteAddress = `198.51.100.${i % 7}`;
      await app.inject({
        method: "GET",
        url: `/voys-webhook?${query({ callerid: "+31612345678" }, `guess-${i}`)}`,
        remoteAddress,
      });
      await app.inject({ method: "GET", url: `/wp-login.php/${"9".repeat(12)}`, remoteAddress });
      await app.inject({
        method: "POST",
        url: "/voys-webhook",
        headers: { "content-type": "application/json" },
        payload: "{not json",
        remoteAddress,
      });
    }
    await app.inject({ method: "GET", url: `/voys-webhook?${query()}`, remoteAddress: "192.0.2.10" });
    const during = logs.records().slice(before);
    expect(during.map((r) => r.msg)).toEqual(["webhook call"]);
    expect(logs.audits()[0]).toMatchObject({ outcome: "ack", remoteAddress: "192.0.2.10" });
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('pagerduty_voys_refused_requests_total{reason="secret_wrong"} 300');
    expect(metrics).toContain('pagerduty_voys_refused_requests_total{reason="not_found"} 300');
    expect(metrics).toContain('pagerduty_voys_refused_requests_total{reason="bad_request"} 300');
    expect(metrics).toContain(
      'pagerduty_voys_webhook_requests_total{route="default",outcome="unauthorised"} 300',
    );
    await clock.advance(10_000);
    const summaries = logs.records().filter((r) => r.event === "requests-refused");
    expect(summaries).toHaveLength(1);
    expect(summaries[0]).toMatchObject({
      level: 40,
      refusals: {
        total: 900,
        reasons: { secret_wrong: 300, not_found: 300, bad_request: 300 },
        networks: [{ network: "198.51.100.0/24", count: 900 }],
      },
    });
    expect(logs.text()).not.toContain("612345678");
    expect(logs.text()).not.toContain("999999999");
    expect(logs.text()).not.toContain("guess-");
  });
});
