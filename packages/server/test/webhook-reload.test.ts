import { createStaticSource } from "@pagerduty-voys/core/testing";
import { LEVEL1_NUMBERS, testScenario } from "@pagerduty-voys/pagerduty-source/testing";
import type { FastifyInstance } from "fastify";
import { afterEach, describe, expect, it } from "vitest";
import { type BuildServerOptions, type ReloadInput, reloadServer } from "../src/index.js";
import {
  build,
  captureLogs,
  destinationOf,
  query,
  responder,
  SECRET,
  shift,
  waitReady,
} from "../src/testing/helpers.js";
import { startStack } from "../src/testing/stack.js";

const bob = responder("PBOB001", ["+31622222222"], "Bob");
const eva = responder("PEVA001", ["+31677777777"], "Eva");
const NEW_SECRET = "rotated-secret-abcdef0123456789";

let apps: FastifyInstance[] = [];
afterEach(async () => {
  await Promise.all(apps.map((app) => app.close()));
  apps = [];
});

function options(extra: Partial<BuildServerOptions> = {}): BuildServerOptions {
  return {
    secretKey: SECRET,
    pagerduty: { apiKey: "unused" },
    routes: [{ name: "default", policyId: "PDEMO01" }],
    ...extra,
  };
}

async function serve(logs = captureLogs()) {
  const source = createStaticSource([shift(bob), shift(eva, { policyId: "PSUPP01" })]);
  const app = await build({ ...options(), source, logStream: logs.stream, logLevel: "info" });
  apps.push(app);
  await waitReady(app);
  const call = async (path: string, secret: string | null = SECRET) => {
    const res = await app.inject({ method: "GET", url: `${path}?${query({}, secret)}` });
    return { status: res.statusCode, destination: destinationOf(res.body) };
  };
  return { app, source, logs, call };
}

const valid =
  (extra: Partial<BuildServerOptions>): (() => ReloadInput) =>
  () => ({
    ok: true,
    options: options(extra),
  });

describe("reloadServer", () => {
  it("swaps in new secrets and a route on a new policy, which is fetched at once", async () => {
    const { app, source, call } = await serve();
    expect(await call("/voys-webhook", NEW_SECRET)).toMatchObject({ status: 401 });
    expect(await call("/voys-webhook/support")).toMatchObject({ status: 404 });
    const fetchesBefore = source.calls.length;
    const result = await reloadServer(
      app,
      valid({
        secretKey: [SECRET, NEW_SECRET],
        routes: [
          { name: "default", policyId: "PDEMO01" },
          { name: "support", policyId: "PSUPP01" },
        ],
      }),
    );
    expect(result).toEqual({ result: "ok" });
    // The new policy is asked for at once, not at the next scheduled refresh.
    expect(source.calls.length).toBe(fetchesBefore + 1);
    // Only the new policy is asked for; the running one keeps its shifts.
    expect(source.calls.at(-1)?.policyIds).toEqual(["PSUPP01"]);
    await waitReady(app);
    expect(await call("/voys-webhook", NEW_SECRET)).toEqual({ status: 200, destination: "+31622222222" });
    expect(await call("/voys-webhook")).toEqual({ status: 200, destination: "+31622222222" });
    let support = await call("/voys-webhook/support");
    for (let i = 0; i < 50 && support.status !== 200; i++) {
      await new Promise((resolve) => setImmediate(resolve));
      support = await call("/voys-webhook/support");
    }
    expect(support).toEqual({ status: 200, destination: "+31677777777" });
    // Removing the old secret: it is refused from then on.
    expect(await reloadServer(app, valid({ secretKey: NEW_SECRET }))).toEqual({ result: "ok" });
    expect(await call("/voys-webhook")).toMatchObject({ status: 401 });
    expect(await call("/voys-webhook", NEW_SECRET)).toMatchObject({ status: 200 });
  });

  it("keeps the running configuration when the new one is invalid, naming every bad path", async () => {
    const logs = captureLogs();
    const { app, call } = await serve(logs);
    const fromConfig = await reloadServer(app, () => ({
      ok: false,
      errors: ["routes[0].policy: required", 'ALLOWED_IPS: "10.0.0.0/99" is not an IP or CIDR'],
    }));
    expect(fromConfig).toEqual({
      result: "invalid",
      problems: ["routes[0].policy: required", 'ALLOWED_IPS: "10.0.0.0/99" is not an IP or CIDR'],
    });
    const fromServer = await reloadServer(
      app,
      valid({ secretKey: "", routes: [{ name: "bad name!", policyId: "PDEMO01" }] }),
    );
    expect(fromServer).toMatchObject({ result: "invalid" });
    expect(fromServer.result === "invalid" && fromServer.problems).toEqual([
      "secretKey: required, a non-empty secret",
      "routes[0].name: expected a URL-safe name (letters, digits, - _ .; at most 63 characters)",
    ]);
    const failed = await reloadServer(app, () => {
      throw new Error("disk on fire");
    });
    expect(failed).toEqual({ result: "failed", error: "disk on fire" });
    expect(await call("/voys-webhook")).toEqual({ status: 200, destination: "+31622222222" });
    const refused = logs.records().filter((r) => r.event === "config-reload");
    expect(refused.map((r) => r.result)).toEqual(["invalid", "invalid", "failed"]);
    expect(String(refused[0]?.msg)).toContain("routes[0].policy: required; ALLOWED_IPS:");
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('pagerduty_voys_config_reloads_total{result="invalid"} 2');
    expect(metrics).toContain('pagerduty_voys_config_reloads_total{result="failed"} 1');
    expect(metrics).toContain('pagerduty_voys_config_reloads_total{result="ok"} 0');
  });

  it("applies an allowlist added by a reload, and drops one a reload removes", async () => {
    const { app, call } = await serve();
    expect(await reloadServer(app, valid({ allowedIps: ["10.0.0.0/8"] }))).toEqual({ result: "ok" });
    expect(await call("/voys-webhook")).toEqual({ status: 403, destination: undefined });
    expect(await reloadServer(app, valid({}))).toEqual({ result: "ok" });
    expect(await call("/voys-webhook")).toEqual({ status: 200, destination: "+31622222222" });
  });

  it("fails no call while reloading five times in a row", async () => {
    const { app, call } = await serve();
    const configs = [
      valid({ secretKey: [SECRET, NEW_SECRET] }),
      valid({ routes: [{ name: "default", policyId: "PDEMO01", fallbackNumber: "+31201234567" }] }),
      valid({ allowedIps: ["127.0.0.1", "::1"] }),
      valid({
        routes: [
          { name: "default", policyId: "PDEMO01" },
          { name: "support", policyId: "PSUPP01" },
        ],
      }),
      valid({}),
    ];
    let stop = false;
    const answers: { status: number; destination?: string | undefined }[] = [];
    const caller = (async () => {
      while (!stop) answers.push(await call("/voys-webhook"));
    })();
    const results = [];
    for (const config of configs) {
      results.push(await reloadServer(app, config));
      // Let calls run between reloads.
      for (let i = 0; i < 5; i++) answers.push(await call("/voys-webhook"));
    }
    stop = true;
    await caller;
    expect(results).toEqual(configs.map(() => ({ result: "ok" })));
    expect(answers.length).toBeGreaterThan(25);
    expect(answers.filter((a) => a.status !== 200 || a.destination !== "+31622222222")).toEqual([]);
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('pagerduty_voys_config_reloads_total{result="ok"} 5');
  });
});

describe("reloadServer with the PagerDuty API", () => {
  it("tries a changed api_key once first, and refuses the whole reload when PagerDuty refuses it", async () => {
    const s = await startStack({ scenario: testScenario() });
    try {
      const pagerduty = { apiKey: s.fake.token, apiUrl: s.fake.url, requestTimeoutMs: 1_000 };
      const refused = await reloadServer(
        s.app,
        valid({ secretKey: NEW_SECRET, pagerduty: { ...pagerduty, apiKey: "revoked-token" } }),
      );
      expect(refused.result).toBe("failed");
      expect(refused.result === "failed" && refused.error).toMatch(
        /^PDV_ERR_SERVER_RELOAD_FAILED: PagerDuty refused the new api_key or URL/,
      );
      // Nothing of the refused configuration applies: the old secret still works, the new one does not.
      expect((await s.call("/voys-webhook", {}, NEW_SECRET)).status).toBe(401);
      expect(LEVEL1_NUMBERS).toContain(destinationOf((await s.call()).body));
      expect(await reloadServer(s.app, valid({ secretKey: NEW_SECRET, pagerduty }))).toEqual({
        result: "ok",
      });
      expect((await s.call("/voys-webhook", {}, NEW_SECRET)).status).toBe(200);
      expect(s.logs.text()).not.toContain("revoked-token");
      expect(
        s.logs
          .records()
          .filter((r) => r.event === "config-reload")
          .map((r) => r.result),
      ).toEqual(["failed", "ok"]);
    } finally {
      await s.close();
    }
  });
});
