import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createManualClock, type ManualClock } from "@pagerduty-voys/core/testing";
import {
  createFakePagerDuty,
  type FakePagerDuty,
  type FakeScenario,
  fakeUser,
} from "@pagerduty-voys/pagerduty-source/testing";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import type { EventAttempt } from "../src/incidents/event-sender-types.js";
import type { BuildServerOptions, RouteConfig } from "../src/index.js";
import { build, captureLogs, type LogCapture, query, waitReady } from "../src/testing/helpers.js";

const KEY = "0123456789abcdef0123456789abcdef";
const OTHER_KEY = "R0123456789ABCDEF0123456789ABCDE";
const CALLER = "+31612345678";

/** PINC001 level 1: Anna. PEMPTY1: nobody. */
function scenario(): FakeScenario {
  return {
    users: [fakeUser("PANNA01", ["0611111111"], { name: "Anna de Vries" })],
    oncalls: [{ policyId: "PINC001", level: 1, userId: "PANNA01" }],
  };
}

/** Attempts the sender reports, awaited without polling. */
function attemptLog() {
  const seen: EventAttempt[] = [];
  let wake: (() => void) | undefined;
  return {
    seen,
    onAttempt(attempt: EventAttempt) {
      seen.push(attempt);
      wake?.();
    },
    async count(n: number, timeoutMs = 5_000): Promise<EventAttempt[]> {
      const deadline = Date.now() + timeoutMs;
      while (seen.length < n) {
        const left = deadline - Date.now();
        if (left <= 0) throw new Error(`${seen.length} of ${n} send attempts within ${timeoutMs} ms`);
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left);
          wake = () => {
            clearTimeout(timer);
            resolve();
          };
        });
      }
      return seen.slice(0, n);
    },
  };
}

interface Server {
  app: FastifyInstance;
  logs: LogCapture;
  clock: ManualClock;
  attempts: ReturnType<typeof attemptLog>;
  call(path?: string, extra?: Record<string, string>): Promise<{ status: number; body: string; ms: number }>;
  metric(name: string): Promise<number>;
}

let fakes: FakePagerDuty[] = [];
let apps: FastifyInstance[] = [];
let dirs: string[] = [];
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  await Promise.all(fakes.map((fake) => fake.close()));
  await Promise.all(dirs.map((dir) => rm(dir, { recursive: true, force: true })));
  [apps, fakes, dirs] = [[], [], []];
});

async function startFake(): Promise<FakePagerDuty> {
  const fake = await createFakePagerDuty({ scenario: scenario() });
  fakes.push(fake);
  return fake;
}

const route = (extra: Partial<RouteConfig> = {}): RouteConfig => ({
  name: "support",
  policyId: "PINC001",
  incidents: "missed",
  routingKey: KEY,
  ...extra,
});

async function serve(fake: FakePagerDuty, extra: Partial<BuildServerOptions> = {}): Promise<Server> {
  const clock = createManualClock("2026-03-02T08:00:00Z");
  const logs = captureLogs();
  const attempts = attemptLog();
  const app = await build({
    pagerduty: { apiKey: fake.token, apiUrl: fake.url },
    routes: [route(), route({ name: "empty", policyId: "PEMPTY1" })],
    timers: clock.timers,
    logStream: logs.stream,
    ...extra,
    events: { url: fake.url, requestTimeoutMs: 1_000, onAttempt: attempts.onAttempt, ...extra.events },
  });
  apps.push(app);
  await app.listen({ host: "127.0.0.1", port: 0 });
  await waitReady(app);
  const address = app.server.address();
  const base = `http://127.0.0.1:${typeof address === "object" && address ? address.port : 0}`;
  return {
    app,
    logs,
    clock,
    attempts,
    async call(path = "/voys-webhook/empty", extraQuery = { callerid: CALLER, did: "+31208888888" }) {
      const started = performance.now();
      const res = await fetch(`${base}${path}?${query(extraQuery)}`);
      return { status: res.status, body: await res.text(), ms: performance.now() - started };
    },
    async metric(line) {
      const text = await (await fetch(`${base}/metrics`)).text();
      const found = text.split("\n").find((l) => l.startsWith(`${line} `));
      return Number(found?.split(" ")[1]);
    },
  };
}

describe("incidents for missed calls, over real HTTP against the fake Events API", () => {
  it("a 503 NAK triggers a critical event with the caller's number, route, did, code and reason; logs never show the number", async () => {
    const fake = await startFake();
    const s = await serve(fake);
    const res = await s.call("/voys-webhook/empty", {
      callerid: "0031612345678",
      did: "+31208888888",
      code: "1",
    });
    expect(res.status).toBe(503);
    const [received] = await fake.waitForEvents(1);
    expect(received?.event).toMatchObject({
      routing_key: KEY,
      event_action: "trigger",
      payload: {
        severity: "critical",
        summary: expect.stringContaining(CALLER),
        source: expect.stringContaining("pagerduty-voys-webhook"),
        custom_details: {
          route: "empty",
          caller: CALLER,
          did: "+31208888888",
          code: "1",
          outcome: "nak",
          reason: "nobody on call",
        },
      },
    });
    expect((received?.event.payload as { summary?: string } | undefined)?.summary).toContain("empty");
    expect(received?.dedupKey).toMatch(/^pdv:empty:missed:[0-9a-f]{32}$/);
    await s.attempts.count(1);
    expect(s.logs.text()).not.toContain("12345678");
    expect(await s.metric('pagerduty_voys_events_total{result="accepted"}')).toBe(1);
  });

  it("a fallback answer triggers one too; routed calls do not with `missed`", async () => {
    const fake = await startFake();
    const s = await serve(fake, {
      routes: [route(), route({ name: "empty", policyId: "PEMPTY1", fallbackNumber: "+31209999999" })],
    });
    expect((await s.call("/voys-webhook/support")).status).toBe(200);
    expect((await s.call("/voys-webhook/empty")).status).toBe(200);
    await s.attempts.count(1);
    expect(
      fake.events.map(
        (e) => (e.event.payload as { custom_details: { outcome: string } }).custom_details.outcome,
      ),
    ).toEqual(["fallback"]);
  });

  it("one caller's attempts share a dedup key; another caller and anonymous callers get their own", async () => {
    const fake = await startFake();
    const s = await serve(fake);
    await s.call("/voys-webhook/empty", { callerid: CALLER });
    await s.call("/voys-webhook/empty", { callerid: "0031612345678" });
    await s.call("/voys-webhook/empty", { callerid: "+31687654321" });
    await s.call("/voys-webhook/empty", {});
    await s.call("/voys-webhook/empty", {});
    const keys = (await fake.waitForEvents(5)).map((e) => e.dedupKey);
    expect(keys[0]).toBe(keys[1]);
    expect(new Set(keys).size).toBe(4);
    expect(fake.events[3]?.event.payload).toMatchObject({ custom_details: { caller: null } });
  });

  it("with `all`, routed calls trigger info events naming caller and responder; per-route keys are used", async () => {
    const fake = await startFake();
    const s = await serve(fake, {
      routes: [
        route({ incidents: "all", routingKey: OTHER_KEY }),
        route({ name: "empty", policyId: "PEMPTY1" }),
      ],
    });
    expect((await s.call("/voys-webhook/support")).status).toBe(200);
    expect((await s.call("/voys-webhook/empty")).status).toBe(503);
    const [routed, missed] = await fake.waitForEvents(2);
    expect(routed?.event).toMatchObject({
      routing_key: OTHER_KEY,
      payload: {
        severity: "info",
        summary: expect.stringMatching(/\+31612345678.*Anna de Vries/),
        custom_details: { outcome: "ack", responder: { id: "PANNA01", name: "Anna de Vries" } },
      },
    });
    expect(missed?.event).toMatchObject({ routing_key: KEY, payload: { severity: "critical" } });
  });

  it("refuses to start with incidents but no routing key, naming PAGERDUTY_ROUTING_KEY", async () => {
    const fake = await startFake();
    await expect(
      build({
        pagerduty: { apiKey: fake.token, apiUrl: fake.url },
        routes: [{ name: "default", policyId: "PINC001", incidents: "missed" }],
      }),
    ).rejects.toMatchObject({
      code: "PDV_ERR_SERVER_OPTIONS_INVALID",
      message: expect.stringContaining("PAGERDUTY_ROUTING_KEY"),
    });
    await expect(
      build({
        pagerduty: { apiKey: fake.token, apiUrl: fake.url },
        routes: [
          { name: "default", policyId: "PINC001", incidents: "all", routingKey: "short", huntSeconds: 0 },
        ],
      }),
    ).rejects.toMatchObject({
      problems: expect.arrayContaining([
        expect.stringContaining("routes[0].huntSeconds"),
        expect.stringContaining("routes[0].routingKey"),
      ]),
    });
  });

  it("an event PagerDuty refuses (400) is logged and dropped", async () => {
    const fake = await startFake();
    const s = await serve(fake);
    fake.setEventsFault("invalid");
    await s.call();
    const [attempt] = await s.attempts.count(1);
    expect(attempt).toMatchObject({ result: "rejected", status: 400, queueDepth: 0 });
    const refused = s.logs.records().find((r) => r.msg === "PagerDuty refused an event; dropped");
    expect(refused).toMatchObject({ status: 400, errors: ["'routing_key' is invalid"] });
    expect(await s.metric('pagerduty_voys_events_total{result="rejected"}')).toBe(1);
  });
});

describe("delivery while the Events API is down (manual clock for the retries)", () => {
  it("after a 5 s outage the event arrives at the next retry, 2.5 s later; no call waits meanwhile", async () => {
    const fake = await startFake();
    const s = await serve(fake);
    fake.setEventsFault("down");
    const res = await s.call();
    expect(res.status).toBe(503);
    expect(res.ms).toBeLessThan(500);
    const start = s.clock.now().getTime();
    for (let n = 1; ; n++) {
      const attempt = (await s.attempts.count(n)).at(-1) as EventAttempt;
      if (attempt.result === "accepted") break;
      expect(attempt.result).toBe("retried");
      // Calls are answered at once while sends fail.
      expect((await s.call("/voys-webhook/support")).ms).toBeLessThan(500);
      // The outage ends 5 s after it began, possibly while the sender is waiting to retry.
      const untilEnd = start + 5_000 - s.clock.now().getTime();
      const delay = attempt.delayMs ?? 0;
      if (untilEnd > 0 && untilEnd <= delay) {
        await s.clock.advance(untilEnd);
        fake.setEventsFault(null);
        await s.clock.advance(delay - untilEnd);
      } else await s.clock.advance(delay);
    }
    const delivered = s.clock.now().getTime() - start;
    expect(s.attempts.seen.map((a) => a.delayMs)).toEqual([500, 1_000, 2_000, 4_000, undefined]);
    expect(delivered).toBe(7_500);
    expect(fake.events).toHaveLength(1);
    expect(await s.metric('pagerduty_voys_events_total{result="retried"}')).toBe(4);
    expect(await s.metric("pagerduty_voys_events_queue_depth")).toBe(0);
    const warnings = s.logs
      .records()
      .filter((r) => r.msg === "PagerDuty Events API failed; retrying with backoff");
    expect(warnings).toHaveLength(1);
  });

  it("retries at least every 10 s while unreachable, and waits as long as a 429's Retry-After says", async () => {
    const fake = await startFake();
    const s = await serve(fake);
    fake.setEventsFault("error-500");
    await s.call();
    for (let n = 1; n <= 7; n++) {
      const attempt = (await s.attempts.count(n)).at(-1) as EventAttempt;
      if (n === 7) fake.setEventsFault("rate-limit", { retryAfterSeconds: 30 });
      await s.clock.advance(attempt.delayMs ?? 0);
    }
    expect(s.attempts.seen.map((a) => a.delayMs)).toEqual([500, 1_000, 2_000, 4_000, 8_000, 10_000, 10_000]);
    const limited = (await s.attempts.count(8)).at(-1);
    expect(limited).toMatchObject({ result: "retried", status: 429, delayMs: 30_000 });
    fake.setEventsFault(null);
    await s.clock.advance(29_999);
    expect(fake.events).toHaveLength(0);
    await s.clock.advance(1);
    await fake.waitForEvents(1);
  });

  it("a send that hung until its timeout counts towards the wait, so attempts still start every 10 s", async () => {
    const fake = await startFake();
    const s = await serve(fake, { events: { requestTimeoutMs: 1_000 } });
    fake.setEventsFault("hang");
    await s.call();
    const [attempt] = await s.attempts.count(1);
    expect(attempt).toMatchObject({ result: "retried", status: undefined, delayMs: 0 });
  });

  it("a full queue drops events, counts them and says so once", async () => {
    const fake = await startFake();
    const s = await serve(fake, { events: { queueSize: 2 } });
    fake.setEventsFault("hang");
    for (let i = 0; i < 5; i++) expect((await s.call()).status).toBe(503);
    expect(await s.metric('pagerduty_voys_events_total{result="dropped"}')).toBe(3);
    expect(await s.metric("pagerduty_voys_events_queue_depth")).toBe(2);
    expect(
      s.logs.records().filter((r) => r.msg?.toString().startsWith("PagerDuty event queue full")),
    ).toHaveLength(1);
  });
});

describe("STATE_DIRECTORY: a restart loses nothing", () => {
  it("events are on disk before the first send, survive a restart, and are removed once accepted", async () => {
    const dir = await mkdtemp(join(tmpdir(), "pdv-events-"));
    dirs.push(dir);
    const fake = await startFake();
    const first = await serve(fake, { events: { stateDirectory: dir } });
    fake.setEventsFault("down");
    await first.call();
    await first.call("/voys-webhook/empty", { callerid: "+31687654321" });
    await first.attempts.count(1);
    // The first event was on disk before its first send; the second one's write runs meanwhile.
    expect((await readdir(dir)).filter((f) => f.endsWith(".json")).length).toBeGreaterThanOrEqual(1);
    const closing = performance.now();
    await first.app.close();
    expect(performance.now() - closing).toBeLessThan(3_000);
    expect((await readdir(dir)).filter((f) => f.endsWith(".json"))).toHaveLength(2);
    fake.setEventsFault(null);
    const second = await serve(fake, { events: { stateDirectory: dir } });
    const events = await fake.waitForEvents(2);
    expect(
      events.map((e) => (e.event.payload as { custom_details: { caller: string } }).custom_details.caller),
    ).toEqual([CALLER, "+31687654321"]);
    await second.attempts.count(2);
    expect(await readdir(dir)).toEqual([]);
  });

  it("close gives a hanging send at most about 2 s", async () => {
    const fake = await startFake();
    // No drain of kept-alive connections first: this measures the incidents' own bound.
    const s = await serve(fake, { events: { requestTimeoutMs: 60_000 }, shutdownDrainMs: 0 });
    fake.setEventsFault("hang");
    await s.call();
    const started = performance.now();
    await s.app.close();
    const took = performance.now() - started;
    expect(took).toBeLessThan(3_000);
    expect(s.logs.records().some((r) => r.msg === "events not yet delivered are lost")).toBe(true);
  });
});
