import { SETTINGS } from "../config/settings.js";
import { VERSION } from "./version.js";

/** The `--help` text: commands, options, every setting with its file and default, exit codes. */
export function helpText(): string {
  const table = SETTINGS.map((spec) => ({
    name: spec.file === undefined ? spec.env : `${spec.env} [${spec.file}]`,
    fallback: spec.default.startsWith("required") ? "required" : spec.default,
    meaning: spec.meaning,
  }));
  const header = { name: "variable [file]", fallback: "default", meaning: "meaning" };
  const nameWidth = Math.max(...table.map((row) => row.name.length));
  const defaultWidth = Math.max(...table.map((row) => row.fallback.length));
  const rows = [header, ...table].map(
    (row) => `  ${row.name.padEnd(nameWidth)}  ${row.fallback.padEnd(defaultWidth)}  ${row.meaning}`,
  );
  return [
    `pagerduty-voys-webhook ${VERSION}`,
    "Answers Voys webhooks with the phone number of whoever is on call in PagerDuty.",
    "",
    "Usage: pagerduty-voys-webhook [serve|check [--json]] [--help] [--version]",
    "",
    "Commands:",
    "  serve      run the webhook server (the default command)",
    "  check      dry run against PagerDuty: is the API key accepted, who is on call per route",
    "             and level (numbers masked), who would get a call now and why not",
    "",
    "Options:",
    "  -h, --help     show this help",
    "  -v, --version  print the version",
    "  --json         (check) print the report as one JSON document on stdout, for scripts",
    "",
    "Configuration: environment variables; [file] = may instead be a file in CONFIG_DIR.",
    "Empty variables count as unset. Routes: optional CONFIG_DIR/config.yaml (see the README).",
    ...rows,
    "",
    "Exit codes: 0 ok; 1 PagerDuty refused the key or could not be reached (check), or the server",
    "failed; 2 invalid configuration or command line.",
    "",
  ].join("\n");
}
