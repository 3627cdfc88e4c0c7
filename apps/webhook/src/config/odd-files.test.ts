import { execFileSync } from "node:child_process";
import { mkdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { configLoader } from "../../test/helpers/config-loading.js";
import { type TempConfigDir, tempConfigDir } from "../../test/helpers/temp-config-dir.js";

let dir: TempConfigDir;
beforeEach(() => {
  dir = tempConfigDir();
});
afterEach(() => dir.remove());
const { errors } = configLoader(() => dir.path);

const mkfifo = (path: string) => execFileSync("mkfifo", [path]);

describe("odd configuration files: refused at once, naming the file (exit 2), never read unbounded", () => {
  it("config.yaml as a FIFO does not hang", () => {
    const path = join(dir.path, "config.yaml");
    mkfifo(path);
    expect(errors()).toEqual([`${path}: is a FIFO; expected a regular file`]);
  }, 5_000);

  it("config.yaml as a symlink to /dev/zero, or a directory", () => {
    const path = join(dir.path, "config.yaml");
    symlinkSync("/dev/zero", path);
    expect(errors()).toEqual([`${path}: is a device; expected a regular file`]);
  });

  it("config.yaml as a directory", () => {
    const path = join(dir.path, "config.yaml");
    mkdirSync(path);
    expect(errors()).toEqual([`${path}: is a directory; expected a regular file`]);
  });

  it("a dangling config.yaml symlink is an error, not 'no routes'", () => {
    const path = join(dir.path, "config.yaml");
    symlinkSync(join(dir.path, "gone.yaml"), path);
    expect(errors()).toEqual([
      `${path}: is a symbolic link to ${join(dir.path, "gone.yaml")}, which does not exist`,
    ]);
  });

  it("a config.yaml over 1 MiB is refused unread", () => {
    const path = dir.write("config.yaml", `# ${"x".repeat(1024 * 1024)}\nroutes: []\n`);
    expect(errors()).toEqual([`${path}: is larger than 1048576 bytes`]);
  });

  it("a YAML alias bomb is refused", () => {
    const lines = ['a: &a ["x","x","x","x","x","x","x","x","x"]'];
    for (let i = 0; i < 8; i += 1) {
      const prev = String.fromCharCode(97 + i);
      const next = String.fromCharCode(98 + i);
      lines.push(
        `${next}: &${next} [*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev},*${prev}]`,
      );
    }
    const path = dir.write("config.yaml", `${lines.join("\n")}\nroutes: []\n`);
    expect(errors()).toEqual([expect.stringMatching(new RegExp(`^${path}: invalid YAML: .*alias`))]);
  });

  it("seed files as a FIFO, /dev/zero or a directory name the setting and the file", () => {
    mkfifo(join(dir.path, "secret_key"));
    symlinkSync("/dev/zero", join(dir.path, "api_key"));
    mkdirSync(join(dir.path, "routing_key"));
    writeFileSync(join(dir.path, "escalation_policy_id"), "P".repeat(70 * 1024));
    expect(errors({})).toEqual([
      `PAGERDUTY_API_KEY: ${join(dir.path, "api_key")} is a device; expected a regular file`,
      `WEBHOOK_SECRET_KEY: ${join(dir.path, "secret_key")} is a FIFO; expected a regular file`,
      `PAGERDUTY_ESCALATION_POLICY_ID: ${join(dir.path, "escalation_policy_id")} is larger than 65536 bytes`,
      `PAGERDUTY_ROUTING_KEY: ${join(dir.path, "routing_key")} is a directory; expected a regular file`,
    ]);
  }, 5_000);
});
