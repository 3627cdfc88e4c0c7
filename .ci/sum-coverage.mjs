// Prints one coverage line per workspace package from vitest's json-summary reports (coverage/).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const root = new URL("..", import.meta.url).pathname;
const pct = (metric) => `${metric.pct.toFixed(1)}%`.padStart(6);
for (const group of ["packages", "apps"]) {
  for (const name of readdirSync(join(root, group))) {
    const report = join(root, group, name, "coverage", "coverage-summary.json");
    if (!existsSync(report)) {
      console.log(`coverage ${group}/${name}: no report`);
      continue;
    }
    const { total } = JSON.parse(readFileSync(report, "utf8"));
    console.log(
      `coverage ${`${group}/${name}:`.padEnd(28)} lines ${pct(total.lines)}  statements ${pct(total.statements)}` +
        `  functions ${pct(total.functions)}  branches ${pct(total.branches)}`,
    );
  }
}
