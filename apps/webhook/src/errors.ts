import { PdvError } from "@pagerduty-voys/core";

/** Stable error codes of the webhook app. */
export const WEBHOOK_ERROR_CODES = {
  /** The configuration is missing or invalid; `problems` lists every problem. */
  CONFIG_INVALID: "PDV_ERR_CONFIG_INVALID",
  /** The command line could not be understood. */
  CLI_USAGE: "PDV_ERR_CLI_USAGE",
  /** The code asked for a setting that `SETTINGS` does not define (a programming error). */
  SETTING_UNKNOWN: "PDV_ERR_CONFIG_SETTING_UNKNOWN",
} as const;

/** An error of the webhook app (a core `PdvError`), with a stable `code`. */
export class WebhookAppError extends PdvError {
  /** Every configuration problem, when the code is PDV_ERR_CONFIG_INVALID. */
  readonly problems: readonly string[];

  /** Creates an error with a code, a message (never a secret), an optional cause and the problems found. */
  constructor(
    code: string,
    message: string,
    options: { cause?: unknown; problems?: readonly string[] } = {},
  ) {
    super(code, message, { cause: options.cause });
    this.name = "WebhookAppError";
    this.problems = options.problems ?? [];
  }
}

/** The error thrown by `loadConfigOrThrow` for an invalid configuration. */
export function configInvalidError(problems: readonly string[]): WebhookAppError {
  const message = `invalid configuration:\n${problems.map((p) => `  - ${p}`).join("\n")}`;
  return new WebhookAppError(WEBHOOK_ERROR_CODES.CONFIG_INVALID, message, { problems });
}

/** The code of `buildServer`'s options errors (also raised for strategy modules that cannot load). */
const SERVER_OPTIONS_INVALID = "PDV_ERR_SERVER_OPTIONS_INVALID";

/**
 * The configuration problems behind an error thrown while building the server, or undefined when it
 * is not a configuration problem. Options-invalid errors are configuration problems: `serve` exits 2
 * for them (never 1, which systemd would restart in a loop).
 */
export function configProblemsOf(error: unknown): string[] | undefined {
  const { code, problems, message } = (error ?? {}) as {
    code?: unknown;
    problems?: unknown;
    message?: unknown;
  };
  if (code !== SERVER_OPTIONS_INVALID && code !== WEBHOOK_ERROR_CODES.CONFIG_INVALID) return undefined;
  const list = Array.isArray(problems) ? problems.map(String) : [];
  return list.length > 0 ? list : [String(message ?? code)];
}
