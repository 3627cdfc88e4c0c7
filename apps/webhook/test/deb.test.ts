import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createFakePagerDuty,
  type FakePagerDuty,
  sampleScenario,
} from "@pagerduty-voys/pagerduty-source/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { APP_DIR, get, runNode, type ServerProcess, startServer } from "./helpers/cli-process.js";

const HAS_DPKG_DEB = spawnSync("dpkg-deb", ["--version"]).status === 0;
const VERSION = (JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8")) as { version: string })
  .version;
const BUNDLE = "usr/lib/pagerduty-voys-webhook/pagerduty-voys-webhook.mjs";

if (!HAS_DPKG_DEB) {
  console.warn("deb.test.ts: SKIPPED, dpkg-deb is not installed (apt-get install dpkg-dev or dpkg)");
}

describe.skipIf(!HAS_DPKG_DEB)("the Debian package (skipped only when dpkg-deb is absent)", () => {
  let work: string;
  let deb: string;

  beforeAll(async () => {
    work = mkdtempSync(join(tmpdir(), "pdv-deb-"));
    const built = await runNode(join(APP_DIR, "scripts", "build-deb.mjs"), [join(work, "out")], {}, 120_000);
    if (built.code !== 0) throw new Error(`build-deb failed:\n${built.stderr}`);
    deb = built.stdout.trim().split("\n").pop() ?? "";
  }, 180_000);
  afterAll(() => rmSync(work, { recursive: true, force: true }));

  it("is named pagerduty-voys-webhook_<version>_all.deb", () => {
    expect(deb).toBe(join(work, "out", `pagerduty-voys-webhook_${VERSION}_all.deb`));
    expect(statSync(deb).size).toBeGreaterThan(10_000);
  });

  it("carries the control fields", () => {
    const info = execFileSync("dpkg-deb", ["-I", deb], { encoding: "utf8" });
    const field = (name: string) => execFileSync("dpkg-deb", ["-f", deb, name], { encoding: "utf8" }).trim();
    expect(field("Package")).toBe("pagerduty-voys-webhook");
    expect(field("Version")).toBe(VERSION);
    expect(field("Architecture")).toBe("all");
    expect(field("Depends")).toBe("nodejs (>= 20)");
    expect(field("Maintainer")).not.toBe("");
    expect(field("Section")).not.toBe("");
    expect(field("Priority")).toBe("optional");
    expect(field("Description")).toContain("PagerDuty");
    for (const script of ["postinst", "prerm", "postrm", "conffiles"]) expect(info).toContain(script);
  });

  it("contains the bundle, an executable command, the unit, sysusers, the env conffile and a 0750 CONFIG_DIR", () => {
    const listing = execFileSync("dpkg-deb", ["-c", deb], { encoding: "utf8" });
    const entry = (path: string) => listing.split("\n").find((line) => line.endsWith(` ./${path}`));
    expect(entry("usr/bin/pagerduty-voys-webhook")).toMatch(/^-rwxr-xr-x root\/root /);
    expect(entry(BUNDLE)).toMatch(/^-rw-r--r-- root\/root /);
    expect(entry("usr/lib/systemd/system/pagerduty-voys-webhook-server.service")).toBeDefined();
    expect(entry("usr/lib/sysusers.d/pagerduty-voys-webhook.conf")).toBeDefined();
    expect(entry("etc/default/pagerduty-voys-webhook")).toBeDefined();
    expect(entry("etc/pagerduty-voys-webhook/")).toMatch(/^drwxr-x--- root\/root /);
    expect(entry("usr/share/doc/pagerduty-voys-webhook/copyright")).toBeDefined();
    expect(listing).not.toContain("node_modules");
  });

  it("ships maintainer scripts that are valid sh, never start the service, and guard systemd", () => {
    const control = join(work, "control");
    execFileSync("dpkg-deb", ["-e", deb, control]);
    expect(readFileSync(join(control, "conffiles"), "utf8")).toBe("/etc/default/pagerduty-voys-webhook\n");
    for (const script of ["postinst", "prerm", "postrm"]) {
      expect(spawnSync("sh", ["-n", join(control, script)]).status).toBe(0);
      expect(statSync(join(control, script)).mode & 0o111).not.toBe(0);
    }
    const postinst = readFileSync(join(control, "postinst"), "utf8");
    expect(postinst).not.toMatch(/^\s*systemctl (start|restart|enable --now)/m);
    expect(postinst).toContain("[ -d /run/systemd/system ]");
    expect(postinst).toContain("systemd-sysusers");
  });

  describe("unpacked with dpkg-deb -x", () => {
    let root: string;
    let fake: FakePagerDuty;
    let server: ServerProcess | undefined;
    beforeAll(async () => {
      root = join(work, "root");
      execFileSync("dpkg-deb", ["-x", deb, root]);
      fake = await createFakePagerDuty({ scenario: sampleScenario() });
    });
    afterAll(async () => {
      await server?.kill();
      await fake.close();
    });

    it("has a /usr/bin wrapper that runs node on the bundle", () => {
      const wrapper = readFileSync(join(root, "usr/bin/pagerduty-voys-webhook"), "utf8");
      expect(wrapper).toBe(`#!/bin/sh\nexec node /${BUNDLE} "$@"\n`);
    });

    it("serves the webhook from the bundle alone (no node_modules), configured by env variables", async () => {
      const configDir = join(root, "etc/pagerduty-voys-webhook");
      server = await startServer(
        {
          PAGERDUTY_API_KEY: fake.token,
          PAGERDUTY_API_URL: fake.url,
          WEBHOOK_SECRET_KEY: "deb-secret-0123456789",
          PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
          CONFIG_DIR: configDir,
        },
        join(root, BUNDLE),
      );
      const answer = await get("127.0.0.1", server.port, "/voys-webhook?secret_key=deb-secret-0123456789");
      expect(answer.status).toBe(200);
      expect(answer.body).toMatch(/^status=ACK&destination=%2B316(11111111|22222222)$/);
      const version = await runNode(join(root, BUNDLE), ["--version"], {});
      expect(version.stdout).toBe(`${VERSION}\n`);
    });
  });
});
