import { Registry } from "prom-client";
import { describe, expect, it } from "vitest";
import { createCallMetrics } from "./call-metrics.js";

const HISTOGRAM = "pagerduty_voys_webhook_request_duration_seconds";

async function scrape(registry: Registry): Promise<string[]> {
  return (await registry.metrics()).split("\n");
}

describe("createCallMetrics", () => {
  it("counts calls by route and outcome, declared series at zero", async () => {
    const registry = new Registry();
    const calls = createCallMetrics(registry);
    calls.declare("support", "nak");
    calls.record("support", "ack", 0.001);
    calls.record("support", "ack", 0.002);
    calls.record("sales", "fallback", 0.003);
    const lines = await scrape(registry);
    expect(lines).toContain("# TYPE pagerduty_voys_webhook_requests_total counter");
    expect(lines).toContain('pagerduty_voys_webhook_requests_total{route="support",outcome="nak"} 0');
    expect(lines).toContain('pagerduty_voys_webhook_requests_total{route="support",outcome="ack"} 2');
    expect(lines).toContain('pagerduty_voys_webhook_requests_total{route="sales",outcome="fallback"} 1');
    expect(lines.filter((line) => line.startsWith("pagerduty_voys_webhook_requests_total"))).toHaveLength(3);
  });

  it("renders cumulative buckets, +Inf, sum and count; a bound holds the values equal to it", async () => {
    const registry = new Registry();
    const calls = createCallMetrics(registry);
    for (const seconds of [0.0005, 0.0007, 0.001, 0.3, 7]) calls.record("default", "ack", seconds);
    const lines = await scrape(registry);
    const series = (le: string) => `${HISTOGRAM}_bucket{le="${le}",route="default",outcome="ack"}`;
    expect(lines).toContain("# TYPE pagerduty_voys_webhook_request_duration_seconds histogram");
    expect(lines).toContain(`${series("0.0005")} 1`);
    expect(lines).toContain(`${series("0.001")} 3`);
    expect(lines).toContain(`${series("0.25")} 3`);
    expect(lines).toContain(`${series("0.5")} 4`);
    expect(lines).toContain(`${series("5")} 4`);
    expect(lines).toContain(`${series("+Inf")} 5`);
    expect(lines).toContain(`${HISTOGRAM}_count{route="default",outcome="ack"} 5`);
    const sum = lines.find((line) => line.startsWith(`${HISTOGRAM}_sum{route="default",outcome="ack"} `));
    expect(Number(sum?.split(" ")[1])).toBeCloseTo(7.3022, 6);
    expect(lines.filter((line) => line.startsWith(`${HISTOGRAM}_bucket{`))).toHaveLength(14);
  });

  it("gives the same series as JSON, labels merged", async () => {
    const registry = new Registry();
    createCallMetrics(registry).record("default", "ack", 0.002);
    const histogram = (await registry.getMetricsAsJSON()).find((metric) => metric.name === HISTOGRAM);
    expect(histogram?.type).toBe("histogram");
    expect(histogram?.aggregator).toBe("sum");
    expect(histogram?.values).toContainEqual(
      expect.objectContaining({ labels: { le: 0.0025, route: "default", outcome: "ack" }, value: 1 }),
    );
    expect(histogram?.values).toContainEqual(
      expect.objectContaining({ labels: { le: 0.001, route: "default", outcome: "ack" }, value: 0 }),
    );
  });

  it("leaves series without calls out of the histogram", async () => {
    const registry = new Registry();
    const calls = createCallMetrics(registry);
    calls.declare("support", "ack");
    const text = await registry.metrics();
    expect(text).toContain('pagerduty_voys_webhook_requests_total{route="support",outcome="ack"} 0');
    expect(text).not.toContain(`${HISTOGRAM}_count`);
  });

  it("keeps each registry's calls apart", async () => {
    const [a, b] = [new Registry(), new Registry()];
    createCallMetrics(a).record("default", "ack", 0.001);
    createCallMetrics(b);
    expect(await b.metrics()).not.toContain('route="default"');
  });
});
