import { afterEach, describe, expect, it } from "vitest";
import { createFakePagerDuty } from "./fake-server.js";
import type { FakePagerDuty } from "./fake-types.js";

// Facts taken from PagerDuty's official Events API v2 OpenAPI document,
// github.com/PagerDuty/api-schema, reference/events-v2/openapiv3.json at commit
// 91a06fb3c64b0ab2b2bd6c485d12b327dfb55c18 (read 2026-12-02). The document itself is not vendored.
const OPENAPI = {
  /** servers[0].url + the path `/enqueue`. */
  enqueuePath: "/v2/enqueue",
  /** requestBody.schema.required. */
  requiredTopLevel: ["routing_key", "event_action"],
  /** event_action.enum. */
  eventActions: ["trigger", "acknowledge", "resolve"],
  /** components.schemas.Payload.required. */
  requiredPayload: ["summary", "severity", "source"],
  /** Payload.severity.enum. */
  severities: ["critical", "warning", "error", "info"],
  /** dedup_key: "Required unless the event_type is trigger." */
  dedupKeyRequiredFor: ["acknowledge", "resolve"],
  /** responses.Success example (status 202). */
  success: { status: "success", message: "Event processed" },
  /** responses.Error.schema.required (400 / 5XX); `errors` is an array of strings. */
  errorRequired: ["status", "message"],
  /** The request example's routing_key (32 characters). */
  exampleRoutingKey: "e93facc04764012d7bfb002500d5d1a6",
} as const;

const valid = () => ({
  routing_key: OPENAPI.exampleRoutingKey,
  event_action: "trigger",
  dedup_key: "srv01/mysql",
  payload: {
    summary: "DISK at 99% on machine prod-datapipe03.example.com",
    timestamp: "2015-07-17T08:42:58.315+0000",
    severity: "critical",
    source: "prod-datapipe03.example.com",
    component: "mysql",
    group: "prod-datapipe",
    class: "disk",
    custom_details: { "free space": "1%", "ping time": "1500ms", "load avg": 0.75 },
  },
});

let fake: FakePagerDuty | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});

async function post(body: unknown): Promise<{ status: number; json: Record<string, unknown> }> {
  fake ??= await createFakePagerDuty();
  const res = await fetch(fake.url + OPENAPI.enqueuePath, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: typeof body === "string" ? body : JSON.stringify(body),
  });
  return { status: res.status, json: (await res.json()) as Record<string, unknown> };
}

function expectError(answer: { status: number; json: Record<string, unknown> }): void {
  expect(answer.status).toBe(400);
  for (const key of OPENAPI.errorRequired) expect(typeof answer.json[key]).toBe("string");
  expect(Array.isArray(answer.json.errors)).toBe(true);
  for (const error of answer.json.errors as unknown[]) expect(typeof error).toBe("string");
}

describe("the fake Events API v2 against PagerDuty's OpenAPI document", () => {
  it("accepts the document's own example with 202 and the success body", async () => {
    const answer = await post(valid());
    expect(answer.status).toBe(202);
    expect(answer.json).toEqual({ ...OPENAPI.success, dedup_key: "srv01/mysql" });
  });

  it("makes up a dedup key for a trigger without one", async () => {
    const { dedup_key: _omitted, ...body } = valid();
    const answer = await post(body);
    expect(answer.status).toBe(202);
    expect(answer.json.dedup_key).toMatch(/^\w{32}$/);
  });

  it("refuses an event missing any required top-level or payload field", async () => {
    for (const key of OPENAPI.requiredTopLevel) {
      const body: Record<string, unknown> = valid();
      delete body[key];
      expectError(await post(body));
    }
    for (const key of OPENAPI.requiredPayload) {
      const body = valid();
      delete (body.payload as Record<string, unknown>)[key];
      expectError(await post(body));
    }
    expect(fake?.events).toEqual([]);
  });

  it("takes exactly the event actions and severities of the document", async () => {
    for (const action of OPENAPI.eventActions)
      expect((await post({ ...valid(), event_action: action })).status).toBe(202);
    expectError(await post({ ...valid(), event_action: "escalate" }));
    for (const severity of OPENAPI.severities)
      expect((await post({ ...valid(), payload: { ...valid().payload, severity } })).status).toBe(202);
    expectError(await post({ ...valid(), payload: { ...valid().payload, severity: "fatal" } }));
  });

  it("requires a dedup key to acknowledge or resolve", async () => {
    for (const action of OPENAPI.dedupKeyRequiredFor) {
      const { dedup_key: _omitted, ...body } = valid();
      expectError(await post({ ...body, event_action: action }));
    }
  });

  it("checks PagerDuty's documented limits: 32-character routing key, summary of at most 1024", async () => {
    expectError(await post({ ...valid(), routing_key: "x".repeat(31) }));
    expect(
      (await post({ ...valid(), payload: { ...valid().payload, summary: "s".repeat(1024) } })).status,
    ).toBe(202);
    expectError(await post({ ...valid(), payload: { ...valid().payload, summary: "s".repeat(1025) } }));
  });

  it("answers unparseable JSON with the document's error example", async () => {
    const answer = await post("{not json");
    expectError(answer);
    expect(answer.json).toEqual({
      status: "Unrecognized object",
      message: "Event object format is unrecognized",
      errors: ["JSON parse error"],
    });
  });
});
