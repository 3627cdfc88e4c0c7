import { createSeededRandom } from "@pagerduty-voys/core/testing";
import {
  FORBIDDEN_NUMBERS,
  fakeUser,
  LEVEL1_NUMBERS,
  testScenario,
} from "@pagerduty-voys/pagerduty-source/testing";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { destinationOf, SECRET } from "../src/testing/helpers.js";
import { type Stack, startStack } from "../src/testing/stack.js";

/** Counts of each value. */
function tally<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}

/** A stack for the current test, closed when that test finishes (passed or failed). */
async function stack(options: Parameters<typeof startStack>[0] = {}): Promise<Stack> {
  const started = await startStack({ scenario: testScenario(), ...options });
  onTestFinished(() => started.close());
  return started;
}

/** The roster refreshes that failed so far, as `/metrics` counts them. */
async function failedRefreshes(s: Stack): Promise<number> {
  const text = await (await fetch(`${s.base}/metrics`)).text();
  const match = /pagerduty_voys_roster_refreshes_total\{result="error"\} (\d+)/.exec(text);
  return Number(match?.[1] ?? 0);
}

/** Waits (at most 5 s) until more than `before` refreshes have failed. */
async function refreshFailedSince(s: Stack, before: number): Promise<void> {
  await vi.waitFor(
    async () => {
      expect(await failedRefreshes(s)).toBeGreaterThan(before);
    },
    { timeout: 5_000, interval: 20 },
  );
}

async function calls(s: Stack, n: number, path = "/voys-webhook"): Promise<(string | undefined)[]> {
  const out: (string | undefined)[] = [];
  for (let i = 0; i < n; i++) out.push(destinationOf((await s.call(path)).body));
  return out;
}

describe("over real HTTP against the fake PagerDuty: the wire contract", () => {
  it("routed: 200 status=ACK&destination=%2B… as text/plain; charset=utf-8", async () => {
    const s = await stack();
    const res = await fetch(`${s.base}/voys-webhook?secret_key=${SECRET}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/plain; charset=utf-8");
    const body = await res.text();
    expect(body).toMatch(/^status=ACK&destination=%2B316\d{8}$/);
    expect(LEVEL1_NUMBERS).toContain(destinationOf(body));
  });

  it("missing or wrong secret: 401 status=NAK", async () => {
    const s = await stack();
    expect(await s.call("/voys-webhook", {}, null)).toEqual({ status: 401, body: "status=NAK" });
    expect(await s.call("/voys-webhook", {}, "guess")).toEqual({ status: 401, body: "status=NAK" });
  });

  it("nobody reachable, no fallback: 503 status=NAK, fast and still serving", async () => {
    const scenario = testScenario();
    const s = await stack({
      scenario: { ...scenario, oncalls: scenario.oncalls.filter((o) => o.level === 2) },
    });
    for (let i = 0; i < 5; i++) expect(await s.call()).toEqual({ status: 503, body: "status=NAK" });
    expect((await fetch(`${s.base}/healthz`)).status).toBe(200);
    expect(s.logs.audits().at(-1)).toMatchObject({ outcome: "nak", reason: "nobody on call" });
  });

  it("nobody reachable, fallback set: 200 ACK with the fallback number", async () => {
    const scenario = testScenario();
    const s = await stack({
      scenario: { ...scenario, oncalls: scenario.oncalls.filter((o) => o.userId === "PDIRK01") },
      server: { routes: [{ name: "default", policyId: "PDEMO01", fallbackNumber: "+31201234567" }] },
    });
    expect(await s.call()).toEqual({ status: 200, body: "status=ACK&destination=%2B31201234567" });
    expect(s.logs.audits().at(-1)).toMatchObject({ outcome: "fallback", reason: "no phones" });
  });
});

describe("who gets the call", () => {
  it("never returns level-2 users, SMS numbers, blacklisted or disabled phones", async () => {
    const s = await stack({ server: { random: createSeededRandom(7) } });
    const seen = new Set(await calls(s, 300));
    for (const number of FORBIDDEN_NUMBERS) expect(seen.has(number)).toBe(false);
    expect([...seen].sort()).toEqual([...LEVEL1_NUMBERS].sort());
  });

  it("round-robin: two level-1 users share calls exactly, and so do a user's two numbers", async () => {
    const s = await stack({ server: { routingStrategy: "round-robin" } });
    const counts = tally(await calls(s, 120));
    expect(counts.get("+31611111111")).toBe(60);
    expect(counts.get("+31622222221")).toBe(30);
    expect(counts.get("+31622222222")).toBe(30);
  });

  it("random: two level-1 users share calls evenly (seeded)", async () => {
    const s = await stack({ server: { random: createSeededRandom(42) } });
    const counts = tally(await calls(s, 1_000));
    const anna = counts.get("+31611111111") ?? 0;
    // A fair coin over 1000 calls stays within ±5 % of 500 with probability > 99.8 %; the seed fixes it.
    expect(anna).toBeGreaterThan(450);
    expect(anna).toBeLessThan(550);
  });

  it("a user listed three times is not favoured", async () => {
    const scenario = testScenario();
    const triple = [0, 1, 2].map(() => ({ policyId: "PDEMO01", level: 1, userId: "PANNA01" }));
    const s = await stack({
      scenario: {
        users: scenario.users,
        oncalls: [...triple, { policyId: "PDEMO01", level: 1, userId: "PBRAM01" }],
      },
      server: { routingStrategy: "round-robin" },
    });
    const counts = tally(await calls(s, 100));
    expect(counts.get("+31611111111")).toBe(50);
    const random = await stack({
      scenario: {
        users: scenario.users,
        oncalls: [...triple, { policyId: "PDEMO01", level: 1, userId: "PBRAM01" }],
      },
      server: { random: createSeededRandom(3) },
    });
    const share = (tally(await calls(random, 1_000)).get("+31611111111") ?? 0) / 1_000;
    expect(share).toBeGreaterThan(0.45);
    expect(share).toBeLessThan(0.55);
  });

  it("one roster for all routes: named routes, DIDs, a level-2 route, and unknown names", async () => {
    const s = await stack({
      server: {
        routes: [
          { name: "default", policyId: "PDEMO01", strategy: "round-robin" },
          { name: "support", policyId: "PSUPP01", dids: ["+31208888888"] },
          { name: "backup", policyId: "PDEMO01", level: 2 },
        ],
      },
    });
    expect(destinationOf((await s.call("/voys-webhook/support")).body)).toBe("+31677777777");
    expect(destinationOf((await s.call("/voys-webhook", { did: "+31208888888" })).body)).toBe("+31677777777");
    expect(LEVEL1_NUMBERS).toContain(
      destinationOf((await s.call("/voys-webhook", { did: "+31209999999" })).body),
    );
    expect(destinationOf((await s.call("/voys-webhook/backup")).body)).toBe("+31633333333");
    expect(await s.call("/voys-webhook/billing")).toEqual({ status: 404, body: "status=NAK" });
    const oncalls = s.fake.requests.filter((r) => r.path === "/oncalls");
    expect(oncalls).toHaveLength(1);
    expect(oncalls[0]?.query.getAll("escalation_policy_ids[]").sort()).toEqual(["PDEMO01", "PSUPP01"]);
  });
});

describe("PagerDuty faults", () => {
  it("PagerDuty hanging from the start: the first call still gets an answer, 503 status=NAK", async () => {
    const s = await stack({ fault: "hang", server: { coldStartWaitMs: 2_000 } });
    const res = await s.call();
    expect(res).toEqual({ status: 503, body: "status=NAK" });
    expect(s.logs.audits().at(-1)).toMatchObject({ reason: "roster cold" });
    expect((await fetch(`${s.base}/readyz`)).status).toBe(503);
  });

  it("PagerDuty rate-limiting from the start: once the first load failed, calls are answered without the cold-start wait", async () => {
    // The wait bound is far beyond the test timeout: a call that waited for it would fail the test.
    // Even the first call, which may arrive before the failure, is released when it happens.
    const s = await stack({ fault: "rate-limit", server: { coldStartWaitMs: 60_000 } });
    for (let i = 0; i < 20; i++) expect(await s.call()).toEqual({ status: 503, body: "status=NAK" });
    expect(s.logs.audits().at(-1)).toMatchObject({ reason: "roster cold" });
    expect(s.fake.requests.filter((r) => r.path === "/oncalls")).toHaveLength(1);
  });

  it("PagerDuty down after warm-up: refreshes fail, and calls still get the on-call number", async () => {
    // Refreshing every 50 ms, so that refreshes do fail within the test; the metric proves they did.
    const s = await stack({ server: { roster: { refreshIntervalMs: 50 } } });
    const warm = await failedRefreshes(s);
    await s.fake.setFault("refuse");
    await refreshFailedSince(s, warm);
    for (const number of await calls(s, 20)) expect(LEVEL1_NUMBERS).toContain(number);
    const refused = await failedRefreshes(s);
    await s.fake.setFault("hang"); // each refresh now ends in the 1 s request timeout
    await refreshFailedSince(s, refused);
    for (const number of await calls(s, 20)) expect(LEVEL1_NUMBERS).toContain(number);
    expect(s.logs.audits().every((audit) => audit.outcome === "ack")).toBe(true);
  });

  it("a shift that ends while PagerDuty is down hands calls to the next person on time", async () => {
    // The server's clock is moved past the handover instead of waiting for it.
    let now = Date.now();
    const handover = new Date(now + 60_000);
    const s = await stack({
      scenario: {
        users: [fakeUser("PEARLY", ["611110000"]), fakeUser("PLATER", ["622220000"])],
        oncalls: [
          { policyId: "PDEMO01", level: 1, userId: "PEARLY", start: null, end: handover },
          { policyId: "PDEMO01", level: 1, userId: "PLATER", start: handover, end: null },
        ],
      },
      server: { now: () => new Date(now) },
    });
    expect(await calls(s, 3)).toEqual(Array(3).fill("+31611110000"));
    await s.fake.setFault("refuse");
    const requestsDuringOutage = s.fake.requests.length;
    now = handover.getTime() + 1;
    expect(await calls(s, 3)).toEqual(Array(3).fill("+31622220000"));
    expect(s.fake.requests.length).toBe(requestsDuringOutage);
  });

  it("500 calls cost no PagerDuty request beyond the refreshes", async () => {
    const s = await stack();
    const before = s.fake.requests.length;
    expect(before).toBeGreaterThan(0);
    const batch = async (): Promise<void> => {
      const results = await Promise.all(Array.from({ length: 50 }, () => s.call()));
      for (const r of results) expect(r.status).toBe(200);
    };
    for (let i = 0; i < 10; i++) await batch();
    expect(s.fake.requests.length).toBe(before);
    const metrics = await (await fetch(`${s.base}/metrics`)).text();
    expect(metrics).toContain('pagerduty_voys_webhook_requests_total{route="default",outcome="ack"} 500');
    expect(metrics).toContain('pagerduty_voys_pagerduty_requests_total{endpoint="oncalls",result="ok"} 1');
  });

  it("closing does not wait on a hung PagerDuty request", async () => {
    const s = await startStack({ scenario: testScenario(), fault: "hang" });
    onTestFinished(() => s.fake.close());
    // The first refresh is in flight and will never be answered; close must still finish.
    await s.app.close();
    expect(s.app.server.listening).toBe(false);
  });
});

describe("logs", () => {
  it("never hold the secret, a wrong guess, the PagerDuty token or a whole phone number", async () => {
    const s = await stack({ server: { logLevel: "trace" } });
    await s.call("/voys-webhook", { callerid: "+31612340987", did: "+31208888888" });
    await s.call("/voys-webhook", { callerid: "0612340987" }, "wrong-guess-4711");
    await s.call("/voys-webhook/unknown", { callerid: "31612340987" });
    await fetch(`${s.base}/nothing-here?secret_key=${SECRET}`);
    await fetch(`${s.base}/voys-webhook`, {
      method: "POST",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      body: `secret_key=${SECRET}&callerid=%2B31612340987`,
    });
    // The wrong guess is a refusal: counted, and logged only in the summary that close() flushes.
    await s.app.close();
    const text = s.logs.text();
    expect(s.logs.audits().length).toBeGreaterThanOrEqual(3);
    expect(s.logs.records().filter((r) => r.event === "requests-refused")).toHaveLength(1);
    for (const secret of [SECRET, "wrong-guess-4711", s.fake.token]) expect(text).not.toContain(secret);
    for (const digits of ["612340987", "611111111", "622222221", "622222222", "633333333"]) {
      expect(text).not.toContain(digits);
    }
  });
});

describe("/metrics", () => {
  it("is Prometheus text with a webhook counter", async () => {
    const s = await stack();
    await s.call();
    const res = await fetch(`${s.base}/metrics`);
    expect(res.headers.get("content-type")).toMatch(/^text\/plain/);
    const text = await res.text();
    expect(text).toContain("# TYPE pagerduty_voys_webhook_requests_total counter");
    expect(text).toContain("# TYPE pagerduty_voys_webhook_request_duration_seconds histogram");
    expect(text).toContain("pagerduty_voys_roster_age_seconds");
    expect(text).toContain("nodejs_eventloop_lag_seconds");
  });
});
