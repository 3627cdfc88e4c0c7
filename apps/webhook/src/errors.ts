import { PdvError } from "@pagerduty-voys/core";

/** Stable error codes of the webhook app. */
export const WEBHOOK_ERROR_CODES = {
  /** The configuration is missing or invalid; `problems` lists every problem. */
  CONFIG_INVALID: "PDV_ERR_CONFIG_INVALID",
  /** The command line could not be understood. */
  CLI_USAGE: "PDV_ERR_CLI_USAGE",
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
