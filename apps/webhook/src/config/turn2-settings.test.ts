import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BASE_ENV, configLoader } from "../../test/helpers/config-loading.js";
import { type TempConfigDir, tempConfigDir } from "../../test/helpers/temp-config-dir.js";
import { toServerOptions } from "./server-options.js";

const BASE = BASE_ENV;
const KEY = "0123456789abcdef0123456789abcdef";

let dir: TempConfigDir;
beforeEach(() => {
  dir = tempConfigDir();
});
afterEach(() => dir.remove());
const { ok, errors } = configLoader(() => dir.path);

const yamlProblems = (yaml: string, env: Record<string, string> = BASE) => {
  dir.write("config.yaml", yaml, 0o644);
  const prefix = `${join(dir.path, "config.yaml")}: `;
  return errors(env).map((line) => (line.startsWith(prefix) ? line.slice(prefix.length) : line));
};

describe("IVR codes and dids", () => {
  it("lets two routes share a did with different codes, and maps codes to the server", () => {
    dir.write(
      "config.yaml",
      [
        "routes:",
        "  - { name: outages, escalation_policy_id: P1, dids: ['+31208888888'], codes: ['1'] }",
        "  - { name: billing, escalation_policy_id: P2, dids: ['+31208888888'], codes: ['2', '01', '*9#'] }",
      ].join("\n"),
    );
    const { config } = ok({ ...BASE, PAGERDUTY_ESCALATION_POLICY_ID: undefined });
    expect(config.routes.map((r) => r.codes)).toEqual([["1"], ["2", "01", "*9#"]]);
    expect(toServerOptions(config).routes[1]?.codes).toEqual(["2", "01", "*9#"]);
  });

  it("refuses an unquoted code with a hint to quote it, and the same did and code twice", () => {
    const yaml = [
      "routes:",
      "  - { name: a, escalation_policy_id: P1, dids: ['+31208888888'], codes: [01] }",
      "  - { name: b, escalation_policy_id: P1, dids: ['+31208888888'], codes: ['2', '2x'] }",
      "  - { name: c, escalation_policy_id: P1, dids: ['+31208888888'], codes: ['2'] }",
    ].join("\n");
    expect(yamlProblems(yaml, { ...BASE, PAGERDUTY_ESCALATION_POLICY_ID: "" })).toEqual([
      'routes[0].codes[0]: expected a quoted string such as "1": an unquoted number loses its leading zeros; write codes in quotes',
      'routes[1].codes[1]: expected a quoted string of digits, * and # such as "1" (1 to 20 characters)',
      'routes[2].dids[0]: this number with code "2" is already listed by routes[1]; two routes may share a did only with different codes',
    ]);
  });
});

describe("hunting and incidents", () => {
  it("maps HUNT_SECONDS, PAGERDUTY_INCIDENTS and the routing key (env, file, per route)", () => {
    dir.write("routing_key", `${KEY}\n`);
    dir.write(
      "config.yaml",
      `routes:\n  - { name: support, escalation_policy_id: P2, hunt_seconds: 120, incidents: all, routing_key: ${"f".repeat(32)} }\n`,
    );
    const { config } = ok({ ...BASE, HUNT_SECONDS: "90", PAGERDUTY_INCIDENTS: "missed" });
    expect(
      config.routes.map((r) => [r.name, r.huntSeconds, r.incidents, r.routingKey, r.routingKeyFrom]),
    ).toEqual([
      ["default", 90, "missed", KEY, "PAGERDUTY_ROUTING_KEY"],
      ["support", 120, "all", "f".repeat(32), "route"],
    ]);
    expect(config.origins.PAGERDUTY_ROUTING_KEY).toBe("file");
    const options = toServerOptions(config);
    expect(options.routes[0]).toMatchObject({ huntSeconds: 90, incidents: "missed", routingKey: KEY });
    expect(options.events).toEqual({ url: "https://events.pagerduty.com" });
  });

  it("refuses incidents without any routing key, naming PAGERDUTY_ROUTING_KEY", () => {
    const list = errors({ ...BASE, PAGERDUTY_INCIDENTS: "missed" });
    expect(list).toEqual([
      expect.stringMatching(/^PAGERDUTY_ROUTING_KEY is required: .*PAGERDUTY_INCIDENTS is "missed"/),
    ]);
    const fileRoute = yamlProblems("routes:\n  - { name: s, escalation_policy_id: P2, incidents: all }\n");
    expect(fileRoute).toEqual([
      expect.stringMatching(
        /^PAGERDUTY_ROUTING_KEY is required: .*routes\[0\]\.incidents .* give the route a routing_key/,
      ),
    ]);
  });

  it("reads PAGERDUTY_EVENTS_URL (http allowed) and STATE_DIRECTORY", () => {
    const state = join(dir.path, "state");
    mkdirSync(state);
    const { config } = ok({
      ...BASE,
      PAGERDUTY_EVENTS_URL: "http://127.0.0.1:9999/",
      STATE_DIRECTORY: state,
      PAGERDUTY_ROUTING_KEY: KEY,
      PAGERDUTY_INCIDENTS: "all",
    });
    expect(config.events).toEqual({ url: "http://127.0.0.1:9999", stateDirectory: state });
    expect(toServerOptions(config).events).toEqual({ url: "http://127.0.0.1:9999", stateDirectory: state });
  });
});

describe("strategies named in configuration", () => {
  it("resolves a relative module against CONFIG_DIR and names the setting", () => {
    mkdirSync(join(dir.path, "strategies"));
    writeFileSync(join(dir.path, "strategies", "mine.mjs"), "export default () => ({});\n");
    dir.write(
      "config.yaml",
      "routes:\n  - { name: s, escalation_policy_id: P2, strategy: ./strategies/mine.mjs, strategy_options: { prefer: '+31' } }\n",
    );
    const { config } = ok({ ...BASE, ROUTING_STRATEGY: "strategies/mine.mjs" });
    const module = join(dir.path, "strategies", "mine.mjs");
    expect(config.routingStrategy).toEqual({ module, setting: "ROUTING_STRATEGY" });
    expect(config.routes[1]).toMatchObject({
      strategy: { module, setting: "routes[0].strategy" },
      strategyOptions: { prefer: "+31" },
    });
  });

  it("refuses a module that does not exist, naming the setting", () => {
    expect(errors({ ...BASE, ROUTING_STRATEGY: "./nope.mjs" })).toEqual([
      `ROUTING_STRATEGY: the strategy module ${join(dir.path, "nope.mjs")} does not exist (relative paths are resolved against CONFIG_DIR)`,
    ]);
  });
});

describe("Redis Sentinel", () => {
  it("reads sentinels, name, password and db", () => {
    const { config } = ok({
      ...BASE,
      REDIS_SENTINELS: "10.0.0.5:26379, [::1]:26380,sentinel.example:26381",
      REDIS_SENTINEL_NAME: "mymaster",
      REDIS_PASSWORD: "pw",
      REDIS_DB: "2",
    });
    expect(toServerOptions(config).redis).toEqual({
      sentinels: [
        { host: "10.0.0.5", port: 26379 },
        { host: "::1", port: 26380 },
        { host: "sentinel.example", port: 26381 },
      ],
      sentinelName: "mymaster",
      password: "pw",
      db: 2,
      keyPrefix: "pagerduty-voys:",
    });
  });

  it("refuses REDIS_URL with REDIS_SENTINELS, and sentinels without a name", () => {
    expect(
      errors({ ...BASE, REDIS_URL: "redis://127.0.0.1:6379", REDIS_SENTINELS: "127.0.0.1:26379" }),
    ).toEqual([
      "REDIS_SENTINELS: REDIS_URL and REDIS_SENTINELS together are refused: set one of them",
      expect.stringMatching(/^REDIS_SENTINEL_NAME is required/),
    ]);
  });
});

describe("secrets", () => {
  it("takes several secrets separated by whitespace, from the variable or one per line in the file", () => {
    expect(ok({ ...BASE, WEBHOOK_SECRET_KEY: "old-secret-1 new-secret-2" }).config.secretKey).toEqual([
      "old-secret-1",
      "new-secret-2",
    ]);
    dir.write("secret_key", "old-secret-1\nnew-secret-2\n");
    const { config } = ok({ ...BASE, WEBHOOK_SECRET_KEY: undefined });
    expect(toServerOptions(config).secretKey).toEqual(["old-secret-1", "new-secret-2"]);
    expect(ok(BASE).config.secretKey).toBe(BASE.WEBHOOK_SECRET_KEY);
  });

  it("warns when a secret holds characters a URL must encode, saying which are safe, never the secret", () => {
    const { warnings } = ok({ ...BASE, WEBHOOK_SECRET_KEY: "abc+def/ghi= safe-one" });
    expect(warnings).toEqual([
      expect.stringMatching(
        /^WEBHOOK_SECRET_KEY: 1 of the 2 secrets holds characters a URL must encode .*A-Z a-z 0-9 - \. _ ~/,
      ),
    ]);
    expect(warnings.join("\n")).not.toContain("abc+def");
    expect(ok(BASE).warnings).toEqual([]);
  });
});
