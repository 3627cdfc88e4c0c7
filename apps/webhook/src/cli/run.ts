import { parseArgs } from "./args.js";
import { type CliIo, processIo } from "./io.js";
import { VERSION } from "./version.js";

/**
 * Runs the CLI; resolves with the exit code, or undefined while `serve` keeps running. `--version`
 * and usage errors load nothing else; help, check and serve are imported only when asked for, so
 * that the quick answers do not pay for loading the server (tsup puts each in a chunk of its own).
 */
export async function run(argv: readonly string[], io: CliIo = processIo()): Promise<number | undefined> {
  const request = parseArgs(argv);
  switch (request.kind) {
    case "help": {
      const { helpText } = await import("./help.js");
      io.stdout(helpText());
      return 0;
    }
    case "version":
      io.stdout(`${VERSION}\n`);
      return 0;
    case "usage-error":
      io.stderr(`pagerduty-voys-webhook: ${request.message}\nRun pagerduty-voys-webhook --help for usage.\n`);
      return 2;
    case "check": {
      const { check } = await import("./check.js");
      return check(io, undefined, request.json ? "json" : "text");
    }
    case "serve": {
      const { serve } = await import("./serve.js");
      return serve(io);
    }
  }
}
