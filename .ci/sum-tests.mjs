// Sums vitest's JSON reports into the one line CI reads: "N passed, M failed".
//   node .ci/sum-tests.mjs collect <label>   moves every package's test-results.json into
//                                            ci-results/<label>/ and prints that run's line to stderr
//   node .ci/sum-tests.mjs [extra-failures]  sums every collected run (or, when nothing was
//                                            collected, the packages' reports in place)
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const resultsDir = join(root, "ci-results");

function packageDirs() {
  return ["packages", "apps", "examples"].flatMap((group) =>
    readdirSync(join(root, group)).map((name) => ({
      label: `${group}/${name}`,
      dir: join(root, group, name),
    })),
  );
}

/** Counts of one vitest JSON report; a report that is missing counts as one failure. */
function count(report, label) {
  if (report === undefined) {
    console.error(`no test report from: ${label}`);
    return { passed: 0, failed: 1, skipped: 0 };
  }
  const json = JSON.parse(report);
  // A suite that fails to load has no failed tests but is a failure all the same.
  const broken = json.testResults.filter((r) => r.status === "failed" && r.assertionResults.length === 0);
  return {
    passed: json.numPassedTests,
    failed: json.numFailedTests + broken.length,
    skipped: json.numPendingTests + (json.numTodoTests ?? 0),
  };
}

function add(total, part) {
  total.passed += part.passed;
  total.failed += part.failed;
  total.skipped += part.skipped;
}

const line = (t) => `${t.passed} passed, ${t.failed} failed${t.skipped > 0 ? `, ${t.skipped} skipped` : ""}`;
const read = (file) => (existsSync(file) ? readFileSync(file, "utf8") : undefined);

if (process.argv[2] === "collect") {
  const label = process.argv[3] ?? "run";
  const target = join(resultsDir, label);
  mkdirSync(target, { recursive: true });
  const total = { passed: 0, failed: 0, skipped: 0 };
  for (const { label: pkg, dir } of packageDirs()) {
    const report = read(join(dir, "test-results.json"));
    add(total, count(report, `${pkg} (${label})`));
    const file = join(target, `${pkg.replace("/", "__")}.json`);
    if (report === undefined) writeFileSync(file, "missing\n");
    else renameSync(join(dir, "test-results.json"), file);
  }
  console.error(`${label}: ${line(total)}`);
  process.exit(0);
}

const total = { passed: 0, failed: Number(process.argv[2] ?? 0) || 0, skipped: 0 };
if (existsSync(resultsDir)) {
  for (const run of readdirSync(resultsDir).sort()) {
    for (const name of readdirSync(join(resultsDir, run)).sort()) {
      const text = readFileSync(join(resultsDir, run, name), "utf8");
      add(
        total,
        count(
          text === "missing\n" ? undefined : text,
          `${name.replace("__", "/").replace(/\.json$/, "")} (${run})`,
        ),
      );
    }
  }
} else {
  for (const { label, dir } of packageDirs()) add(total, count(read(join(dir, "test-results.json")), label));
}
console.log(line(total));
process.exit(total.failed > 0 ? 1 : 0);
