import { fileURLToPath } from "node:url";
import { createStaticSource } from "@pagerduty-voys/core/testing";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { RouteConfig } from "../src/index.js";
import { build, captureLogs, query, responder, shift, waitReady } from "../src/testing/helpers.js";

const moduleFile = (name: string): string => fileURLToPath(new URL(`./strategies/${name}`, import.meta.url));
const ref = (name: string, setting = "routes[0].strategy") => ({ module: moduleFile(name), setting });

const alice = responder("PALICE1", ["+31611111111"], "Alice");
const bob = responder("PBOB001", ["+31622222222"], "Bob");
const FALLBACK = "+31201234567";

let apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
});

async function serve(routes: RouteConfig[], extra: Parameters<typeof build>[0] | object = {}) {
  const logs = captureLogs();
  const app = await build({
    source: createStaticSource([shift(alice), shift(bob)]),
    routes,
    logStream: logs.stream,
    ...extra,
  });
  apps.push(app);
  await waitReady(app);
  return { app, logs };
}

const call = (app: FastifyInstance, route = "") =>
  app.inject({ method: "GET", url: `/voys-webhook${route ? `/${route}` : ""}?${query()}` });

describe("strategy modules named in configuration", () => {
  it("routes as the module says, with its strategy_options, and names it in the audit line", async () => {
    const { app, logs } = await serve([
      {
        name: "default",
        policyId: "PDEMO01",
        strategy: ref("prefer.mjs"),
        strategyOptions: { prefer: "PBOB001" },
      },
    ]);
    const res = await call(app);
    expect(res.body).toBe("status=ACK&destination=%2B31622222222");
    expect(logs.audits()[0]).toMatchObject({
      strategy: "prefer-PBOB001",
      outcome: "ack",
      responderId: "PBOB001",
    });
  });

  it("loads a ROUTING_STRATEGY module once per route, each with its own route and options", async () => {
    const { app } = await serve(
      [
        { name: "default", policyId: "PDEMO01" },
        { name: "second", policyId: "PDEMO01", strategyOptions: { prefer: "PBOB001" } },
      ],
      { routingStrategy: ref("prefer.mjs", "ROUTING_STRATEGY") },
    );
    expect((await call(app)).body).toBe("status=ACK&destination=%2B31611111111");
    expect((await call(app, "second")).body).toBe("status=ACK&destination=%2B31622222222");
  });

  it.each([
    ["missing.mjs", "cannot be loaded"],
    ["no-factory.mjs", "exports no factory"],
    ["factory-throws.mjs", "factory threw: strategy_options.country must be a string"],
    ["no-pick.mjs", "factory returned no strategy"],
  ])("refuses to start with %s, naming the setting, the file and the reason", async (name, reason) => {
    const attempt = build({
      source: createStaticSource([shift(alice)]),
      routes: [
        { name: "default", policyId: "PDEMO01" },
        { name: "other", policyId: "PDEMO01", strategy: ref(name, "routes[1].strategy") },
      ],
    });
    const error = await attempt.then(
      () => undefined,
      (e: unknown) => e as Error & { code?: string; problems?: string[] },
    );
    expect(error?.code).toBe("PDV_ERR_SERVER_OPTIONS_INVALID");
    expect(error?.message).toContain(`routes[1].strategy: strategy module ${moduleFile(name)} ${reason}`);
    expect(error?.problems).toHaveLength(1);
  });
});

describe("a strategy cannot hurt a call", () => {
  it("a pick that never answers costs the call under a second: fallback, log line, metric", async () => {
    const { app, logs } = await serve([
      { name: "default", policyId: "PDEMO01", strategy: ref("hangs.mjs"), fallbackNumber: FALLBACK },
      { name: "nak", policyId: "PDEMO01", strategy: ref("hangs.mjs", "routes[1].strategy") },
      { name: "healthy", policyId: "PDEMO01", strategy: "round-robin" },
    ]);
    const started = performance.now();
    const [fallback, nak] = await Promise.all([call(app), call(app, "nak")]);
    const elapsed = performance.now() - started;
    expect(fallback.body).toBe("status=ACK&destination=%2B31201234567");
    expect(nak.statusCode).toBe(503);
    expect(nak.body).toBe("status=NAK");
    expect(elapsed).toBeLessThan(1_300);
    expect(elapsed).toBeGreaterThanOrEqual(700);
    expect((await call(app, "healthy")).statusCode).toBe(200);
    const failures = logs.records().filter((r) => r.msg?.toString().startsWith("routing strategy failed"));
    expect(failures.map((r) => [r.strategy, r.reason])).toEqual([
      ["hangs", "timeout"],
      ["hangs", "timeout"],
    ]);
    expect(
      logs
        .audits()
        .map((a) => [a.outcome, a.strategy, a.reason])
        .slice(0, 2),
    ).toEqual(
      expect.arrayContaining([
        ["fallback", "hangs", "strategy failed"],
        ["nak", "hangs", "strategy failed"],
      ]),
    );
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain(
      'pagerduty_voys_strategy_failures_total{route="default",strategy="hangs",reason="timeout"} 1',
    );
  });

  it("a pick that throws, or answers a stranger's number, ends in the fallback and is counted", async () => {
    const { app, logs } = await serve([
      { name: "default", policyId: "PDEMO01", strategy: ref("throws.mjs"), fallbackNumber: FALLBACK },
      { name: "stranger", policyId: "PDEMO01", strategy: ref("stranger.mjs", "routes[1].strategy") },
    ]);
    for (let i = 0; i < 3; i++) expect((await call(app)).body).toBe("status=ACK&destination=%2B31201234567");
    expect((await call(app, "stranger")).statusCode).toBe(503);
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain(
      'pagerduty_voys_strategy_failures_total{route="default",strategy="throws",reason="error"} 3',
    );
    expect(metrics).toContain(
      'pagerduty_voys_strategy_failures_total{route="stranger",strategy="stranger",reason="invalid_pick"} 1',
    );
    expect(logs.text()).not.toContain("31699999999");
    const failure = logs.records().find((r) => r.strategy === "throws" && r.reason === "error");
    expect(failure?.err).toMatchObject({ message: "bug in pick" });
  });
});

describe("least-recent through the server", () => {
  it("gives a newcomer to the shift the next call, and nobody two calls in a row when someone leaves", async () => {
    const t0 = Date.parse("2026-01-05T08:00:00Z");
    let now = t0;
    const cas = responder("PCAS001", ["+31633333333"], "Cas");
    const dan = responder("PDAN001", ["+31644444444"], "Dan");
    const app = await build({
      source: createStaticSource([
        shift(alice),
        shift(bob, { end: new Date(t0 + 10 * 60_000) }),
        shift(cas),
        shift(dan, { start: new Date(t0 + 5 * 60_000) }),
      ]),
      routes: [{ name: "default", policyId: "PDEMO01", strategy: "least-recent" }],
      now: () => new Date(now),
    });
    apps.push(app);
    await waitReady(app);
    const next = async (minute: number) => {
      now = t0 + minute * 60_000;
      return (await call(app)).body.replace("status=ACK&destination=%2B", "+");
    };
    // Alice, Bob, Cas in id order, then Alice again.
    expect([await next(1), await next(2), await next(3), await next(4)]).toEqual([
      "+31611111111",
      "+31622222222",
      "+31633333333",
      "+31611111111",
    ]);
    expect(await next(6)).toBe("+31644444444"); // Dan joined at minute 5: never called, so next
    expect(await next(7)).toBe("+31622222222"); // then Bob, called longest ago
    expect(await next(11)).toBe("+31633333333"); // Bob left at minute 10: Cas, then Alice
    expect(await next(12)).toBe("+31611111111");
  });
});
