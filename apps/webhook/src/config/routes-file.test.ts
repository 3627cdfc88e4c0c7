import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { type TempConfigDir, tempConfigDir } from "../../test/helpers/temp-config-dir.js";
import { loadConfig } from "./load-config.js";
import { validateRoutesDocument } from "./routes-file.js";

const SECRETS = {
  PAGERDUTY_API_KEY: "u+pd-token-0123456789",
  WEBHOOK_SECRET_KEY: "a-long-webhook-secret-123",
};

const FOUR_ROUTES = `
routes:
  - name: support                  # served at /voys-webhook/support
    escalation_policy_id: PSUPP01
    strategy: round-robin
    fallback_number: "+31201234567"
    dids: ["+31208888888"]
    sticky_minutes: 30
  - name: billing
    escalation_policy_id: PBILL01
    dids:
      - "+31209999999"
  - name: backup
    escalation_policy_id: PSUPP01
    escalation_level: 2
  - name: emergency
    escalation_policy_id: PEMER01
`;

let dir: TempConfigDir;
beforeEach(() => {
  dir = tempConfigDir();
});
afterEach(() => dir.remove());

function problems(yaml: string, env: Record<string, string> = {}): string[] {
  dir.write("config.yaml", yaml, 0o644);
  const result = loadConfig({ env: { ...SECRETS, CONFIG_DIR: dir.path, ...env } });
  if (result.ok) throw new Error("expected problems");
  const prefix = `${join(dir.path, "config.yaml")}: `;
  return result.errors.map((line) =>
    line.startsWith(prefix) ? line.slice(prefix.length) : `(not prefixed) ${line}`,
  );
}

describe("config.yaml routes", () => {
  it("reads four routes over three policies, applying ROUTING_STRATEGY and FALLBACK_NUMBER as defaults", () => {
    dir.write("config.yaml", FOUR_ROUTES, 0o644);
    const env = {
      ...SECRETS,
      CONFIG_DIR: dir.path,
      ROUTING_STRATEGY: "random",
      FALLBACK_NUMBER: "+31200000000",
    };
    const result = loadConfig({ env });
    if (!result.ok) throw new Error(result.errors.join("\n"));
    expect(
      result.config.routes.map((r) => [
        r.name,
        r.policyId,
        r.level,
        r.strategy,
        r.fallbackNumber,
        r.dids,
        r.stickyMinutes,
      ]),
    ).toEqual([
      ["support", "PSUPP01", 1, "round-robin", "+31201234567", ["+31208888888"], 30],
      ["billing", "PBILL01", 1, "random", "+31200000000", ["+31209999999"], undefined],
      ["backup", "PSUPP01", 2, "random", "+31200000000", [], undefined],
      ["emergency", "PEMER01", 1, "random", "+31200000000", [], undefined],
    ]);
    expect(result.config.routes.every((r) => r.origin === "config.yaml")).toBe(true);
  });

  it("puts the env-defined default route first, next to the file's routes", () => {
    dir.write("config.yaml", FOUR_ROUTES, 0o644);
    const result = loadConfig({
      env: { ...SECRETS, CONFIG_DIR: dir.path, PAGERDUTY_ESCALATION_POLICY_ID: "PDEF001" },
    });
    expect(result.ok && result.config.routes.map((r) => r.name)).toEqual([
      "default",
      "support",
      "billing",
      "backup",
      "emergency",
    ]);
  });

  it("reports an invalid escalation_level as path: message", () => {
    const yaml = "routes:\n  - name: a\n    escalation_policy_id: P1\n    escalation_level: 0\n";
    expect(problems(yaml)).toEqual(["routes[0].escalation_level: expected an integer from 1 to 100"]);
  });

  it("reports unknown keys, wrong types and missing keys, every one", () => {
    const yaml = [
      "routes:",
      "  - name: a",
      "    escalation_policy_id: P1",
      "    escalaton_level: 2",
      "  - name: [b]",
      "    escalation_policy_id: P2",
      "    escalation_level: two",
      "    strategy: weighted",
      "    dids: +31208888888",
      "  - escalation_level: 1.5",
      "    sticky_minutes: -1",
      "    fallback_number: +31201234567",
      "extra: true",
    ].join("\n");
    expect(problems(yaml)).toEqual([
      "routes[0].escalaton_level: unknown key (allowed: name, escalation_policy_id, escalation_level, strategy, strategy_options, fallback_number, dids, codes, sticky_minutes, hunt_seconds, incidents, routing_key)",
      "routes[1].name: expected a URL-safe name (letters, digits, - _ .; at most 63 characters)",
      "routes[1].escalation_level: expected an integer from 1 to 100",
      "routes[1].strategy: expected random, round-robin, least-recent or a module path ending in .mjs or .js",
      "routes[1].dids: expected a list of E.164 numbers",
      "routes[2].name: required (a URL-safe name (letters, digits, - _ .; at most 63 characters))",
      "routes[2].escalation_policy_id: required (a PagerDuty escalation policy id such as PABC123)",
      "routes[2].escalation_level: expected an integer from 1 to 100",
      'routes[2].fallback_number: expected an E.164 number such as "+31201234567" (quoted)',
      "routes[2].sticky_minutes: expected an integer from 1 to 10080",
      "extra: unknown key (allowed: routes)",
    ]);
  });

  it("refuses names that are not URL-safe, duplicate names and duplicate DIDs", () => {
    const yaml = [
      "routes:",
      "  - { name: support, escalation_policy_id: P1, dids: ['+31208888888'] }",
      "  - { name: Support, escalation_policy_id: P2 }",
      "  - { name: 'bill ing', escalation_policy_id: P3 }",
      "  - { name: other, escalation_policy_id: P3, dids: ['+31208888888', '0208888888'] }",
    ].join("\n");
    expect(problems(yaml)).toEqual([
      "routes[2].name: expected a URL-safe name (letters, digits, - _ .; at most 63 characters)",
      'routes[3].dids[1]: expected an E.164 number such as "+31208888888" (quoted)',
      'routes[1].name: "Support" is already used by routes[0] (names are compared ignoring case)',
      "routes[3].dids[0]: this number is already listed by routes[0]; two routes may share a did only with different codes",
    ]);
    const dupes = [
      "routes:",
      "  - { name: support, escalation_policy_id: P1, dids: ['+31208888888'] }",
      "  - { name: Support, escalation_policy_id: P2 }",
      "  - { name: other, escalation_policy_id: P3, dids: ['+31208888888', '+31207777777', '+31207777777'] }",
    ].join("\n");
    expect(problems(dupes)).toEqual([
      'routes[1].name: "Support" is already used by routes[0] (names are compared ignoring case)',
      "routes[2].dids[0]: this number is already listed by routes[0]; two routes may share a did only with different codes",
      "routes[2].dids[2]: this number is already listed by this route; two routes may share a did only with different codes",
    ]);
  });

  it("reports YAML syntax errors with line and column", () => {
    const [problem] = problems("routes:\n  - name: a\n    name: b\n");
    expect(problem).toMatch(/^line 3, column 5: invalid YAML: Map keys must be unique/);
  });

  it("refuses a file that is not a mapping, or lacks routes", () => {
    expect(problems("- a\n- b\n")).toEqual(["(top level): expected a mapping"]);
    expect(problems("{}\n")).toEqual(["routes: required (a list of routes)"]);
  });

  it("requires a policy when the file's route list is empty", () => {
    const list = problems("routes: []\n");
    expect(list).toHaveLength(1);
    expect(list[0]).toMatch(/^\(not prefixed\) PAGERDUTY_ESCALATION_POLICY_ID is required/);
  });

  it("refuses a route named default next to PAGERDUTY_ESCALATION_POLICY_ID", () => {
    const yaml = "routes:\n  - { name: default, escalation_policy_id: P1 }\n";
    expect(problems(yaml, { PAGERDUTY_ESCALATION_POLICY_ID: "P2" })).toEqual([
      'routes[0].name: "default" is already the route of PAGERDUTY_ESCALATION_POLICY_ID (or the file escalation_policy_id); rename the route or unset the variable',
    ]);
  });

  it("validates a parsed document directly", () => {
    expect(validateRoutesDocument({ routes: [{ name: "x", escalation_policy_id: "P1" }] })).toEqual({
      routes: [{ name: "x", escalation_policy_id: "P1" }],
      problems: [],
    });
  });
});
