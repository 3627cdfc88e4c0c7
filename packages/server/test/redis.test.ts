import { type RedisServerHandle, startRedisServer } from "@pagerduty-voys/core/testing";
import {
  createFakePagerDuty,
  type FakePagerDuty,
  type FakeScenario,
  fakeUser,
} from "@pagerduty-voys/pagerduty-source/testing";
import type { FastifyInstance } from "fastify";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import type { BuildServerOptions } from "../src/index.js";
import { build, captureLogs, destinationOf, query, waitReady } from "../src/testing/helpers.js";

const NUMBERS = ["+31611111111", "+31622222222", "+31633333333"];

function threeOnCall(): FakeScenario {
  const ids = ["PUSERA1", "PUSERB1", "PUSERC1"];
  return {
    users: ids.map((id, i) => fakeUser(id, [`06${String(i + 1).repeat(8)}`])),
    oncalls: ids.map((userId) => ({ policyId: "PDEMO01", level: 1, userId })),
  };
}

let redis: RedisServerHandle;
let fake: FakePagerDuty;
let prefixCounter = 0;

beforeAll(async () => {
  redis = await startRedisServer();
  fake = await createFakePagerDuty({ scenario: threeOnCall() });
});
afterAll(async () => {
  await fake?.close();
  await redis?.stop();
});

async function instance(extra: Partial<BuildServerOptions> = {}, prefix?: string): Promise<FastifyInstance> {
  const app = await build({
    pagerduty: { apiKey: fake.token, apiUrl: fake.url },
    routes: [{ name: "default", policyId: "PDEMO01", strategy: "round-robin" }],
    redis: { url: redis.url, keyPrefix: prefix ?? `test-${process.pid}-${++prefixCounter}:` },
    ...extra,
  });
  onTestFinished(() => app.close());
  await waitReady(app);
  return app;
}

async function call(app: FastifyInstance, extra: Record<string, string> = {}): Promise<string | undefined> {
  const res = await app.inject({ method: "GET", url: `/voys-webhook?${query(extra)}` });
  expect(res.statusCode).toBe(200);
  return destinationOf(res.body);
}

describe("round-robin shared through Redis", () => {
  it("two instances share one rotation: every three consecutive calls reach all three", async () => {
    const prefix = `shared-${process.pid}:`;
    const a = await instance({}, prefix);
    const b = await instance({}, prefix);
    const reached: (string | undefined)[] = [];
    for (let i = 0; i < 30; i++) reached.push(await call(i % 2 === 0 ? a : b));
    for (let i = 0; i + 3 <= reached.length; i += 3) {
      expect(new Set(reached.slice(i, i + 3))).toEqual(new Set(NUMBERS));
    }
  });

  it("Redis killed mid-run: calls keep getting an on-call number, fallbacks are counted; back again: still fine", async () => {
    const logs = captureLogs();
    const app = await instance({ logStream: logs.stream });
    for (let i = 0; i < 3; i++) expect(NUMBERS).toContain(await call(app));
    await redis.kill();
    try {
      for (let i = 0; i < 6; i++) expect(NUMBERS).toContain(await call(app));
      const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
      const fallbacks = /pagerduty_voys_redis_fallbacks_total\{store="counter"\} (\d+)/.exec(metrics);
      expect(Number(fallbacks?.[1])).toBeGreaterThan(0);
    } finally {
      await redis.restart();
    }
    for (let i = 0; i < 6; i++) expect(NUMBERS).toContain(await call(app));
    // One warning when Redis went away, not one per call.
    const warnings = logs.records().filter((r) => r.level === 40 && r.component === "redis-counter");
    expect(warnings.length).toBeGreaterThanOrEqual(1);
    expect(warnings.length).toBeLessThan(6);
  });

  it("a server whose Redis is down from the start still answers", async () => {
    const app = await build({
      pagerduty: { apiKey: fake.token, apiUrl: fake.url },
      routes: [{ name: "default", policyId: "PDEMO01", strategy: "round-robin" }],
      redis: { url: "redis://127.0.0.1:1", commandTimeoutMs: 100 },
    });
    onTestFinished(() => app.close());
    await waitReady(app);
    for (let i = 0; i < 3; i++) expect(NUMBERS).toContain(await call(app));
  });
});

describe("sticky callers", () => {
  const sticky = {
    routes: [{ name: "default", policyId: "PDEMO01", strategy: "round-robin" as const, stickyMinutes: 30 }],
  };

  it("in memory: a returning caller reaches the same person while other callers rotate", async () => {
    const app = await build({ pagerduty: { apiKey: fake.token, apiUrl: fake.url }, ...sticky });
    onTestFinished(() => app.close());
    await waitReady(app);
    const first = await call(app, { callerid: "+31699999999" });
    const others = [];
    for (let i = 0; i < 3; i++) others.push(await call(app, { callerid: `+3169999990${i}` }));
    expect(new Set(others)).toEqual(new Set(NUMBERS));
    expect(await call(app, { callerid: "+31699999999" })).toBe(first);
    expect(await call(app, { callerid: "0031699999999" })).toBe(first);
  });

  it("without a caller id the strategy decides", async () => {
    const app = await build({ pagerduty: { apiKey: fake.token, apiUrl: fake.url }, ...sticky });
    onTestFinished(() => app.close());
    await waitReady(app);
    const reached = [await call(app), await call(app), await call(app)];
    expect(new Set(reached)).toEqual(new Set(NUMBERS));
  });

  it("in Redis: the caller sticks across two instances", async () => {
    const prefix = `sticky-${process.pid}:`;
    const a = await instance(sticky, prefix);
    const b = await instance(sticky, prefix);
    const first = await call(a, { callerid: "+31698765432" });
    await call(b, { callerid: "+31600000001" });
    await call(a, { callerid: "+31600000002" });
    expect(await call(b, { callerid: "+31698765432" })).toBe(first);
    expect(await call(a, { callerid: "+31698765432" })).toBe(first);
  });
});

describe("least-recent and strategy modules shared through Redis", () => {
  it("least-recent: two instances keep one order, and a newcomer gets the next call", async () => {
    const prefix = `lr-${process.pid}:`;
    const routes = [{ name: "default", policyId: "PDEMO01", strategy: "least-recent" as const }];
    const a = await instance({ routes }, prefix);
    const b = await instance({ routes }, prefix);
    const reached: (string | undefined)[] = [];
    for (let i = 0; i < 12; i++) reached.push(await call(i % 2 === 0 ? a : b));
    for (let i = 0; i < reached.length; i += 3)
      expect(new Set(reached.slice(i, i + 3))).toEqual(new Set(NUMBERS));
    expect(reached.slice(0, 3)).toEqual(NUMBERS); // never called: by user id
  });

  it("a strategy module's store is shared by two instances", async () => {
    const prefix = `module-${process.pid}:`;
    const counting = new URL("./strategies/counting.mjs", import.meta.url).pathname;
    const routes = [
      { name: "default", policyId: "PDEMO01", strategy: { module: counting, setting: "routes[0].strategy" } },
    ];
    const a = await instance({ routes }, prefix);
    const b = await instance({ routes }, prefix);
    const reached: (string | undefined)[] = [];
    for (let i = 0; i < 9; i++) reached.push(await call(i % 2 === 0 ? a : b));
    expect(reached).toEqual([...NUMBERS, ...NUMBERS, ...NUMBERS]);
  });
});
