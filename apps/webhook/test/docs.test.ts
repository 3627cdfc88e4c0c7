import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SETTINGS } from "../src/config/settings.js";
import { APP_DIR } from "./helpers/cli-process.js";

const read = (path: string) => readFileSync(join(APP_DIR, path), "utf8");

describe("documentation and deployment files stay in step with the settings", () => {
  it.each(["README.md", "../../README.md"])(
    "%s has a configuration row per setting: variable | file | default | meaning",
    (path) => {
      const readme = read(path);
      for (const spec of SETTINGS) {
        const row = readme.split("\n").find((line) => line.startsWith(`| \`${spec.env}\` |`));
        expect(row, spec.env).toBeDefined();
        const cells = (row ?? "").split("|").map((cell) => cell.trim());
        expect(cells[2], `${spec.env} file`).toBe(spec.file === undefined ? "" : `\`${spec.file}\``);
        expect(cells[3], `${spec.env} default`).toContain(spec.default.split(" ")[0]);
      }
    },
  );

  it("the env file example lists every setting, commented, with its default", () => {
    const example = read("deploy/pagerduty-voys-webhook.env.example");
    for (const spec of SETTINGS) {
      const value = /^(required|unset)/.test(spec.default) ? "" : spec.default;
      expect(example, spec.env).toContain(`\n#${spec.env}=${value}\n`);
    }
  });

  it("the unit runs `serve` as the sysusers user, hardened, without MemoryDenyWriteExecute", () => {
    const unit = read("deploy/pagerduty-voys-webhook-server.service");
    const sysusers = read("deploy/pagerduty-voys-webhook.sysusers");
    const directives = unit.split("\n").filter((line) => /^[A-Z]\w+=/.test(line));
    for (const line of [
      "ExecStart=/usr/bin/pagerduty-voys-webhook serve",
      "ExecReload=/bin/kill -HUP $MAINPID",
      "StateDirectory=pagerduty-voys-webhook",
      "EnvironmentFile=-/etc/default/pagerduty-voys-webhook",
      "User=pagerduty-voys-webhook",
      "Group=pagerduty-voys-webhook",
      "Restart=on-failure",
      "NoNewPrivileges=yes",
      "ProtectSystem=strict",
      "ProtectHome=yes",
      "PrivateTmp=yes",
      "PrivateDevices=yes",
      "CapabilityBoundingSet=",
      "AmbientCapabilities=",
      "RestrictAddressFamilies=AF_INET AF_INET6 AF_UNIX",
      "SystemCallFilter=@system-service",
    ]) {
      expect(directives).toContain(line);
    }
    expect(directives.some((line) => line.startsWith("MemoryDenyWriteExecute"))).toBe(false);
    expect(sysusers).toMatch(/^u\s+pagerduty-voys-webhook\s/m);
  });

  it("the HAProxy example terminates TLS, forwards the client address, checks /healthz and logs no query string", () => {
    const haproxy = read("deploy/haproxy.cfg.example");
    const config = haproxy
      .split("\n")
      .map((line) => line.trim())
      .filter((line) => line !== "" && !line.startsWith("#"));
    expect(config.some((line) => line.startsWith("bind") && line.includes(" ssl crt "))).toBe(true);
    expect(config).toContain("option forwardfor");
    expect(config).toContain("option httpchk GET /healthz");
    expect(config).not.toContain("option httplog");
    const logFormat = config.find((line) => line.startsWith("log-format")) ?? "";
    expect(logFormat).toContain("%HP");
    // %r (request line), %HU (URI) and %HQ (query) would log the query string.
    expect(logFormat).not.toMatch(/%(\{[^}]*\})?(r|HU|HQ)(?![A-Za-z])/);
    expect(config.some((line) => line.startsWith("capture"))).toBe(false);
  });
});
