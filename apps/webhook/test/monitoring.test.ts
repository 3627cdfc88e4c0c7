import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { useBlackBox } from "./helpers/black-box.js";
import { APP_DIR, get, startServer } from "./helpers/cli-process.js";

/**
 * Metrics the alerting rules and the dashboard already use but that other parts of the server export
 * (incident events, configuration reloads). Each stays in this one list only until /metrics of a
 * built server shows it: a name here that the server exports fails the test, so the list shrinks.
 */
const EXPECTED_LATER: readonly string[] = [];

const box = useBlackBox(sampleScenario, {
  WEBHOOK_SECRET_KEY: "black-box-secret-0123",
  PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
});

/** Every series name /metrics can show: from `# TYPE` lines, with a histogram's and summary's parts. */
function exportedNames(text: string): Set<string> {
  const names = new Set<string>();
  for (const match of text.matchAll(/^# TYPE (\S+) (\S+)$/gm)) {
    const [, name = "", type] = match;
    names.add(name);
    if (type === "histogram") for (const part of ["_bucket", "_sum", "_count"]) names.add(`${name}${part}`);
    if (type === "summary") for (const part of ["_sum", "_count"]) names.add(`${name}${part}`);
  }
  return names;
}

const PROMQL_WORDS = new Set([
  "by",
  "without",
  "on",
  "ignoring",
  "group_left",
  "group_right",
  "bool",
  "and",
  "or",
  "unless",
  "offset",
]);

/** The metric names in a PromQL expression: identifiers that are not functions, keywords or labels. */
function metricsIn(expr: string): string[] {
  const bare = expr
    .replace(/"(?:[^"\\]|\\.)*"/g, "") // strings
    .replace(/\{[^}]*\}/g, "") // label matchers
    .replace(/\[[^\]]*\]/g, "") // ranges
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, "") // label lists
    .replace(/label_values\([^)]*\)/g, ""); // a Grafana variable query, read below
  const labelValues = [...expr.matchAll(/label_values\(([a-zA-Z_:][\w:]*)/g)].map((m) => m[1] ?? "");
  const names = [...bare.matchAll(/([a-zA-Z_:][\w:]*)\s*(\()?/g)]
    .filter((m) => m[2] === undefined && !PROMQL_WORDS.has(m[1] ?? ""))
    .map((m) => m[1] ?? "");
  return [...new Set([...names, ...labelValues])];
}

function dashboardQueries(): string[] {
  const dashboard = JSON.parse(
    readFileSync(join(APP_DIR, "deploy/pagerduty-voys-webhook.grafana.json"), "utf8"),
  );
  const panels = (dashboard.panels as { targets?: { expr: string }[] }[]).flatMap((p) => p.targets ?? []);
  const variables = (dashboard.templating.list as { query?: { query?: string } }[])
    .map((v) => v.query?.query)
    .filter((q): q is string => typeof q === "string");
  return [...panels.map((t) => t.expr), ...variables];
}

function ruleExpressions(): string[] {
  const rules = parse(readFileSync(join(APP_DIR, "deploy/pagerduty-voys-webhook.rules.yml"), "utf8"));
  return (rules.groups as { rules: { expr: string }[] }[]).flatMap((g) => g.rules.map((r) => r.expr));
}

describe("the Grafana dashboard and the alerting rules name metrics the server exports", () => {
  it("every query names at least one metric, each one on /metrics of the built server", async () => {
    const server = await startServer(box.env({ HOST: "127.0.0.1" }));
    try {
      const metrics = await get("127.0.0.1", server.port, "/metrics");
      expect(metrics.status).toBe(200);
      const exported = exportedNames(metrics.body);
      expect(exported.has("pagerduty_voys_webhook_requests_total")).toBe(true);
      const queries = [...dashboardQueries(), ...ruleExpressions()];
      expect(queries.length).toBeGreaterThan(20);
      const unknown = new Set<string>();
      for (const query of queries) {
        const names = metricsIn(query);
        expect(names, query).not.toEqual([]);
        for (const name of names) if (!exported.has(name)) unknown.add(name);
      }
      // Nothing unknown outside the one list, and nothing in the list that already exists.
      expect([...unknown].filter((name) => !EXPECTED_LATER.includes(name))).toEqual([]);
      expect(EXPECTED_LATER.filter((name) => exported.has(name))).toEqual([]);
    } finally {
      await server.kill();
    }
  });
});
