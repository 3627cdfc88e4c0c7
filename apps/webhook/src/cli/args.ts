/** What the command line asks for. */
export type CliRequest =
  | { readonly kind: "serve" }
  | { readonly kind: "check"; readonly json: boolean }
  | { readonly kind: "help" }
  | { readonly kind: "version" }
  | { readonly kind: "usage-error"; readonly message: string };

/** Parses argv (without node and the script): one optional command, `--json` (check), `--help`, `--version`. */
export function parseArgs(argv: readonly string[]): CliRequest {
  let command: "serve" | "check" | undefined;
  let wantsHelp = false;
  let wantsVersion = false;
  let json = false;
  for (const arg of argv) {
    if (arg === "-h" || arg === "--help" || arg === "help") wantsHelp = true;
    else if (arg === "-v" || arg === "-V" || arg === "--version" || arg === "version") wantsVersion = true;
    else if (arg === "--json") json = true;
    else if ((arg === "serve" || arg === "check") && command === undefined) command = arg;
    else if (arg.startsWith("-"))
      return { kind: "usage-error", message: `unknown option ${JSON.stringify(arg)}` };
    else
      return {
        kind: "usage-error",
        message: `unknown command ${JSON.stringify(arg)} (commands: serve, check)`,
      };
  }
  if (wantsHelp) return { kind: "help" };
  if (wantsVersion) return { kind: "version" };
  if (command === "check") return { kind: "check", json };
  if (json) return { kind: "usage-error", message: "--json applies to check only" };
  return { kind: "serve" };
}
