// Stryker settings shared by every package's stryker.config.mjs (`pnpm mutation`; not in CI: a
// full run takes far too long on 2 cores). Reports: <package>/reports/mutation/ (gitignored).

import { fileURLToPath } from "node:url";

/** @type {import("@stryker-mutator/core").PartialStrykerOptions} */
export default {
  testRunner: "vitest",
  plugins: ["@stryker-mutator/vitest-runner"],
  // The shared vitest config itself, by absolute path: a package's one-line vitest.config.ts
  // re-exports it by a relative path that does not resolve from Stryker's sandbox.
  vitest: { configFile: fileURLToPath(new URL("./vitest.shared.ts", import.meta.url)) },
  coverageAnalysis: "perTest",
  concurrency: 1,
  timeoutMS: 10_000,
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: "reports/mutation/index.html" },
  jsonReporter: { fileName: "reports/mutation/mutation.json" },
  clearTextReporter: { allowColor: false, logTests: false },
  // Module-level mutants (constants) rerun every test: about half the time of a run for 8 % of the
  // mutants. Left out here; `pnpm mutation -- --ignoreStatic false` includes them.
  ignoreStatic: true,
  cleanTempDir: "always",
  thresholds: { high: 90, low: 85, break: null },
};
