import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SETTINGS } from "../src/config/settings.js";
import { APP_DIR, runCli } from "./helpers/cli-process.js";
import { type TempConfigDir, tempConfigDir } from "./helpers/temp-config-dir.js";

const VERSION = (JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8")) as { version: string })
  .version;

let dir: TempConfigDir;
beforeEach(() => {
  dir = tempConfigDir();
});
afterEach(() => dir.remove());

describe("the built CLI: --help, --version, usage", () => {
  it("--help names serve and check and lists every setting", async () => {
    const result = await runCli(["--help"], {});
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+serve\s/m);
    expect(result.stdout).toMatch(/^\s+check\s/m);
    for (const spec of SETTINGS) expect(result.stdout).toContain(spec.env);
  });

  it("--version prints the package version", async () => {
    for (const flag of ["--version", "-v"]) {
      const result = await runCli([flag], {});
      expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
    }
  });

  it("refuses an unknown command or option with exit 2", async () => {
    const command = await runCli(["start"], {});
    expect(command.code).toBe(2);
    expect(command.stderr).toContain('unknown command "start"');
    const option = await runCli(["--port=1"], {});
    expect(option.code).toBe(2);
    expect(option.stderr).toContain('unknown option "--port=1"');
  });
});

describe("the built CLI: configuration errors stop start-up before listening", () => {
  const base = {
    WEBHOOK_SECRET_KEY: "black-box-secret-0123",
    PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
    PORT: "0",
  };

  it("exits non-zero naming PAGERDUTY_API_KEY and its file when the key is missing", async () => {
    const result = await runCli(["serve"], { ...base, CONFIG_DIR: dir.path });
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("PAGERDUTY_API_KEY");
    expect(result.stderr).toContain(join(dir.path, "api_key"));
    expect(result.stdout).not.toContain("listening");
  });

  it("names random and round-robin for an unknown ROUTING_STRATEGY", async () => {
    const env = { ...base, PAGERDUTY_API_KEY: "k", ROUTING_STRATEGY: "weighted", CONFIG_DIR: dir.path };
    const result = await runCli([], env);
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("ROUTING_STRATEGY");
    expect(result.stderr).toContain("random");
    expect(result.stderr).toContain("round-robin");
    expect(result.stdout).toBe("");
  });

  it("lists every bad setting at once and prints no secret", async () => {
    const env = {
      PAGERDUTY_API_KEY: "bad key TOKEN-VALUE",
      WEBHOOK_SECRET_KEY: "bad\u0001secret SECRET-VALUE", // whitespace separates secrets; \u0001 is refused
      PORT: "99999",
      ALLOWED_IPS: "300.1.1.1",
      LOG_LEVEL: "loud",
      CONFIG_DIR: dir.path,
    };
    const result = await runCli(["serve"], env);
    expect(result.code).toBe(2);
    for (const name of [
      "PAGERDUTY_API_KEY",
      "WEBHOOK_SECRET_KEY",
      "PAGERDUTY_ESCALATION_POLICY_ID",
      "PORT",
      "ALLOWED_IPS",
      "LOG_LEVEL",
    ]) {
      expect(result.stderr).toContain(name);
    }
    expect(result.stderr).not.toContain("TOKEN-VALUE");
    expect(result.stderr).not.toContain("SECRET-VALUE");
  });
});
