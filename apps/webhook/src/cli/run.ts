import { parseArgs } from "./args.js";
import { check } from "./check.js";
import { helpText } from "./help.js";
import { type CliIo, processIo } from "./io.js";
import { serve } from "./serve.js";
import { VERSION } from "./version.js";

/** Runs the CLI; resolves with the exit code, or undefined while `serve` keeps running. */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number | undefined> {
  const request = parseArgs(argv);
  switch (request.kind) {
    case "help":
      io.stdout(helpText());
      return 0;
    case "version":
      io.stdout(`${VERSION}\n`);
      return 0;
    case "usage-error":
      io.stderr(`pagerduty-voys-webhook: ${request.message}\nRun pagerduty-voys-webhook --help for usage.\n`);
      return 2;
    case "check":
      return check(io);
    case "serve":
      return serve(io);
  }
}
