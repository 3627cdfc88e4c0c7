import { createRecordingLogger } from "@pagerduty-voys/core/testing";
import { afterEach, beforeEach, describe, expect, it, vi } from "vitest";
import { createPagerDutySource, isPagerDutyError, type PagerDutyRequestEvent } from "./index.js";
import { never, rejectionOf, windowFrom } from "./testing/fixtures.js";
import { createFakePagerDuty, type FakeFault, type FakePagerDuty } from "./testing/index.js";

// A token that would be easy to spot anywhere it leaked.
const TOKEN = "u+SEKRIT-token-4242";
const T0 = new Date("2026-03-02T08:00:00Z");
let fake: FakePagerDuty;
let events: PagerDutyRequestEvent[];

beforeEach(async () => {
  fake = await createFakePagerDuty({ token: TOKEN });
  events = [];
});
afterEach(async () => {
  await fake.close();
});

const source = (extra: { requestTimeoutMs?: number; apiKey?: string } = {}) =>
  createPagerDutySource({
    apiKey: TOKEN,
    apiUrl: fake.url,
    requestTimeoutMs: 2_000,
    onRequest: (e) => events.push(e),
    ...extra,
  });
const failShifts = (src = source(), signal = never()) =>
  rejectionOf(() => src.shifts(["PDEMO01"], windowFrom(T0), signal));
const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
/** Resolves once `condition` holds; fails after 2 s instead of hanging until the test's timeout. */
const until = (condition: () => boolean) =>
  vi.waitFor(() => expect(condition()).toBe(true), { timeout: 2_000, interval: 5 });
const refTimers = () => process.getActiveResourcesInfo().filter((r) => r === "Timeout").length;

describe("faults become typed PagerDutyErrors", () => {
  it.each([
    ["error-500", "PDV_ERR_PAGERDUTY_UNAVAILABLE", 500, "unavailable"],
    ["bad-gateway", "PDV_ERR_PAGERDUTY_UNAVAILABLE", 502, "unavailable"],
    ["forbidden", "PDV_ERR_PAGERDUTY_FORBIDDEN", 403, "forbidden"],
    ["unauthorized", "PDV_ERR_PAGERDUTY_UNAUTHORIZED", 401, "unauthorized"],
  ] as const)("%s → %s", async (fault: FakeFault, code, status, result) => {
    await fake.setFault(fault);
    const error = await failShifts();
    expect(isPagerDutyError(error)).toBe(true);
    expect(error).toMatchObject({ name: "PagerDutyError", code, status });
    expect(events).toEqual([{ endpoint: "oncalls", result, status, durationMs: expect.any(Number) }]);
  });

  it("a wrong key → UNAUTHORIZED, saying the key was refused, without the key", async () => {
    const error = await failShifts(source({ apiKey: "wrong-key-7777" }));
    expect(error).toMatchObject({ code: "PDV_ERR_PAGERDUTY_UNAUTHORIZED", status: 401, pagerDutyCode: 2006 });
    expect(error.message).toMatch(/refused the API key/);
    expect(error.message).not.toContain("wrong-key-7777");
  });

  it("a non-JSON 502 → UNAVAILABLE naming the content type", async () => {
    await fake.setFault("bad-gateway");
    const error = await failShifts();
    expect(error.message).toMatch(/502, not JSON: text\/html/);
  });

  it("an unknown path → NOT_FOUND with PagerDuty's code 2100", async () => {
    const src = createPagerDutySource({ apiKey: TOKEN, apiUrl: `${fake.url}/v9` });
    expect(await failShifts(src)).toMatchObject({ code: "PDV_ERR_PAGERDUTY_NOT_FOUND", pagerDutyCode: 2100 });
  });

  it("429 with ratelimit-reset → RATE_LIMITED with retryAfterMs, after exactly one request", async () => {
    await fake.setFault("rate-limit", { resetSeconds: 7 });
    const error = await failShifts();
    expect(error).toMatchObject({ code: "PDV_ERR_PAGERDUTY_RATE_LIMITED", status: 429, retryAfterMs: 7_000 });
    expect(events.map((e) => [e.result, e.status])).toEqual([["rate_limited", 429]]);
    // pdjs would retry three more times (after 20 s each by default); nothing else must arrive.
    await pause(100);
    expect(fake.requests).toHaveLength(1);
  });

  it("bare 429 (no headers, no body) → RATE_LIMITED without retryAfterMs, after exactly one request", async () => {
    await fake.setFault("rate-limit-bare");
    const error = await failShifts();
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_RATE_LIMITED");
    expect(error.retryAfterMs).toBeUndefined();
    await pause(100);
    expect(fake.requests).toHaveLength(1);
  });

  it("hang → TIMEOUT after requestTimeoutMs; the fake never answered", async () => {
    await fake.setFault("hang");
    const error = await failShifts(source({ requestTimeoutMs: 150 }));
    expect(error).toMatchObject({ code: "PDV_ERR_PAGERDUTY_TIMEOUT", status: undefined });
    expect(error.message).toMatch(/within 150 ms/);
    expect(fake.requests.map((r) => r.status)).toEqual([null]);
    expect(events.map((e) => e.result)).toEqual(["timeout"]);
  });

  it("refused connection → UNAVAILABLE; the same source works again once PagerDuty is back", async () => {
    const src = source();
    await fake.setFault("refuse");
    const error = await failShifts(src);
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_UNAVAILABLE");
    expect(error.message).toMatch(/ECONNREFUSED/);
    expect(events.map((e) => [e.result, e.status])).toEqual([["unavailable", undefined]]);
    await fake.setFault(null);
    expect(await src.shifts(["PDEMO01"], windowFrom(T0), never())).toHaveLength(3);
  });

  it("leaves no timer keeping the process alive after failures (pdjs arms a 30 s one by default)", async () => {
    const before = refTimers();
    await fake.setFault("refuse");
    await failShifts();
    await fake.setFault("rate-limit");
    await failShifts();
    expect(refTimers()).toBeLessThanOrEqual(before);
  });
});

describe("the caller's AbortSignal", () => {
  it("aborts a request in flight → ABORTED", async () => {
    await fake.setFault("hang");
    const controller = new AbortController();
    const pending = failShifts(source(), controller.signal);
    await until(() => fake.requests.length > 0);
    controller.abort();
    expect(await pending).toMatchObject({ code: "PDV_ERR_PAGERDUTY_ABORTED" });
  });

  it("a caller's timeout signal → TIMEOUT", async () => {
    await fake.setFault("hang");
    const error = await failShifts(source(), AbortSignal.timeout(100));
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_TIMEOUT");
  });

  it("an already aborted signal sends nothing", async () => {
    const error = await failShifts(source(), AbortSignal.abort());
    expect(error.code).toBe("PDV_ERR_PAGERDUTY_ABORTED");
    expect(fake.requests).toHaveLength(0);
    expect(events).toHaveLength(0);
  });

  it("aborts the remaining user requests too", async () => {
    fake.setLatency(50);
    const controller = new AbortController();
    const src = createPagerDutySource({ apiKey: TOKEN, apiUrl: fake.url, userConcurrency: 1 });
    const pending = failShifts(src, controller.signal);
    await until(() => fake.requests.some((r) => r.path.startsWith("/users/")));
    controller.abort();
    expect((await pending).code).toBe("PDV_ERR_PAGERDUTY_ABORTED");
    await pause(120);
    expect(fake.requests.filter((r) => r.path.startsWith("/users/"))).toHaveLength(1);
  });
});

describe("the token never leaks", () => {
  it.each<FakeFault | "wrong-key" | "none">([
    "none",
    "wrong-key",
    "rate-limit",
    "rate-limit-bare",
    "error-500",
    "bad-gateway",
    "hang",
    "refuse",
    "forbidden",
  ])("not in errors, causes or logs (%s)", async (fault) => {
    const logger = createRecordingLogger();
    if (fault !== "none" && fault !== "wrong-key") await fake.setFault(fault, {});
    if (fault === "none") await fake.setFault("error-500", { match: "/users/PUSER02" });
    const apiKey = fault === "wrong-key" ? `${TOKEN}-x` : TOKEN;
    const src = createPagerDutySource({ apiKey, apiUrl: fake.url, requestTimeoutMs: 150, logger });
    const outcome = await src.shifts(["PDEMO01"], windowFrom(T0), never()).catch((error: unknown) => error);
    const seen = [describeDeep(outcome), JSON.stringify(logger.lines)].join("\n");
    expect(seen).not.toContain(TOKEN);
    expect(seen).not.toContain("SEKRIT");
  });
});

// Every message, stack and own property along the cause chain.
function describeDeep(value: unknown, depth = 0): string {
  if (depth > 5 || value === null || typeof value !== "object") return String(value);
  const parts = [String(value)];
  if (value instanceof Error) parts.push(value.message, value.stack ?? "");
  for (const key of Object.getOwnPropertyNames(value)) {
    const inner = (value as Record<string, unknown>)[key];
    parts.push(key, typeof inner === "object" ? describeDeep(inner, depth + 1) : String(inner));
  }
  if (value instanceof Error && value.cause !== undefined) parts.push(describeDeep(value.cause, depth + 1));
  return parts.join("\n");
}
