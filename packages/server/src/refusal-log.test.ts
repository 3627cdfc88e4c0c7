import { createManualClock } from "@pagerduty-voys/core/testing";
import { describe, expect, it } from "vitest";
import { createRefusalLog } from "./refusal-log.js";

function recorder() {
  const lines: { obj: Record<string, unknown>; msg?: string | undefined }[] = [];
  return {
    lines,
    log: { warn: (obj: object, msg?: string) => lines.push({ obj: obj as Record<string, unknown>, msg }) },
  };
}

describe("createRefusalLog", () => {
  it("writes one summary line per interval, however many refusals, with counts by reason and network", async () => {
    const clock = createManualClock();
    const { lines, log } = recorder();
    const counted: string[] = [];
    const refusals = createRefusalLog({
      log,
      timers: clock.timers,
      topNetworks: 2,
      onRefusal: (r) => counted.push(r),
    });
    for (let i = 0; i < 5_000; i++) refusals.record("secret_wrong", `203.0.113.${i % 200}`);
    for (let i = 0; i < 300; i++) refusals.record("forbidden", `2001:db8:1:${i}::1`);
    refusals.record("not_found", "+31612345678");
    expect(counted).toHaveLength(5_301);
    expect(lines).toEqual([]);
    await clock.advance(9_999);
    expect(lines).toEqual([]);
    await clock.advance(1);
    expect(lines).toHaveLength(1);
    expect(lines[0]?.msg).toBe("refused 5301 requests in the last 10 s");
    expect(lines[0]?.obj).toEqual({
      event: "requests-refused",
      refusals: {
        total: 5_301,
        intervalS: 10,
        reasons: { secret_wrong: 5_000, forbidden: 300, not_found: 1 },
        networks: [
          { network: "203.0.113.0/24", count: 5_000 },
          { network: "2001:db8:1::/48", count: 300 },
        ],
        otherNetworks: 1,
      },
    });
    expect(JSON.stringify(lines)).not.toContain("612345678");
    // Quiet: no timer, no line.
    expect(clock.pendingDelays()).toEqual([]);
    await clock.advance(60_000);
    expect(lines).toHaveLength(1);
  });

  it("bounds the lines of a flood that never stops to one per interval", async () => {
    const clock = createManualClock();
    const { lines, log } = recorder();
    const refusals = createRefusalLog({ log, timers: clock.timers, intervalMs: 1_000 });
    for (let second = 0; second < 30; second++) {
      for (let i = 0; i < 100; i++) refusals.record("secret_missing", `198.51.100.${i}`);
      await clock.advance(1_000);
    }
    expect(lines).toHaveLength(30);
    expect(lines.every((line) => (line.obj.refusals as { total: number }).total === 100)).toBe(true);
  });

  it("tracks a bounded number of networks and counts the rest", async () => {
    const clock = createManualClock();
    const { lines, log } = recorder();
    const refusals = createRefusalLog({ log, timers: clock.timers });
    for (let i = 0; i < 70_000; i++) refusals.record("bad_request", `2001:db8:${i.toString(16)}::1`);
    refusals.close();
    const summary = lines[0]?.obj.refusals as { total: number; networks: unknown[]; otherNetworks: number };
    expect(summary.total).toBe(70_000);
    expect(summary.networks).toHaveLength(5);
    expect(summary.otherNetworks).toBe(70_000 - 5);
  });

  it("flushes on close, and after close only counts", async () => {
    const clock = createManualClock();
    const { lines, log } = recorder();
    let counted = 0;
    const refusals = createRefusalLog({ log, timers: clock.timers, onRefusal: () => counted++ });
    refusals.record("client_error", undefined);
    refusals.close();
    expect(lines).toHaveLength(1);
    expect(lines[0]?.obj.refusals).toMatchObject({ total: 1, networks: [{ network: "invalid", count: 1 }] });
    refusals.record("client_error", "127.0.0.1");
    await clock.advance(20_000);
    expect(lines).toHaveLength(1);
    expect(counted).toBe(2);
  });
});
