import { createManualClock, type RedisServerHandle, startRedisServer } from "@pagerduty-voys/core/testing";
import {
  createFakePagerDuty,
  type FakePagerDuty,
  type FakeScenario,
  fakeUser,
} from "@pagerduty-voys/pagerduty-source/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import type { BuildServerOptions, RouteConfig } from "../src/index.js";
import {
  build,
  captureLogs,
  destinationOf,
  type LogCapture,
  query,
  waitReady,
} from "../src/testing/helpers.js";

const A = "+31611111111";
const B = "+31622222222";
const E = "+31655555555";
const F = "+31666666666";
const CALLER = "+31201110000";

/** PHUNT01: level 1 A and B (and C without a phone), level 2 only D without a phone, level 3 E, level 4 F. */
function huntScenario(): FakeScenario {
  return {
    users: [
      fakeUser("PA00001", ["0611111111"]),
      fakeUser("PB00001", ["0622222222"]),
      fakeUser("PC00001", []),
      fakeUser("PD00001", []),
      fakeUser("PE00001", ["0655555555"]),
      fakeUser("PF00001", ["0666666666"]),
    ],
    oncalls: [
      { policyId: "PHUNT01", level: 1, userId: "PA00001" },
      { policyId: "PHUNT01", level: 1, userId: "PB00001" },
      { policyId: "PHUNT01", level: 1, userId: "PC00001" },
      { policyId: "PHUNT01", level: 2, userId: "PD00001" },
      { policyId: "PHUNT01", level: 3, userId: "PE00001" },
      { policyId: "PHUNT01", level: 4, userId: "PF00001" },
    ],
  };
}

let fake: FakePagerDuty;
let redis: RedisServerHandle;
let apps: FastifyInstance[] = [];
beforeAll(async () => {
  fake = await createFakePagerDuty({ scenario: huntScenario() });
  redis = await startRedisServer();
});
afterAll(async () => {
  await fake?.close();
  await redis?.stop();
});
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
});

const supportRoute = (extra: Partial<RouteConfig> = {}): RouteConfig => ({
  name: "support",
  policyId: "PHUNT01",
  strategy: "round-robin",
  huntSeconds: 120,
  ...extra,
});

async function serve(extra: Partial<BuildServerOptions> = {}) {
  const clock = createManualClock("2026-03-02T08:00:00Z");
  const logs: LogCapture = captureLogs();
  const app = await build({
    pagerduty: { apiKey: fake.token, apiUrl: fake.url },
    routes: [supportRoute()],
    now: clock.now,
    logStream: logs.stream,
    ...extra,
  });
  apps.push(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  await waitReady(app);
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  const call = async (extraQuery: Record<string, string> = { callerid: CALLER }) => {
    const res = await fetch(`${base}/voys-webhook/support?${query(extraQuery)}`);
    return { status: res.status, to: destinationOf(await res.text()) };
  };
  return { app, clock, logs, call, base };
}

describe("hunting over real HTTP against the fake PagerDuty", () => {
  it("a caller who calls back reaches the other responder, then the next reachable level, then starts over", async () => {
    const { clock, call, logs, base } = await serve();
    const reached = [];
    for (let i = 0; i < 6; i++) {
      reached.push((await call()).to);
      await clock.advance(45_000);
    }
    expect(new Set(reached.slice(0, 2))).toEqual(new Set([A, B]));
    // Level 2 has nobody reachable and is skipped.
    expect(reached.slice(2, 4)).toEqual([E, F]);
    expect(new Set(reached.slice(4, 6))).toEqual(new Set([A, B]));
    const audits = logs.audits();
    expect(audits[0]?.hunt).toBeUndefined();
    expect(audits.slice(1).map((a) => a.hunt)).toEqual([
      { attempt: 2, level: 1 },
      { attempt: 3, level: 3 },
      { attempt: 4, level: 4 },
      { attempt: 5, level: 1 },
      { attempt: 6, level: 1 },
    ]);
    expect(logs.text()).not.toContain("1110000");
    const metrics = await (await fetch(`${base}/metrics`)).text();
    expect(metrics).toContain('pagerduty_voys_hunted_calls_total{route="support",attempt="3",level="3"} 1');
    expect(metrics).toContain('pagerduty_voys_hunted_calls_total{route="support",attempt="5+",level="1"} 2');
  });

  it("each call restarts the window; a call after it is a first call again", async () => {
    const { clock, call, logs } = await serve({ routes: [supportRoute({ huntSeconds: 60 })] });
    await call();
    await clock.advance(59_000);
    await call();
    await clock.advance(59_000);
    expect((await call()).to).toBe(E);
    await clock.advance(60_000);
    expect([A, B]).toContain((await call()).to);
    expect(logs.audits().map((a) => (a.hunt as { attempt?: number } | undefined)?.attempt)).toEqual([
      undefined,
      2,
      3,
      undefined,
    ]);
  });

  it("never hunts without a caller id, and keeps callers apart", async () => {
    const { call, logs } = await serve();
    for (let i = 0; i < 4; i++) expect([A, B]).toContain((await call({})).to);
    expect([A, B]).toContain((await call({ callerid: "+31201110001" })).to);
    expect([A, B]).toContain((await call({ callerid: "+31201110002" })).to);
    expect(logs.audits().every((a) => a.hunt === undefined)).toBe(true);
  });

  it("with sticky callers: within the window it hunts, later the caller returns to their last responder at that level", async () => {
    const { clock, call } = await serve({
      routes: [supportRoute({ huntSeconds: 60, stickyMinutes: 30 })],
    });
    await call();
    await call();
    expect((await call()).to).toBe(E);
    await clock.advance(10 * 60_000);
    expect((await call()).to).toBe(E);
    await clock.advance(31 * 60_000);
    expect([A, B]).toContain((await call()).to);
  });

  it("two instances sharing Redis hunt as one", async () => {
    const prefix = `hunt-${process.pid}-${Date.now()}:`;
    const shared = { redis: { url: redis.url, keyPrefix: prefix } };
    const one = await serve(shared);
    const two = await serve(shared);
    const first = (await one.call()).to;
    const second = (await two.call()).to;
    expect(new Set([first, second])).toEqual(new Set([A, B]));
    expect((await one.call()).to).toBe(E);
    expect((await two.call()).to).toBe(F);
    expect(two.logs.audits().map((a) => a.hunt)).toEqual([
      { attempt: 2, level: 1 },
      { attempt: 4, level: 4 },
    ]);
  });

  it("a Redis that does not answer falls back to memory for that call, without delaying it", async () => {
    const { call, logs } = await serve({
      redis: { url: "redis://127.0.0.1:1", commandTimeoutMs: 100 },
    });
    const started = performance.now();
    expect([A, B]).toContain((await call()).to);
    const reached = (await call()).to;
    expect(performance.now() - started).toBeLessThan(1_000);
    expect([A, B]).toContain(reached);
    expect(logs.audits().at(-1)?.hunt).toEqual({ attempt: 2, level: 1 });
  });

  it("Redis killed mid-hunt: calls are still answered at once, from memory; once back, hunts are shared again", async () => {
    const shared = {
      redis: { url: redis.url, keyPrefix: `killed-${process.pid}-${Date.now()}:`, commandTimeoutMs: 200 },
    };
    const { call, base } = await serve(shared);
    expect([A, B]).toContain((await call()).to);
    await redis.kill();
    try {
      for (let i = 0; i < 3; i++) {
        const started = performance.now();
        const { status } = await call({ callerid: `+3120111000${i}` });
        expect(status).toBe(200);
        expect(performance.now() - started).toBeLessThan(1_000);
      }
      const metrics = await (await fetch(`${base}/metrics`)).text();
      expect(metrics).toMatch(/pagerduty_voys_redis_fallbacks_total\{store="hunt"\} [1-9]/);
    } finally {
      await redis.restart();
    }
  });

  it("a call that finds nobody reachable leaves the hunt as it was", async () => {
    const { call } = await serve({ routes: [supportRoute({ level: 2, fallbackNumber: "+31209999999" })] });
    expect((await call()).to).toBe("+31209999999");
    expect((await call()).to).toBe("+31209999999");
  });
});
