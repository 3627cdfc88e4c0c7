#!/usr/bin/env node
// Builds build/pagerduty-voys-webhook_<version>_all.deb with dpkg-deb: the CLI bundled into one ESM
// entry file plus the chunks it loads on demand (no node_modules at run time), a /usr/bin wrapper,
// the systemd unit, sysusers.d, the env file (a conffile), /etc/pagerduty-voys-webhook (0750), a
// manual page, the changelog, examples and maintainer scripts. Prints the .deb's path.
// Needs the workspace packages built first (`pnpm package:deb` at the root does that).
import { execFileSync } from "node:child_process";
import { chmodSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { dirname, join, relative, sep } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { build } from "esbuild";

const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "..");
const NAME = "pagerduty-voys-webhook";
const UNIT = "pagerduty-voys-webhook-server.service";
const LIB_DIR = `/usr/lib/${NAME}`;
const BUNDLE = `${LIB_DIR}/${NAME}.mjs`;
const MAINTAINER = "pagerduty-voys-webhook maintainers <maintainers@pagerduty-voys.example>";

// CJS dependencies (pdjs, ioredis, pino…) call require(); give the ESM bundle a real one.
const BANNER = [
  'import { createRequire as __pdvCreateRequire } from "node:module";',
  'import { fileURLToPath as __pdvFileURLToPath } from "node:url";',
  'import { dirname as __pdvDirname } from "node:path";',
  "const require = __pdvCreateRequire(import.meta.url);",
  "const __filename = __pdvFileURLToPath(import.meta.url);",
  "const __dirname = __pdvDirname(__filename);",
].join("\n");

/**
 * Bundles src/cli.ts and everything it imports into `outdir`: the entry file and, split off, the
 * chunks that `serve`, `check` and `--help` import on demand (so --version stays quick). Returns the
 * bundled npm packages.
 */
async function bundle(outdir) {
  const result = await build({
    entryPoints: { [NAME]: join(APP_DIR, "src/cli.ts") },
    outdir,
    splitting: true,
    chunkNames: "chunks/[name]-[hash]",
    outExtension: { ".js": ".mjs" },
    absWorkingDir: APP_DIR,
    bundle: true,
    platform: "node",
    format: "esm",
    target: "node20",
    banner: { js: BANNER },
    legalComments: "none",
    metafile: true,
    logLevel: "error",
  });
  return bundledPackages(Object.keys(result.metafile.inputs));
}

/** Every npm package whose files went into the bundle: `name@version (license)` and its directory. */
function bundledPackages(inputs) {
  const packages = new Map();
  for (const input of inputs) {
    const parts = input.split(/[\\/]/);
    const at = parts.lastIndexOf("node_modules");
    if (at === -1) continue;
    const nameParts = parts[at + 1]?.startsWith("@")
      ? parts.slice(at + 1, at + 3)
      : parts.slice(at + 1, at + 2);
    const dir = join(APP_DIR, ...parts.slice(0, at + 1), ...nameParts);
    if (packages.has(dir)) continue;
    try {
      const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"));
      packages.set(dir, { dir, label: `${pkg.name}@${pkg.version} (${pkg.license ?? "see its package"})` });
    } catch {
      packages.set(dir, { dir, label: nameParts.join("/") });
    }
  }
  return [...packages.values()].sort((a, b) => a.label.localeCompare(b.label));
}

/** The license files of the bundled packages, one after the other. */
function thirdPartyLicenses(bundled) {
  const sections = [];
  for (const { dir, label } of bundled) {
    const file = readdirSync(dir).find((name) => /^(licen[cs]e|copying)(\.|$)/i.test(name));
    const text =
      file === undefined
        ? "(no license file in the package; see its package.json)"
        : readFileSync(join(dir, file), "utf8").trim();
    sections.push(`${"=".repeat(78)}\n${label}\n${"=".repeat(78)}\n\n${text}\n`);
  }
  return `Third-party packages bundled into ${BUNDLE}\n\n${sections.join("\n")}`;
}

function put(root, path, content, mode) {
  const file = join(root, path);
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, content);
  chmodSync(file, mode);
}

function copyright(version, bundled) {
  const license = readFileSync(join(APP_DIR, "LICENSE"), "utf8").trim();
  const body = license
    .split("\n")
    .map((line) => (line.trim() === "" ? " ." : ` ${line}`))
    .join("\n");
  return [
    "Format: https://www.debian.org/doc/packaging-manuals/copyright-format/1.0/",
    `Upstream-Name: ${NAME}`,
    "Source: https://github.com/pagerduty-voys/pagerduty-voys-webhook",
    "",
    "Files: *",
    "Copyright: 2026 The pagerduty-voys-webhook contributors",
    "License: MIT",
    "",
    `Comment: ${BUNDLE} (version ${version}) also bundles these npm packages;`,
    " their license texts are in THIRD-PARTY-LICENSES next to this file:",
    ...bundled.map((entry) => ` ${entry.label}`),
    "",
    "License: MIT",
    body,
    "",
  ].join("\n");
}

/** The package's Debian changelog (a native package: one entry for this version). */
function changelog(version) {
  const epoch = Number(process.env.SOURCE_DATE_EPOCH ?? Math.floor(Date.now() / 1000));
  const date = new Date(epoch * 1000).toUTCString().replace("GMT", "+0000");
  return [
    `${NAME} (${version}) unstable; urgency=medium`,
    "",
    `  * Release ${version}; see /usr/share/doc/${NAME}/README.md.`,
    "",
    ` -- ${MAINTAINER}  ${date}`,
    "",
  ].join("\n");
}

/** A manual page made of the CLI's own --help text, so the two cannot disagree. */
function manPage(version, help) {
  const escaped = help
    .trimEnd()
    .split("\n")
    .map((line) => line.replace(/\\/g, "\\e").replace(/^([.'])/, "\\&$1"))
    .join("\n");
  return [
    `.TH PAGERDUTY-VOYS-WEBHOOK 1 "" "${NAME} ${version}" "User Commands"`,
    ".SH NAME",
    `${NAME} \\- route Voys calls to whoever is on call in PagerDuty`,
    ".SH SYNOPSIS",
    `.B ${NAME}`,
    "[serve|check [--json]] [--help] [--version]",
    ".SH DESCRIPTION",
    ".nf",
    escaped,
    ".fi",
    ".SH SEE ALSO",
    `/usr/share/doc/${NAME}/README.md`,
    "",
  ].join("\n");
}

// Deliberate departures from Debian's defaults, each with its reason (lintian overrides).
const LINTIAN_OVERRIDES = [
  "# CONFIG_DIR holds the API key and the webhook secret: only root and the service's group may read it.",
  `${NAME}: non-standard-dir-perm 0750 != 0755 [etc/${NAME}/]`,
  "# The environment file may hold PAGERDUTY_API_KEY and WEBHOOK_SECRET_KEY.",
  `${NAME}: non-standard-file-perm 0640 != 0644 [etc/default/${NAME}]`,
  "",
].join("\n");

function control(version, installedSize) {
  return [
    `Package: ${NAME}`,
    `Version: ${version}`,
    "Architecture: all",
    `Maintainer: ${MAINTAINER}`,
    `Installed-Size: ${installedSize}`,
    "Depends: nodejs (>= 20), init-system-helpers (>= 1.54~)",
    "Recommends: systemd",
    "Section: net",
    "Priority: optional",
    "Homepage: https://github.com/pagerduty-voys/pagerduty-voys-webhook",
    "Description: Voys webhook that routes calls to whoever is on call in PagerDuty",
    ' Answers the Voys (VoIPGRID) "Variable destination" webhook with the phone',
    " number of the person on call in a PagerDuty escalation policy, from memory,",
    " and keeps answering while PagerDuty is slow or down. Runs as",
    " pagerduty-voys-webhook-server.service and reads the original program's files",
    " in /etc/pagerduty-voys-webhook.",
    "",
  ].join("\n");
}

function sizeKiB(dir) {
  let bytes = 0;
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) bytes += entry.name === "DEBIAN" ? 0 : sizeKiB(path) * 1024;
    else bytes += statSync(path).size;
  }
  return Math.ceil(bytes / 1024);
}

/** Stages the package root under `outDir` and builds the .deb; resolves with its path. */
export async function buildDeb(outDir = join(APP_DIR, "build")) {
  const pkg = JSON.parse(readFileSync(join(APP_DIR, "package.json"), "utf8"));
  const version = pkg.version.replace(/-/g, "~"); // 1.0.0-beta.1 sorts before 1.0.0 in Debian as 1.0.0~beta.1
  const root = join(outDir, "deb-root");
  rmSync(root, { recursive: true, force: true });
  mkdirSync(root, { recursive: true });
  chmodSync(root, 0o755);
  const bundled = await bundle(join(root, LIB_DIR));
  // The entry keeps src/cli.ts's #! line, but /usr/bin's wrapper runs it with node: a plain module.
  const entry = join(root, BUNDLE);
  writeFileSync(entry, readFileSync(entry, "utf8").replace(/^#!.*\n/, ""));
  fixFileModes(join(root, LIB_DIR));
  const help = execFileSync(process.execPath, [entry, "--help"], { encoding: "utf8" });
  const deploy = (name) => readFileSync(join(APP_DIR, "deploy", name));
  put(root, `/usr/bin/${NAME}`, `#!/bin/sh\nexec node ${BUNDLE} "$@"\n`, 0o755);
  put(root, `/usr/lib/systemd/system/${UNIT}`, deploy(UNIT), 0o644);
  put(root, `/usr/lib/sysusers.d/${NAME}.conf`, deploy(`${NAME}.sysusers`), 0o644);
  put(root, `/etc/default/${NAME}`, deploy(`${NAME}.env.example`), 0o640);
  mkdirSync(join(root, "etc", NAME), { recursive: true });
  chmodSync(join(root, "etc", NAME), 0o750);
  put(root, `/usr/share/doc/${NAME}/copyright`, copyright(version, bundled), 0o644);
  put(root, `/usr/share/doc/${NAME}/THIRD-PARTY-LICENSES`, thirdPartyLicenses(bundled), 0o644);
  put(root, `/usr/share/doc/${NAME}/README.md`, readFileSync(join(APP_DIR, "README.md")), 0o644);
  put(
    root,
    `/usr/share/${NAME}/config.schema.json`,
    readFileSync(join(APP_DIR, "dist", "config.schema.json")),
    0o644,
  );
  put(root, `/usr/share/doc/${NAME}/changelog.gz`, gzipSync(changelog(version), { level: 9 }), 0o644);
  put(root, `/usr/share/man/man1/${NAME}.1.gz`, gzipSync(manPage(version, help), { level: 9 }), 0o644);
  put(root, `/usr/share/lintian/overrides/${NAME}`, LINTIAN_OVERRIDES, 0o644);
  for (const example of [
    "haproxy.cfg.example",
    "voys-url-template.example",
    `${NAME}.rules.yml`,
    `${NAME}.rules.test.yml`,
    `${NAME}.grafana.json`,
    "config.yaml.example",
  ]) {
    put(root, `/usr/share/doc/${NAME}/examples/${example}`, deploy(example), 0o644);
  }
  put(root, "/DEBIAN/control", control(version, sizeKiB(root)), 0o644);
  put(root, "/DEBIAN/conffiles", `/etc/default/${NAME}\n`, 0o644);
  for (const script of ["postinst", "prerm", "postrm"])
    put(root, `/DEBIAN/${script}`, deploy(`debian/${script}`), 0o755);
  fixDirectoryModes(root);
  const deb = join(outDir, `${NAME}_${version}_all.deb`);
  execFileSync("dpkg-deb", ["--root-owner-group", "-Zxz", "--build", root, deb], {
    stdio: ["ignore", "ignore", "inherit"],
  });
  return deb;
}

/** Every file under `dir` 0644 (the bundle and its chunks are read by node, not executed). */
function fixFileModes(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) fixFileModes(path);
    else chmodSync(path, 0o644);
  }
}

/** Every staged directory 0755 (whatever the umask), except CONFIG_DIR's 0750. */
function fixDirectoryModes(root) {
  const walk = (dir) => {
    for (const entry of readdirSync(dir, { withFileTypes: true })) {
      if (!entry.isDirectory()) continue;
      const path = join(dir, entry.name);
      const rel = `/${relative(root, path).split(sep).join("/")}`;
      chmodSync(path, rel === `/etc/${NAME}` ? 0o750 : 0o755);
      walk(path);
    }
  };
  walk(root);
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  buildDeb(process.argv[2]).then(
    (deb) => process.stdout.write(`${deb}\n`),
    (error) => {
      process.stderr.write(`build-deb: ${error instanceof Error ? error.message : String(error)}\n`);
      process.exit(1);
    },
  );
}
