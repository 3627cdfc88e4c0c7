import { mkdtemp, readdir, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createRecordingLogger } from "@pagerduty-voys/core/testing";
import { createEventsClient } from "@pagerduty-voys/pagerduty-source";
import { createFakePagerDuty, type FakePagerDuty } from "@pagerduty-voys/pagerduty-source/testing";
import { afterEach, describe, expect, it } from "vitest";
import { createEventSender } from "./event-sender.js";
import { openEventSpool } from "./event-spool.js";
import { incidentEvent } from "./incident-event.js";

const KEY = "0123456789abcdef0123456789abcdef";
const event = (caller: string) =>
  incidentEvent(
    {
      route: "support",
      caller,
      did: undefined,
      code: undefined,
      outcome: "nak",
      reason: "nobody on call",
      responder: undefined,
      destination: undefined,
      hunt: undefined,
      at: new Date("2026-03-02T08:00:00Z"),
    },
    KEY,
  );

let fake: FakePagerDuty | undefined;
let dir: string | undefined;
afterEach(async () => {
  await fake?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
  [fake, dir] = [undefined, undefined];
});

describe("createEventSender while closing", () => {
  it("gives a hanging send its bound, and keeps what is left, and what comes in meanwhile, on disk", async () => {
    fake = await createFakePagerDuty();
    dir = await mkdtemp(join(tmpdir(), "pdv-sender-"));
    const log = createRecordingLogger();
    const sender = createEventSender({
      client: createEventsClient({ url: fake.url, requestTimeoutMs: 60_000 }),
      spool: await openEventSpool(dir),
      logger: log,
      closeWaitMs: 100,
    });
    await sender.start();
    fake.setEventsFault("hang");
    expect(sender.enqueue(event("+31600000001"), new Date())).toBe(true);
    const closing = sender.close();
    expect(sender.enqueue(event("+31600000002"), new Date())).toBe(true);
    await closing;
    expect((await readdir(dir)).filter((name) => name.endsWith(".json"))).toHaveLength(2);
    expect(log.at("warn").map((line) => line.msg)).toContain(
      "events not yet delivered stay on disk for the next start",
    );
    expect(fake.events).toEqual([]);
  });

  it("without a directory, drops events that come in after close began, and says so", async () => {
    fake = await createFakePagerDuty();
    const log = createRecordingLogger();
    const sender = createEventSender({ client: createEventsClient({ url: fake.url }), logger: log });
    await sender.close();
    expect(sender.enqueue(event("+31600000001"), new Date())).toBe(false);
    expect(log.at("error").map((line) => line.msg)).toEqual([
      "PagerDuty event after shutdown began; dropped",
    ]);
  });
});
