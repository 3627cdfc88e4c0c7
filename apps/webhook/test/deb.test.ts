import { execFileSync, spawnSync } from "node:child_process";
import {
  chmodSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  writeFileSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import {
  createFakePagerDuty,
  type FakePagerDuty,
  sampleScenario,
} from "@pagerduty-voys/pagerduty-source/testing";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { APP_DIR, get, runNode, type ServerProcess, startServer } from "./helpers/cli-process.js";

const HAS_DPKG_DEB = spawnSync("dpkg-deb", ["--version"]).status === 0;
const HAS_LINTIAN = spawnSync("lintian", ["--version"]).status === 0;
const VERSION = (JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8")) as { version: string })
  .version;
const BUNDLE = "usr/lib/pagerduty-voys-webhook/pagerduty-voys-webhook.mjs";

if (!HAS_DPKG_DEB) {
  console.warn("deb.test.ts: SKIPPED, dpkg-deb is not installed (apt-get install dpkg-dev or dpkg)");
}
if (HAS_DPKG_DEB && !HAS_LINTIAN) {
  console.warn("deb.test.ts: lintian SKIPPED, it is not installed (apt-get install lintian; .ci/run does)");
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
    expect(field("Depends")).toBe("nodejs (>= 20), init-system-helpers (>= 1.54~)");
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
    expect(entry("usr/share/doc/pagerduty-voys-webhook/changelog.gz")).toBeDefined();
    expect(entry("usr/share/man/man1/pagerduty-voys-webhook.1.gz")).toBeDefined();
    for (const example of ["rules.yml", "rules.test.yml", "grafana.json"]) {
      expect(
        entry(`usr/share/doc/pagerduty-voys-webhook/examples/pagerduty-voys-webhook.${example}`),
      ).toBeDefined();
    }
    // serve and check are chunks of their own, loaded on demand: --version stays quick.
    expect(listing).toMatch(/ \.\/usr\/lib\/pagerduty-voys-webhook\/chunks\/serve-\w+\.mjs\n/);
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
    expect(postinst).not.toMatch(/^\s*(systemctl|deb-systemd-invoke) (start|restart|enable)/m);
    expect(postinst).not.toMatch(/^\s*systemctl enable/m);
    expect(postinst).toContain("[ -d /run/systemd/system ]");
    expect(postinst).toContain("systemd-sysusers");
  });

  it.skipIf(!HAS_LINTIAN)(
    "passes lintian with no errors and no warnings (overrides: CONFIG_DIR's and the env file's modes)",
    () => {
      const run = spawnSync("lintian", ["--fail-on", "error,warning", "--no-tag-display-limit", deb], {
        encoding: "utf8",
      });
      expect(run.stdout + run.stderr).not.toMatch(/^[EW]: /m);
      expect(run.status, run.stdout + run.stderr).toBe(0);
      // Overrides stay few, and each says why.
      const overrides = execFileSync(
        "sh",
        [
          "-c",
          'dpkg-deb --fsys-tarfile "$1" | tar -xO ./usr/share/lintian/overrides/pagerduty-voys-webhook',
          "sh",
          deb,
        ],
        { encoding: "utf8" },
      )
        .trim()
        .split("\n");
      const tags = overrides.filter((line) => !line.startsWith("#"));
      expect(tags).toHaveLength(2);
      for (const tag of tags) expect(overrides[overrides.indexOf(tag) - 1]).toMatch(/^# \w/);
    },
    180_000,
  );

  describe("maintainer scripts keep the administrator's enable/disable choice (deb-systemd-helper)", () => {
    // The scripts run for real; the system commands they call are stubs that log their arguments,
    // and DPKG_ROOT points the paths they test at a scratch root.
    let control: string;
    let stubs: string;
    let root: string;
    beforeAll(() => {
      control = join(work, "scripts");
      execFileSync("dpkg-deb", ["-e", deb, control]);
      stubs = join(work, "stubs");
      mkdirSync(stubs, { recursive: true });
      const stub = (body: string) => `#!/bin/sh\necho "$(basename "$0") $*" >> "$STUB_LOG"\n${body}\n`;
      for (const name of [
        "deb-systemd-invoke",
        "systemctl",
        "systemd-sysusers",
        "chgrp",
        "chmod",
        "rm",
        "rmdir",
      ]) {
        writeFileSync(join(stubs, name), stub("exit 0"));
      }
      writeFileSync(join(stubs, "getent"), stub("exit 0")); // the user exists
      writeFileSync(join(stubs, "stat"), stub("echo root"));
      // was-enabled answers $WAS_ENABLED (0 = enabled); every other action succeeds.
      writeFileSync(
        join(stubs, "deb-systemd-helper"),
        stub('if [ "$1" = --quiet ] && [ "$2" = was-enabled ]; then exit "$WAS_ENABLED"; fi\nexit 0'),
      );
      for (const name of readdirSync(stubs)) chmodSync(join(stubs, name), 0o755);
    });
    beforeEach(() => {
      root = mkdtempSync(join(work, "dpkg-root-"));
    });

    /** Runs a maintainer script; returns the stubbed commands it called, one per line. */
    function script(name: string, args: string[], wasEnabled: boolean): string[] {
      const log = join(root, "calls.log");
      writeFileSync(log, "");
      const run = spawnSync("sh", [join(control, name), ...args], {
        encoding: "utf8",
        env: {
          PATH: `${stubs}:/usr/bin:/bin`,
          STUB_LOG: log,
          WAS_ENABLED: wasEnabled ? "0" : "1",
          DPKG_ROOT: root,
        },
      });
      expect(run.status, run.stderr).toBe(0);
      return readFileSync(log, "utf8").trim().split("\n");
    }
    const UNIT = "pagerduty-voys-webhook-server.service";

    it("a first install enables the unit and starts nothing", () => {
      const calls = script("postinst", ["configure", ""], true);
      expect(calls).toContain(`deb-systemd-helper enable ${UNIT}`);
      expect(calls.join("\n")).not.toMatch(/start|restart/);
    });

    it("an upgrade leaves a unit the administrator disabled disabled", () => {
      const dsh = join(root, "var/lib/systemd/deb-systemd-helper-enabled");
      mkdirSync(dsh, { recursive: true });
      writeFileSync(join(dsh, `${UNIT}.dsh-also`), "");
      const calls = script("postinst", ["configure", "0.1.0"], false);
      expect(calls).toContain(`deb-systemd-helper update-state ${UNIT}`);
      expect(calls).not.toContain(`deb-systemd-helper enable ${UNIT}`);
    });

    it("an upgrade keeps an enabled unit enabled", () => {
      const wants = join(root, "etc/systemd/system/multi-user.target.wants");
      mkdirSync(wants, { recursive: true });
      symlinkSync(`/usr/lib/systemd/system/${UNIT}`, join(wants, UNIT));
      const calls = script("postinst", ["configure", "0.1.0"], true);
      expect(calls).toContain(`deb-systemd-helper enable ${UNIT}`);
    });

    it("an upgrade from a version without deb-systemd-helper state keeps a disabled unit disabled", () => {
      // No state file and no WantedBy link: enabled once by the old postinst, disabled since.
      const calls = script("postinst", ["configure", "0.0.9"], true);
      expect(calls).toContain(`deb-systemd-helper update-state ${UNIT}`);
      expect(calls).not.toContain(`deb-systemd-helper enable ${UNIT}`);
    });

    it("remove masks the unit, a reinstall unmasks it, and purge forgets it", () => {
      expect(script("postrm", ["remove"], true)).toContain(`deb-systemd-helper mask ${UNIT}`);
      expect(script("postinst", ["configure", ""], true)).toContain(`deb-systemd-helper unmask ${UNIT}`);
      const purge = script("postrm", ["purge"], true);
      expect(purge).toContain(`deb-systemd-helper purge ${UNIT}`);
      expect(purge).toContain(`deb-systemd-helper unmask ${UNIT}`);
      expect(purge).toContain(`rm -rf ${root}/var/lib/pagerduty-voys-webhook`);
    });
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
