import { spawn } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sampleScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { SETTINGS } from "../src/config/settings.js";
import { useBlackBox } from "./helpers/black-box.js";
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

/** Wall time of `node <args>` to its exit, in ms; rejects on a non-zero exit. */
function timeNode(args: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const started = process.hrtime.bigint();
    const child = spawn(process.execPath, args, { stdio: "ignore", cwd: APP_DIR });
    child.once("error", reject);
    child.once("exit", (code) => {
      const ms = Number(process.hrtime.bigint() - started) / 1e6;
      if (code === 0) resolve(ms);
      else reject(new Error(`node ${args.join(" ")} exited with ${code}`));
    });
  });
}

describe("the built CLI is quick for --help and --version", () => {
  // Interleaved runs, so that a busy moment of the (shared) machine hits both sides alike; each side
  // is judged by its fastest run, the one least disturbed by other load. No absolute time is asserted.
  it("--version and --help take at most 1.5 times `node -e 0` (they do not load the server)", async () => {
    const cli = join(APP_DIR, "dist", "cli.js");
    const times: Record<"bare" | "version" | "help", number[]> = { bare: [], version: [], help: [] };
    for (let round = 0; round < 12; round++) {
      times.bare.push(await timeNode(["-e", "0"]));
      times.version.push(await timeNode([cli, "--version"]));
      times.help.push(await timeNode([cli, "--help"]));
    }
    const bare = Math.min(...times.bare);
    const summary = JSON.stringify(times, (_, v) => (typeof v === "number" ? Math.round(v) : v));
    expect(Math.min(...times.version) / bare, summary).toBeLessThanOrEqual(1.5);
    expect(Math.min(...times.help) / bare, summary).toBeLessThanOrEqual(1.5);
  }, 120_000);

  it("keeps the bin's own chunk small: serve and check are separate chunks loaded on demand", () => {
    const bin = readFileSync(join(APP_DIR, "dist", "cli.js"), "utf8");
    expect(bin).toMatch(/await import\("\.\/serve-[\w-]+\.js"\)/);
    expect(bin).toMatch(/await import\("\.\/check-[\w-]+\.js"\)/);
    expect(bin).not.toContain("fastify");
    expect(bin.length).toBeLessThan(8_000);
  });
});

describe("check --json (the built bin)", () => {
  const box = useBlackBox(sampleScenario, {
    WEBHOOK_SECRET_KEY: "black-box-secret-0123",
    PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
  });
  const WHOLE_NUMBER = /\+?\d{9,}/;

  it("prints one JSON document: who is on call per route, masked, and the text report", async () => {
    const result = await runCli(["check", "--json"], box.env());
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: true, exitCode: 0, errors: [] });
    expect(report.routes).toHaveLength(1);
    expect(report.routes[0]).toMatchObject({
      name: "default",
      policyId: "PDEMO01",
      level: 1,
      answer: "responder",
    });
    expect(report.routes[0].onCallNow.map((r: { id: string }) => r.id)).toEqual(["PUSER01", "PUSER02"]);
    expect(report.report.join("\n")).toContain("the API key works");
    expect(result.stdout + result.stderr).not.toMatch(WHOLE_NUMBER);
  });

  it("says fallback or nak when nobody at the route's level is on call", async () => {
    const nak = JSON.parse(
      (await runCli(["check", "--json"], box.env({ PAGERDUTY_ESCALATION_LEVEL: "3" }))).stdout,
    );
    expect(nak.routes[0]).toMatchObject({ answer: "nak", onCallNow: [], fallback: null });
    const env = box.env({ PAGERDUTY_ESCALATION_LEVEL: "3", FALLBACK_NUMBER: "+31201234567" });
    const fallback = JSON.parse((await runCli(["check", "--json"], env)).stdout);
    expect(fallback.routes[0]).toMatchObject({ answer: "fallback" });
    expect(fallback.routes[0].fallback).not.toMatch(WHOLE_NUMBER);
  });

  it("exits 1 with ok false and the reason when PagerDuty refuses the key", async () => {
    const result = await runCli(["check", "--json"], box.env({ PAGERDUTY_API_KEY: "wrong-key-123" }));
    expect(result.code).toBe(1);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: false, exitCode: 1 });
    expect(report.errors.join("\n")).toContain("PagerDuty refused the API key");
    expect(result.stdout).not.toContain("wrong-key-123");
  });

  it("exits 2 with every configuration problem in errors", async () => {
    const result = await runCli(["check", "--json"], box.env({ PORT: "99999", LOG_LEVEL: "loud" }));
    expect(result.code).toBe(2);
    const report = JSON.parse(result.stdout);
    expect(report).toMatchObject({ ok: false, exitCode: 2, routes: [] });
    expect(report.errors.join("\n")).toContain("PORT");
    expect(report.errors.join("\n")).toContain("LOG_LEVEL");
  });
});
