import { afterEach, describe, expect, it } from "vitest";
import { createEventsClient, type PagerDutyEvent, parseRetryAfter } from "./events.js";
import { createFakePagerDuty } from "./testing/fake/fake-server.js";
import type { FakePagerDuty } from "./testing/fake/fake-types.js";

const KEY = "0123456789abcdef0123456789abcdef";
const event = (overrides: Partial<PagerDutyEvent> = {}): PagerDutyEvent => ({
  routing_key: KEY,
  event_action: "trigger",
  dedup_key: "pdv-test",
  payload: { summary: "Missed call on support from +31612345678", source: "test", severity: "critical" },
  ...overrides,
});

let fake: FakePagerDuty | undefined;
afterEach(async () => {
  await fake?.close();
  fake = undefined;
});
async function start(): Promise<FakePagerDuty> {
  fake = await createFakePagerDuty();
  return fake;
}

describe("createEventsClient against the fake Events API", () => {
  it("posts to <url>/v2/enqueue and reports 202 with the dedup key; the fake records the event", async () => {
    const pd = await start();
    const client = createEventsClient({ url: `${pd.url}/` });
    expect(client.enqueueUrl).toBe(`${pd.url}/v2/enqueue`);
    await expect(client.send(event())).resolves.toEqual({
      kind: "accepted",
      status: 202,
      dedupKey: "pdv-test",
    });
    expect(pd.events.map((e) => e.event)).toEqual([event()]);
    const request = pd.requests.at(-1);
    expect([request?.method, request?.path, request?.status]).toEqual(["POST", "/v2/enqueue", 202]);
  });

  it("reports a refused event (400) with PagerDuty's message and errors, and the fake keeps nothing", async () => {
    const pd = await start();
    const result = await createEventsClient({ url: pd.url }).send(event({ routing_key: "short" }));
    expect(result).toEqual({
      kind: "rejected",
      status: 400,
      message: "Event object is invalid",
      errors: ["Length of 'routing_key' is incorrect (should be 32 characters)"],
    });
    expect(pd.events).toEqual([]);
  });

  it("asks for a retry on 429 at once, with the Retry-After wait (pdjs does not wait or retry itself)", async () => {
    const pd = await start();
    pd.setEventsFault("rate-limit", { retryAfterSeconds: 7 });
    const started = Date.now();
    const result = await createEventsClient({ url: pd.url }).send(event());
    expect(result).toMatchObject({ kind: "retry", status: 429, retryAfterMs: 7_000 });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(pd.requests.filter((r) => r.path === "/v2/enqueue")).toHaveLength(1);
  });

  it("asks for a retry on 500, on a reset connection and on no answer in time (and not on a 400 fault)", async () => {
    const pd = await start();
    const client = createEventsClient({ url: pd.url, requestTimeoutMs: 300 });
    pd.setEventsFault("error-500");
    await expect(client.send(event())).resolves.toMatchObject({ kind: "retry", status: 500 });
    pd.setEventsFault("down");
    await expect(client.send(event())).resolves.toMatchObject({ kind: "retry", status: undefined });
    pd.setEventsFault("hang");
    await expect(client.send(event())).resolves.toMatchObject({
      kind: "retry",
      status: undefined,
      reason: "no answer in time",
    });
    pd.setEventsFault("invalid");
    await expect(client.send(event())).resolves.toMatchObject({ kind: "rejected", status: 400 });
    pd.setEventsFault(null);
    await expect(client.send(event())).resolves.toMatchObject({ kind: "accepted" });
    expect(pd.events).toHaveLength(1);
  });

  it("asks for a retry when nothing listens", async () => {
    const pd = await start();
    const url = pd.url;
    await pd.close();
    fake = undefined;
    await expect(createEventsClient({ url }).send(event())).resolves.toMatchObject({ kind: "retry" });
  });

  it("waits for events without polling, and gives up after its bound", async () => {
    const pd = await start();
    const client = createEventsClient({ url: pd.url });
    const waiting = pd.waitForEvents(2);
    await client.send(event({ dedup_key: "a" }));
    await client.send(event({ dedup_key: "b" }));
    expect((await waiting).map((e) => e.dedupKey)).toEqual(["a", "b"]);
    await expect(pd.waitForEvents(3, 50)).rejects.toThrow("2 of 3 events");
  });
});

describe("parseRetryAfter", () => {
  it("reads seconds and HTTP dates, and nothing else", () => {
    expect(parseRetryAfter("3")).toBe(3_000);
    expect(parseRetryAfter("0.5")).toBe(500);
    expect(parseRetryAfter("Wed, 21 Oct 2015 07:28:05 GMT", Date.parse("2015-10-21T07:28:00Z"))).toBe(5_000);
    expect(parseRetryAfter("soon")).toBeUndefined();
    expect(parseRetryAfter(undefined)).toBeUndefined();
  });
});
