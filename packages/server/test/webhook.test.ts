import { createRefreshingRoster, type RoutingStrategy } from "@pagerduty-voys/core";
import { createStaticSource } from "@pagerduty-voys/core/testing";
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
    const app = await serve(shifts, { routes: [routes[1]!] });
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
        const chosen = candidates.at(-1)!;
        return { responder: chosen, phone: chosen.phones.at(-1)! };
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
    const first: RoutingStrategy = {
      name: "first",
      pick: async (candidates) => ({ responder: candidates[0]!, phone: candidates[0]!.phones[0]! }),
    };
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
  it("answer 500 status=NAK, are logged, and leak nothing", async () => {
    const logs = captureLogs();
    const roster = createRefreshingRoster({
      source: createStaticSource([shift(bob)]),
      policyIds: ["PDEMO01"],
    });
    const broken = {
      ...roster,
      name: "broken",
      activeAt: () => {
        throw new Error("secret internals at /srv/app.js:42");
      },
    };
    const app = Fastify({ logger: { level: "info", stream: logs.stream } });
    onTestFinished(() => app.close());
    const first: RoutingStrategy = {
      name: "first",
      pick: async (candidates) => ({ responder: candidates[0]!, phone: candidates[0]!.phones[0]! }),
    };
    await app.register(voysWebhook, {
      roster: broken,
      secretKey: SECRET,
      coldStartWaitMs: 0,
      routes: [{ name: "default", policyId: "PDEMO01", level: 1, strategy: first }],
    });
    const res = await app.inject({ method: "GET", url: `/voys-webhook?${query()}` });
    expect(res.statusCode).toBe(500);
    expect(res.body).toBe("status=NAK");
    expect(res.headers["content-type"]).toBe("text/plain; charset=utf-8");
    const errors = logs.records().filter((r) => r.level === 50);
    expect(errors).toHaveLength(1);
    expect(JSON.stringify(errors[0])).toContain("secret internals");
    expect(logs.text()).not.toContain(SECRET);
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

  it("says the roster expired when its window no longer covers now (fallback or NAK)", async () => {
    let now = new Date("2024-03-01T12:00:00Z");
    const logs = captureLogs();
    const app = await serve([shift(bob)], {
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
        "secretKey: required, a non-empty string",
        "coldStartWaitMs: expected an integer from 0 to 60000",
        "pagerduty.apiKey: required, a PagerDuty API token",
        'routes[0].name: expected 1-64 letters, digits, "-", "_" or "."',
        "routes[0].policyId: expected a PagerDuty escalation policy id such as PABC123",
        "routes[0].level: expected an integer ≥ 1",
        "routes[0].strategy: expected one of random, round-robin",
        "routes[0].fallbackNumber: expected an E.164 number such as +31201234567",
        "routes[1].stickyMinutes: expected a number > 0",
        "routes[1].dids[0]: expected an international number such as +31208888888",
        "routingStrategy: expected one of random, round-robin",
        "redis.url: expected a redis:// or rediss:// URL",
        'allowedIps: "10.0.0.0/99" is not an IP or CIDR',
        'trustProxy: "proxy.example" is not an IP or CIDR',
        "logLevel: expected one of fatal, error, warn, info, debug, trace, silent",
      ],
    });
  });
});
