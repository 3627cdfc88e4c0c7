import { statSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { BASE_ENV, configLoader } from "../../test/helpers/config-loading.js";
import { type TempConfigDir, tempConfigDir } from "../../test/helpers/temp-config-dir.js";
import { loadConfig } from "./load-config.js";

const BASE = BASE_ENV;

let dir: TempConfigDir;
beforeEach(() => {
  dir = tempConfigDir();
});
afterEach(() => dir.remove());
const { ok, errors } = configLoader(() => dir.path);

describe("loadConfig: defaults and sources", () => {
  it("applies the contract's defaults", () => {
    const { config, warnings } = ok(BASE);
    expect(warnings).toEqual([]);
    expect(config.listen).toEqual({ host: "::", port: 5839, hostIsDefault: true });
    expect(config.pagerduty).toEqual({
      apiKey: BASE.PAGERDUTY_API_KEY,
      apiUrl: "https://api.pagerduty.com",
      requestTimeoutMs: 5000,
      userCacheTtlMs: 300_000,
      refreshIntervalMs: 60_000,
      lookaheadMs: 24 * 3_600_000,
      staleAfterMs: 300_000,
    });
    expect(config.routingStrategy).toBe("random");
    expect(config.logLevel).toBe("info");
    expect(config.coldStartWaitMs).toBe(2000);
    expect(config.redis).toBeUndefined();
    expect(config.allowedIps).toBeUndefined();
    expect(config.trustProxy).toBeUndefined();
    expect(config.routes).toEqual([
      {
        name: "default",
        policyId: "PDEMO01",
        level: 1,
        strategy: "random",
        strategyOptions: undefined,
        fallbackNumber: undefined,
        dids: [],
        codes: [],
        stickyMinutes: undefined,
        huntSeconds: undefined,
        incidents: "off",
        routingKey: undefined,
        routingKeyFrom: undefined,
        origin: "env",
      },
    ]);
  });

  it("reads the three seed files, trimmed, when the variables are unset", () => {
    dir.write("api_key", "  file-api-key-123\n");
    dir.write("secret_key", "\tfile-secret-key-0123456\n\n");
    dir.write("escalation_policy_id", "PFILE01\n");
    const { config } = ok({});
    expect(config.pagerduty.apiKey).toBe("file-api-key-123");
    expect(config.secretKey).toBe("file-secret-key-0123456");
    expect(config.routes[0]?.policyId).toBe("PFILE01");
    expect(config.origins).toEqual({
      PAGERDUTY_API_KEY: "file",
      WEBHOOK_SECRET_KEY: "file",
      PAGERDUTY_ESCALATION_POLICY_ID: "file",
    });
  });

  it("lets environment variables win over the files", () => {
    dir.write("api_key", "file-api-key-123");
    dir.write("secret_key", "file-secret-key-0123456");
    dir.write("escalation_policy_id", "PFILE01");
    const { config } = ok(BASE);
    expect(config.pagerduty.apiKey).toBe(BASE.PAGERDUTY_API_KEY);
    expect(config.secretKey).toBe(BASE.WEBHOOK_SECRET_KEY);
    expect(config.routes[0]?.policyId).toBe("PDEMO01");
    expect(config.origins.PAGERDUTY_API_KEY).toBe("env");
  });

  it("treats an empty variable as unset, so the file is used", () => {
    dir.write("api_key", "file-api-key-123");
    const { config } = ok({ ...BASE, PAGERDUTY_API_KEY: "", PORT: "  ", ROUTING_STRATEGY: "" });
    expect(config.pagerduty.apiKey).toBe("file-api-key-123");
    expect(config.listen.port).toBe(5839);
    expect(config.routingStrategy).toBe("random");
  });

  it("reads every optional setting", () => {
    const { config } = ok({
      ...BASE,
      PAGERDUTY_API_URL: "https://api.eu.pagerduty.com/",
      PAGERDUTY_ESCALATION_LEVEL: "2",
      PAGERDUTY_REFRESH_SECONDS: "30",
      PAGERDUTY_LOOKAHEAD_HOURS: "48",
      PAGERDUTY_TIMEOUT_MS: "2500",
      PAGERDUTY_USER_CACHE_SECONDS: "600",
      ROSTER_STALE_SECONDS: "120",
      COLD_START_WAIT_MS: "500",
      HOST: "127.0.0.1",
      PORT: "8080",
      ROUTING_STRATEGY: "round-robin",
      STICKY_MINUTES: "30",
      FALLBACK_NUMBER: "+31201234567",
      REDIS_URL: "rediss://:pw@redis.example:6380/2",
      REDIS_KEY_PREFIX: "pdv-test:",
      ALLOWED_IPS: "10.0.0.0/8, 192.0.2.7,2001:db8::/32,::1",
      TRUST_PROXY: "127.0.0.1,10.0.0.0/8",
      LOG_LEVEL: "debug",
    });
    expect(config.pagerduty.apiUrl).toBe("https://api.eu.pagerduty.com");
    expect(config.pagerduty.refreshIntervalMs).toBe(30_000);
    expect(config.pagerduty.lookaheadMs).toBe(48 * 3_600_000);
    expect(config.pagerduty.requestTimeoutMs).toBe(2500);
    expect(config.pagerduty.userCacheTtlMs).toBe(600_000);
    expect(config.pagerduty.staleAfterMs).toBe(120_000);
    expect(config.coldStartWaitMs).toBe(500);
    expect(config.listen).toEqual({ host: "127.0.0.1", port: 8080, hostIsDefault: false });
    expect(config.routingStrategy).toBe("round-robin");
    expect(config.routes[0]).toMatchObject({
      level: 2,
      strategy: "round-robin",
      stickyMinutes: 30,
      fallbackNumber: "+31201234567",
    });
    expect(config.redis).toEqual({ url: "rediss://:pw@redis.example:6380/2", keyPrefix: "pdv-test:" });
    expect(config.allowedIps).toEqual(["10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "::1"]);
    expect(config.trustProxy).toEqual(["127.0.0.1", "10.0.0.0/8"]);
    expect(config.logLevel).toBe("debug");
  });

  it("reads TRUST_PROXY as a list with range names, and refuses a hop count saying why", () => {
    expect(errors({ ...BASE, TRUST_PROXY: "1" })).toEqual([
      expect.stringMatching(
        /^TRUST_PROXY: a hop count is refused: anyone who reaches the port could forge X-Forwarded-For; list the proxies/,
      ),
    ]);
    expect(ok({ ...BASE, TRUST_PROXY: "loopback, 10.0.0.1" }).config.trustProxy).toEqual([
      "loopback",
      "10.0.0.1",
    ]);
  });

  it("freezes the validated config", () => {
    const { config } = ok({ ...BASE, ALLOWED_IPS: "127.0.0.1" });
    expect(Object.isFrozen(config)).toBe(true);
    expect(Object.isFrozen(config.pagerduty)).toBe(true);
    expect(Object.isFrozen(config.routes)).toBe(true);
    expect(Object.isFrozen(config.routes[0])).toBe(true);
    expect(() => {
      (config.allowedIps as string[]).push("0.0.0.0/0");
    }).toThrow(TypeError);
  });
});

describe("loadConfig: missing and invalid settings", () => {
  it("names every missing required setting with its variable, file and what it accepts", () => {
    const list = errors({});
    expect(list).toHaveLength(3);
    const [apiKey, secret, policy] = list;
    expect(apiKey).toContain("PAGERDUTY_API_KEY");
    expect(apiKey).toContain(join(dir.path, "api_key"));
    expect(apiKey).toContain("PagerDuty REST API key");
    expect(secret).toContain("WEBHOOK_SECRET_KEY");
    expect(secret).toContain(join(dir.path, "secret_key"));
    expect(policy).toContain("PAGERDUTY_ESCALATION_POLICY_ID");
    expect(policy).toContain(join(dir.path, "escalation_policy_id"));
    expect(policy).toContain("config.yaml");
  });

  it("says when a seed file is empty", () => {
    dir.write("api_key", "\n  \n");
    const [problem] = errors({ ...BASE, PAGERDUTY_API_KEY: undefined });
    expect(problem).toContain("PAGERDUTY_API_KEY");
    expect(problem).toContain(`${join(dir.path, "api_key")} is empty`);
  });

  it("says when CONFIG_DIR does not exist", () => {
    const list = errors({ ...BASE, CONFIG_DIR: join(dir.path, "nope") });
    expect(list).toEqual([
      expect.stringContaining(`CONFIG_DIR: ${join(dir.path, "nope")} is not a directory`),
    ]);
  });

  const invalid: Array<[string, string, string]> = [
    ["PAGERDUTY_API_URL", "ftp://api.pagerduty.com", "http:// or https://"],
    ["PAGERDUTY_API_URL", "not a url", "http:// or https://"],
    ["HOST", "not a host!", "IP address"],
    ["PORT", "65536", "0 to 65535"],
    ["PORT", "80x", "0 to 65535"],
    ["PORT", "-1", "0 to 65535"],
    ["ROUTING_STRATEGY", "weighted", "random, round-robin"],
    ["REDIS_URL", "http://localhost:6379", "redis:// or rediss://"],
    ["REDIS_KEY_PREFIX", "has space", "printable"],
    ["FALLBACK_NUMBER", "0612345678", "E.164"],
    ["ALLOWED_IPS", "10.0.0.0/33", "IPv4 prefix 0 to 32"],
    ["ALLOWED_IPS", "::ffff:10.0.0.0/8", "write the IPv4 form instead (10.0.0.0/8)"],
    ["ALLOWED_IPS", "127.0.0.1,example.com", '"example.com" is not an IP address or CIDR'],
    ["TRUST_PROXY", "yes", "loopback, linklocal, uniquelocal"],
    ["TRUST_PROXY", "0", "a hop count is refused"],
    ["TRUST_PROXY", "0.0.0.0/0", "would trust every address"],
    ["HUNT_SECONDS", "0", "from 1 to 86400"],
    ["PAGERDUTY_INCIDENTS", "sometimes", "off, missed or all"],
    ["PAGERDUTY_ROUTING_KEY", "short", "32-character"],
    ["PAGERDUTY_EVENTS_URL", "ftp://events", "http:// or https://"],
    ["STATE_DIRECTORY", "/nonexistent/state", "existing directory"],
    ["REDIS_SENTINELS", "host-without-port", "host:port"],
    ["REDIS_DB", "x", "integer"],
    ["LOG_LEVEL", "verbose", "fatal, error, warn, info, debug, trace or silent"],
    ["PAGERDUTY_ESCALATION_LEVEL", "0", "integer"],
    ["PAGERDUTY_REFRESH_SECONDS", "1.5", "integer"],
    ["PAGERDUTY_LOOKAHEAD_HOURS", "0", "integer"],
    ["PAGERDUTY_TIMEOUT_MS", "5s", "integer"],
    ["PAGERDUTY_USER_CACHE_SECONDS", "-5", "integer"],
    ["ROSTER_STALE_SECONDS", "0", "integer"],
    ["COLD_START_WAIT_MS", "1e3", "integer"],
    ["STICKY_MINUTES", "0", "integer"],
    [
      "PAGERDUTY_ESCALATION_POLICY_ID",
      "https://x.pagerduty.com/escalation_policies/P1",
      "escalation policy id",
    ],
    ["PAGERDUTY_API_KEY", "two words", "API key"],
    ["WEBHOOK_SECRET_KEY", "bad\u0007secret", "printable"],
  ];
  it.each(invalid)("refuses %s=%j, naming it and what it accepts", (name, value, accepts) => {
    const list = errors({ ...BASE, [name]: value });
    expect(list).toHaveLength(1);
    expect(list[0]?.startsWith(name)).toBe(true);
    expect(list[0]).toContain(accepts);
  });

  it("lists every problem at once", () => {
    const list = errors({ PORT: "x", ROUTING_STRATEGY: "nope", LOG_LEVEL: "loud", ALLOWED_IPS: "1.2.3" });
    const named = [
      "PAGERDUTY_API_KEY",
      "WEBHOOK_SECRET_KEY",
      "PAGERDUTY_ESCALATION_POLICY_ID",
      "PORT",
      "ROUTING_STRATEGY",
      "LOG_LEVEL",
      "ALLOWED_IPS",
    ];
    for (const name of named) expect(list.some((line) => line.startsWith(name))).toBe(true);
    expect(list).toHaveLength(named.length);
  });

  it("never prints secret values, even invalid ones", () => {
    const list = errors({
      ...BASE,
      PAGERDUTY_API_KEY: "leak me-TOKEN123",
      WEBHOOK_SECRET_KEY: "leak\u0001me-SECRET456",
      REDIS_URL: "http://user:REDISPASS789@host",
      FALLBACK_NUMBER: "+31 6 12345678",
      PAGERDUTY_API_URL: "ftp://user:URLPASS@host",
    });
    expect(list).toHaveLength(5);
    const text = list.join("\n");
    for (const secret of ["TOKEN123", "SECRET456", "REDISPASS789", "12345678", "URLPASS"]) {
      expect(text).not.toContain(secret);
    }
  });

  it("quotes a non-secret invalid value", () => {
    expect(errors({ ...BASE, ROUTING_STRATEGY: "weighted" })).toEqual([
      'ROUTING_STRATEGY: got "weighted"; expected random, round-robin, least-recent or a module path ending in .mjs or .js',
    ]);
  });

  it("names the file an invalid seeded value came from", () => {
    dir.write("escalation_policy_id", "not an id");
    const [problem] = errors({ ...BASE, PAGERDUTY_ESCALATION_POLICY_ID: undefined });
    expect(problem).toContain(
      `PAGERDUTY_ESCALATION_POLICY_ID (from ${join(dir.path, "escalation_policy_id")})`,
    );
  });
});

describe("loadConfig: warnings", () => {
  it("warns when a secret file is readable by every user", () => {
    const file = dir.write("api_key", "file-api-key-123", 0o644);
    const { warnings } = ok({ ...BASE, PAGERDUTY_API_KEY: undefined });
    expect(warnings).toEqual([expect.stringContaining(`${file} is readable by every user (mode 0644)`)]);
  });

  it("warns when a secret file is readable by a group the service is not in", () => {
    dir.write("secret_key", "file-secret-key-0123456", 0o640);
    const env = { CONFIG_DIR: dir.path, ...BASE, WEBHOOK_SECRET_KEY: undefined };
    const outsider = loadConfig({ env, identity: { uid: 12345, gids: [54321] } });
    expect(outsider.ok && outsider.warnings).toEqual([expect.stringContaining("readable by group")]);
    const member = loadConfig({
      env,
      identity: { uid: 12345, gids: [54321, ...groupsOf(dir.path, "secret_key")] },
    });
    expect(member.ok && member.warnings).toEqual([]);
  });

  it("warns about a readable secret file even when the variable wins", () => {
    dir.write("secret_key", "file-secret-key-0123456", 0o604);
    const { config, warnings } = ok(BASE);
    expect(config.secretKey).toBe(BASE.WEBHOOK_SECRET_KEY);
    expect(warnings).toEqual([expect.stringContaining("secret_key is readable by every user (mode 0604)")]);
  });

  it("does not warn about a 0600 secret file, nor about the policy id file", () => {
    dir.write("api_key", "file-api-key-123", 0o600);
    dir.write("escalation_policy_id", "PFILE01", 0o644);
    expect(ok({ WEBHOOK_SECRET_KEY: BASE.WEBHOOK_SECRET_KEY }).warnings).toEqual([]);
  });
});

function groupsOf(path: string, name: string): number[] {
  return [statSync(join(path, name)).gid];
}
