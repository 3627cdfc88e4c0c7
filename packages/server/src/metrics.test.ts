import type { RosterHealth } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { createMetrics } from "./metrics.js";

const health = (over: Partial<RosterHealth>): RosterHealth => ({
  state: "fresh",
  ageMs: 12_000,
  lastSuccessAt: new Date("2024-01-01T00:00:00Z"),
  lastFailureAt: null,
  lastError: null,
  coveredUntil: null,
  consecutiveFailures: 0,
  ...over,
});

describe("createMetrics", () => {
  it("keeps its own registry per instance", async () => {
    const a = createMetrics({ defaultMetrics: false });
    const b = createMetrics({ defaultMetrics: false });
    a.observeCall("default", "ack", 0.001);
    expect(await a.registry.metrics()).toContain(
      'pagerduty_voys_webhook_requests_total{route="default",outcome="ack"} 1',
    );
    expect(await b.registry.metrics()).not.toContain('route="default",outcome="ack"} 1');
  });

  it("exposes the counters, histogram and roster gauges by name", async () => {
    const metrics = createMetrics();
    metrics.declareRoutes(["support"]);
    metrics.onPagerDutyRequest({ endpoint: "oncalls", result: "ok", status: 200, durationMs: 120 });
    metrics.onRedisFallback("counter");
    metrics.onRosterRefresh({ ok: false, durationMs: 5 });
    metrics.watchRoster({ health: () => health({}) });
    const text = await metrics.registry.metrics();
    expect(text).toContain("# TYPE pagerduty_voys_webhook_requests_total counter");
    expect(text).toContain('pagerduty_voys_webhook_requests_total{route="support",outcome="unauthorised"} 0');
    expect(text).toContain("# TYPE pagerduty_voys_webhook_request_duration_seconds histogram");
    expect(text).toContain('pagerduty_voys_pagerduty_requests_total{endpoint="oncalls",result="ok"} 1');
    expect(text).toContain('pagerduty_voys_redis_fallbacks_total{store="counter"} 1');
    expect(text).toContain('pagerduty_voys_roster_refreshes_total{result="error"} 1');
    expect(text).toContain("pagerduty_voys_roster_age_seconds 12");
    expect(text).toContain("pagerduty_voys_roster_last_success_timestamp_seconds 1704067200");
    expect(text).toContain('pagerduty_voys_roster_state{state="fresh"} 1');
    expect(text).toContain("process_cpu_user_seconds_total");
  });

  it("reports an infinite age before the first load", async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.watchRoster({ health: () => health({ state: "cold", ageMs: null, lastSuccessAt: null }) });
    const text = await metrics.registry.metrics();
    expect(text).toContain("pagerduty_voys_roster_age_seconds +Inf");
    expect(text).toContain('pagerduty_voys_roster_state{state="cold"} 1');
  });
});
