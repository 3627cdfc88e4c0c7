#!/usr/bin/env node
import { run } from "./cli/run.js";

run(process.argv.slice(2)).then(
  (code) => {
    if (code !== undefined) process.exit(code);
  },
  (error: unknown) => {
    process.stderr.write(
      `pagerduty-voys-webhook: ${error instanceof Error ? error.message : String(error)}\n`,
    );
    process.exit(1);
  },
);
