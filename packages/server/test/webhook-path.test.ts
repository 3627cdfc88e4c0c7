import type { RoutingStrategy } from "@pagerduty-voys/core";
import { createStaticSource } from "@pagerduty-voys/core/testing";
import type { FastifyInstance } from "fastify";
import { describe, expect, it, onTestFinished, vi } from "vitest";
import { createSecretChecker } from "../src/auth.js";
import { createRouteTable, type WebhookRoute } from "../src/route-table.js";
import {
  build,
  captureLogs,
  get,
  hangingSource,
  type LogCapture,
  query,
  responder,
  SECRET,
  shift,
  waitReady,
} from "../src/testing/helpers.js";

// The webhook's hot path as a user sees it: status, body, and the one audit line of each call.
const anna = responder("PANNA01", ["+31611111111", "+31611111112"], "Anna");
const bram = responder("PBRAM01", ["+31622222222"], "Bram");

async function serve(
  extra: Partial<Parameters<typeof build>[0]> = {},
  shifts = [shift(anna)],
): Promise<{ app: FastifyInstance; logs: LogCapture }> {
  const logs = captureLogs();
  const app = await build({
    source: createStaticSource(shifts),
    routes: [{ name: "default", policyId: "PDEMO01" }],
    logStream: logs.stream,
    ...extra,
  });
  onTestFinished(() => app.close());
  if (!extra.source) await waitReady(app);
  return { app, logs };
}

describe("the audit line of each outcome", () => {
  it("ack: route, level, strategy, responder, masked numbers, roster state, status and latency", async () => {
    const { app, logs } = await serve({
      routes: [{ name: "default", policyId: "PDEMO01", level: 1 }],
      random: () => 0,
    });
    const res = await get(app, `/voys-webhook?${query({ callerid: "+31687654321" })}`);
    expect(res).toEqual({ status: 200, body: "status=ACK&destination=%2B31611111111" });
    const [audit] = logs.audits();
    expect(audit).toMatchObject({
      route: "default",
      outcome: "ack",
      status: 200,
      level: 1,
      strategy: "random",
      responderId: "PANNA01",
      responderName: "Anna",
      rosterState: "fresh",
    });
    expect(typeof audit?.latencyMs).toBe("number");
    expect(audit?.latencyMs).toBeGreaterThan(0);
    expect(audit?.latencyMs).toBeLessThan(5_000); // milliseconds, not seconds or microseconds
    expect(String(audit?.destination)).toMatch(/^\+31 6\*+111$/);
    expect(String(audit?.caller)).toMatch(/^\+31 6\*+321$/);
  });

  it.each([
    ["secret missing", null, {}],
    ["secret wrong", "guess", {}],
    ["secret repeated", SECRET, { secret_key: SECRET }],
  ] as const)(
    "401 for %s: no audit line, but counted and summed up in one warning",
    async (reason, secret, extra) => {
      const { app, logs } = await serve();
      for (let i = 0; i < 3; i++)
        expect(await get(app, `/voys-webhook?${query({ ...extra }, secret)}`)).toEqual({
          status: 401,
          body: "status=NAK",
        });
      expect(logs.audits()).toEqual([]);
      const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
      const label = reason.replace(" ", "_");
      expect(metrics).toContain(`pagerduty_voys_refused_requests_total{reason="${label}"} 3`);
      await app.close();
      const summaries = logs.records().filter((r) => r.event === "requests-refused");
      expect(summaries).toHaveLength(1);
      expect(summaries[0]).toMatchObject({ level: 40, refusals: { total: 3, reasons: { [label]: 3 } } });
    },
  );

  it("404 for an unknown route, named unknown", async () => {
    const { app, logs } = await serve();
    expect(await get(app, `/voys-webhook/nope?${query()}`)).toEqual({ status: 404, body: "status=NAK" });
    expect(logs.audits()[0]).toMatchObject({
      route: "unknown",
      outcome: "not_found",
      reason: "no such route",
    });
  });

  it("fallback and nak keep the reason and the roster state", async () => {
    const { app, logs } = await serve(
      {
        routes: [
          { name: "default", policyId: "PDEMO01", fallbackNumber: "+31201234567" },
          { name: "bare", policyId: "PDEMO01", level: 2 },
        ],
      },
      [shift(anna)],
    );
    expect(await get(app, `/voys-webhook/bare?${query()}`)).toEqual({ status: 503, body: "status=NAK" });
    expect(logs.audits()[0]).toMatchObject({
      route: "bare",
      outcome: "nak",
      status: 503,
      reason: "nobody on call",
      level: 2,
      rosterState: "fresh",
    });
    const noPhones = responder("PNOPHON", [], "No Phone");
    const other = await serve(
      { routes: [{ name: "default", policyId: "PDEMO01", fallbackNumber: "+31201234567" }] },
      [shift(noPhones)],
    );
    expect(await get(other.app, `/voys-webhook?${query()}`)).toEqual({
      status: 200,
      body: "status=ACK&destination=%2B31201234567",
    });
    expect(other.logs.audits()[0]).toMatchObject({ outcome: "fallback", reason: "no phones", status: 200 });
  });

  it("an address inside the allowlist is served; outside it, the 403 names the route asked for", async () => {
    const inside = await serve({ allowedIps: ["127.0.0.1"] });
    expect((await get(inside.app, `/voys-webhook?${query()}`)).status).toBe(200);
    const outside = await serve({ allowedIps: ["192.0.2.0/24"] });
    expect((await get(outside.app, `/voys-webhook/default?${query()}`)).status).toBe(403);
    expect(outside.logs.audits()).toEqual([]);
    await outside.app.close();
    expect(outside.logs.records().find((r) => r.event === "requests-refused")).toMatchObject({
      refusals: { total: 1, reasons: { forbidden: 1 } },
    });
  });

  it("403 for an address outside the allowlist, before the secret is looked at", async () => {
    const { app, logs } = await serve({ allowedIps: ["192.0.2.0/24"] });
    expect(await get(app, "/voys-webhook/nope")).toEqual({ status: 403, body: "status=NAK" });
    const metrics = (await app.inject({ method: "GET", url: "/metrics" })).body;
    expect(metrics).toContain('pagerduty_voys_refused_requests_total{reason="forbidden"} 1');
    expect(metrics).not.toContain('reason="secret_missing"');
    expect(logs.audits()).toEqual([]);
  });
});

describe("routing a call", () => {
  it("a cold roster: waits at most coldStartWaitMs, then 503 with reason roster cold", async () => {
    const { app, logs } = await serve({ source: hangingSource(), coldStartWaitMs: 50 });
    expect(await get(app, `/voys-webhook?${query()}`)).toEqual({ status: 503, body: "status=NAK" });
    expect(logs.audits()[0]).toMatchObject({ reason: "roster cold", rosterState: "cold" });
  });

  it("a first load under way: the call waits for it and gets the on-call number", async () => {
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const slow = createStaticSource(async () => {
      await gate;
      return [shift(anna)];
    });
    // The call reads the clock first, then waits for the load: once it has read it, it is waiting.
    let clockReads = 0;
    const now = () => {
      clockReads += 1;
      return new Date();
    };
    const { app } = await serve({ source: slow, coldStartWaitMs: 15_000, random: () => 0, now });
    const before = clockReads;
    const pending = get(app, `/voys-webhook?${query()}`);
    await vi.waitFor(() => expect(clockReads).toBeGreaterThan(before), { timeout: 2_000, interval: 5 });
    release();
    expect(await pending).toEqual({ status: 200, body: "status=ACK&destination=%2B31611111111" });
  });

  it("a first load that failed: the call does not wait for coldStartWaitMs", async () => {
    const failing = createStaticSource(() => Promise.reject(new Error("PagerDuty says no")));
    const { app, logs } = await serve({ source: failing, coldStartWaitMs: 60_000 });
    await vi.waitFor(() => expect(failing.calls.length).toBeGreaterThan(0), { timeout: 2_000, interval: 5 });
    expect(await get(app, `/voys-webhook?${query()}`)).toEqual({ status: 503, body: "status=NAK" });
    expect(logs.audits()[0]).toMatchObject({ reason: "roster cold", rosterState: "cold" });
  });

  it.each([
    ["an Error without a code", new TypeError("bad"), { name: "TypeError", message: "bad" }],
    ["a string", "just text", { name: "NonError", message: "just text" }],
  ])("a strategy that throws %s: logged with its name and message", async (_l, thrown, err) => {
    const thrower: RoutingStrategy = { name: "thrower", pick: async () => Promise.reject(thrown) };
    const { app, logs } = await serve({
      routes: [{ name: "default", policyId: "PDEMO01", strategy: thrower }],
    });
    expect(await get(app, `/voys-webhook?${query()}`)).toEqual({ status: 503, body: "status=NAK" });
    const record = logs.records().find((r) => r.level === 50);
    expect(record?.err).toMatchObject(err);
    expect(record?.err).not.toHaveProperty("code");
  });

  it.each([
    ["a stranger", { responder: bram, phone: "+31622222222" }],
    ["someone else's number", { responder: anna, phone: "+31622222222" }],
    ["a number that is not E.164", { responder: anna, phone: "0611111111" }],
  ])("a strategy that picks %s: the call gets the fallback, and the error is logged", async (_l, pick) => {
    const liar: RoutingStrategy = { name: "liar", pick: async () => pick };
    const { app, logs } = await serve({
      routes: [{ name: "default", policyId: "PDEMO01", strategy: liar, fallbackNumber: "+31201234567" }],
    });
    expect((await get(app, `/voys-webhook?${query()}`)).body).toBe("status=ACK&destination=%2B31201234567");
    expect(logs.audits()[0]).toMatchObject({
      outcome: "fallback",
      reason: "strategy failed",
      strategy: "liar",
    });
    const error = logs
      .records()
      .find((r) => r.msg === "routing strategy failed; answering with the fallback number or a NAK");
    expect(error).toMatchObject({
      level: 50,
      route: "default",
      strategy: "liar",
      reason: "invalid_pick",
      err: {
        name: "StrategyFailure",
        code: "PDV_ERR_SERVER_STRATEGY_BAD_PICK",
        message: 'strategy "liar" picked outside the candidates',
      },
    });
  });

  it("hands the strategy the route, the caller in E.164 and only responders with a phone", async () => {
    const seen: unknown[] = [];
    const spy: RoutingStrategy = {
      name: "spy",
      pick: async (candidates, ctx) => {
        seen.push({ ids: candidates.map((c) => c.id), route: ctx.route, callerId: ctx.callerId });
        return { responder: candidates[0] ?? anna, phone: candidates[0]?.phones[0] ?? "" };
      },
    };
    const { app } = await serve({ routes: [{ name: "default", policyId: "PDEMO01", strategy: spy }] }, [
      shift(anna),
      shift(responder("PNOPHON", [])),
    ]);
    await get(app, `/voys-webhook?${query({ callerid: "0031687654321" })}`);
    await get(app, `/voys-webhook?${query({ callerid: "not a number" })}`);
    expect(seen).toEqual([
      { ids: ["PANNA01"], route: "default", callerId: "+31687654321" },
      { ids: ["PANNA01"], route: "default", callerId: undefined },
    ]);
  });

  it("reads a form body and a JSON body", async () => {
    const { app } = await serve();
    const form = await app.inject({
      method: "POST",
      url: "/voys-webhook",
      headers: { "content-type": "application/x-www-form-urlencoded" },
      payload: `secret_key=${SECRET}`,
    });
    expect(form.statusCode).toBe(200);
    const json = await app.inject({
      method: "POST",
      url: "/voys-webhook",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify({ secret_key: SECRET }),
    });
    expect(json.statusCode).toBe(200);
    const array = await app.inject({
      method: "POST",
      url: "/voys-webhook",
      headers: { "content-type": "application/json" },
      payload: JSON.stringify([{ secret_key: SECRET }]),
    });
    expect(array.statusCode).toBe(401);
    for (const payload of ["null", '"secret_key"', "42"]) {
      const other = await app.inject({
        method: "POST",
        url: "/voys-webhook",
        headers: { "content-type": "application/json" },
        payload,
      });
      expect(other.statusCode, payload).toBe(401);
    }
  });
});

describe("the route table and the secret check", () => {
  const route = (name: string, dids?: string[]): WebhookRoute => ({
    name,
    policyId: "P1",
    level: 1,
    strategy: { name: "x", pick: async () => ({ responder: anna, phone: "+31611111111" }) },
    dids,
  });

  it("resolves by name, then by DID in any written form, then the default route", () => {
    const table = createRouteTable([route("default"), route("sales", ["+31 20 888 8888"])]);
    expect(table.name).toBe("route-table");
    expect(table.routes.map((r) => r.name)).toEqual(["default", "sales"]);
    expect(table.byName("sales")?.name).toBe("sales");
    expect(table.resolve("sales", undefined)?.name).toBe("sales");
    expect(table.resolve("nope", "+31208888888")).toBeUndefined();
    expect(table.resolve(undefined, "0031208888888")?.name).toBe("sales");
    expect(table.resolve(undefined, "+31209999999")?.name).toBe("default");
    expect(table.resolve(undefined, "garbage")?.name).toBe("default");
    expect(table.resolve(undefined, undefined)?.name).toBe("default");
    expect(
      createRouteTable([route("sales", ["+31208888888"])]).resolve(undefined, "+31209999999"),
    ).toBeUndefined();
  });

  it("lets one route list one DID in two spellings", () => {
    expect(() => createRouteTable([route("a", ["+31208888888", "0031 20 888 8888"])])).not.toThrow();
  });

  it("lists every duplicate name and DID", () => {
    expect(() =>
      createRouteTable([route("a", ["+31208888888"]), route("a"), route("b", ["+31208888888", "x"])]),
    ).toThrow(
      expect.objectContaining({
        message: expect.stringMatching(/^invalid routes: routes\[1\]\.name: /),
        problems: [
          'routes[1].name: "a" is already used by routes[0]',
          "routes[2].dids[1]: expected an international number such as +31208888888",
          'routes[2].dids[0]: +31208888888 already selects route "a"',
        ],
      }),
    );
  });

  it("refuses an empty secret", () => {
    expect(() => createSecretChecker("")).toThrow("every webhook secret must be a non-empty string");
    expect(() => createSecretChecker([])).toThrow("every webhook secret must be a non-empty string");
    expect(() => createSecretChecker(["ok-secret", ""])).toThrow(
      "every webhook secret must be a non-empty string",
    );
  });

  it("accepts exactly the secret: not a prefix, not a longer string, not a repeat", () => {
    const checker = createSecretChecker("s3cret");
    expect(checker.name).toBe("secret-key");
    const accepts = (secretKey: string | undefined, secretKeyRepeated = false) =>
      checker.accepts({ secretKey, secretKeyRepeated });
    expect(accepts("s3cret")).toBe(true);
    expect(accepts("s3cret")).toBe(true); // the reused buffer is cleared between calls
    expect(accepts("s3cre")).toBe(false);
    expect(accepts("s3cret\u0000")).toBe(false);
    expect(accepts("s3cretX")).toBe(false);
    expect(accepts("S3cret")).toBe(false);
    expect(accepts("")).toBe(false);
    expect(accepts(undefined)).toBe(false);
    expect(accepts("s3cret", true)).toBe(false);
    expect(accepts("s3crét")).toBe(false);
  });
});
