import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eventProblems } from "@pagerduty-voys/pagerduty-source/testing";
import { afterEach, describe, expect, it } from "vitest";
import { openEventSpool } from "./event-spool.js";
import { dedupKeyFor, type IncidentCall, incidentCaller, incidentEvent } from "./incident-event.js";

const KEY = "0123456789abcdef0123456789abcdef";
const missed: IncidentCall = {
  route: "support",
  caller: "+31612345678",
  did: "+31208888888",
  code: "2",
  outcome: "fallback",
  reason: "nobody on call",
  responder: undefined,
  destination: "+31209999999",
  hunt: undefined,
  at: new Date("2026-03-02T08:00:00Z"),
};

describe("incidentEvent", () => {
  it("is an event PagerDuty accepts, critical for a missed call, info for a routed one", () => {
    const event = incidentEvent(missed, KEY);
    expect(eventProblems(event as unknown as Record<string, unknown>)).toEqual([]);
    expect(event.payload).toMatchObject({
      severity: "critical",
      summary:
        "Missed call from +31612345678 on route support (nobody on call; sent to the fallback number): call back",
      timestamp: "2026-03-02T08:00:00.000Z",
      custom_details: {
        route: "support",
        caller: "+31612345678",
        did: "+31208888888",
        code: "2",
        outcome: "fallback",
      },
    });
    const routed = incidentEvent(
      { ...missed, outcome: "ack", reason: undefined, responder: { id: "P1", name: "Anna", phones: [] } },
      KEY,
    );
    expect(routed.payload.severity).toBe("info");
    expect(routed.payload.summary).toBe("Call from +31612345678 on route support routed to Anna");
    expect(routed.dedup_key).not.toBe(event.dedup_key);
  });

  it("keys one caller's calls on one route alike, and nothing else", () => {
    const key = dedupKeyFor(missed, "missed", KEY);
    expect(dedupKeyFor({ ...missed }, "missed", KEY)).toBe(key);
    expect(key).not.toContain("612345678");
    expect(dedupKeyFor({ ...missed, caller: "+31687654321" }, "missed", KEY)).not.toBe(key);
    expect(dedupKeyFor({ ...missed, route: "sales" }, "missed", KEY)).not.toBe(key);
    const anonymous = { ...missed, caller: undefined };
    expect(dedupKeyFor(anonymous, "missed", KEY)).not.toBe(dedupKeyFor(anonymous, "missed", KEY));
  });

  it("treats a caller id that is no number as no caller id", () => {
    expect(incidentCaller("0031612345678", "+31612345678")).toBe("+31612345678");
    expect(incidentCaller("0612345678", undefined)).toBe("0612345678");
    expect(incidentCaller("anonymous", undefined)).toBeUndefined();
    expect(incidentCaller(undefined, undefined)).toBeUndefined();
  });
});

describe("openEventSpool", () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
    dir = undefined;
  });

  it("keeps one private file per event, loads them in call order, and forgets removed ones", async () => {
    dir = join(await mkdtemp(join(tmpdir(), "pdv-spool-")), "state");
    const spool = await openEventSpool(dir);
    const later = await spool.save(
      incidentEvent({ ...missed, caller: "+31600000002" }, KEY),
      new Date(2_000),
    );
    const earlier = await spool.save(incidentEvent(missed, KEY), new Date(1_000));
    expect(((await stat(join(dir, earlier))).mode & 0o777).toString(8)).toBe("600");
    const loaded = await spool.load(() => undefined);
    expect(loaded.map((e) => e.file)).toEqual([earlier, later]);
    await spool.remove(earlier);
    await spool.remove(earlier);
    expect(await readdir(dir)).toEqual([later]);
  });

  it("drops half-written temporary files and sets unreadable ones aside", async () => {
    dir = await mkdtemp(join(tmpdir(), "pdv-spool-"));
    await writeFile(join(dir, ".tmp-event-cut-short"), "{");
    await writeFile(join(dir, "event-000000000000001-x.json"), "not json");
    const bad: string[] = [];
    const loaded = await (await openEventSpool(dir)).load((file) => bad.push(file));
    expect(loaded).toEqual([]);
    expect(bad).toEqual(["event-000000000000001-x.json"]);
    expect(await readdir(dir)).toEqual(["event-000000000000001-x.json.bad"]);
  });
});
