import { PdvError } from "@pagerduty-voys/core";

/** Error codes of the server package; stable, never reused. */
export const SERVER_ERROR_CODES = {
  /** `buildServer` or `voysWebhook` options are invalid; `problems` lists each as `path: message`. */
  OPTIONS_INVALID: "PDV_ERR_SERVER_OPTIONS_INVALID",
  /** The Redis support of `@pagerduty-voys/core/redis` could not be loaded or started. */
  REDIS_UNAVAILABLE: "PDV_ERR_SERVER_REDIS_UNAVAILABLE",
  /** A routing strategy picked someone who is not a candidate, or a number that is not theirs. */
  STRATEGY_BAD_PICK: "PDV_ERR_SERVER_STRATEGY_BAD_PICK",
  /** A routing strategy threw, rejected, or did not pick within the guard's bound. */
  STRATEGY_FAILED: "PDV_ERR_SERVER_STRATEGY_FAILED",
  /** A reload could not be applied (PagerDuty refused the new api_key or URL); the running configuration stays. */
  RELOAD_FAILED: "PDV_ERR_SERVER_RELOAD_FAILED",
} as const;

/** One of {@link SERVER_ERROR_CODES}. */
export type ServerErrorCode = (typeof SERVER_ERROR_CODES)[keyof typeof SERVER_ERROR_CODES];

/** An error raised by the server package (a core `PdvError`); `code` is one of {@link SERVER_ERROR_CODES}. */
export class ServerError extends PdvError {
  /** Stable machine-readable code. */
  declare readonly code: ServerErrorCode;
  /** Every problem found, as `path: message` (options validation only). */
  readonly problems: readonly string[];

  /** Creates an error with a code, a message (never a secret), an optional cause and the problems found. */
  constructor(code: ServerErrorCode, message: string, options?: { cause?: unknown; problems?: string[] }) {
    super(code, message, { cause: options?.cause });
    this.name = "ServerError";
    this.problems = Object.freeze([...(options?.problems ?? [])]);
  }
}

/** Throws one `PDV_ERR_SERVER_OPTIONS_INVALID` listing every problem, when there are any. */
export function throwIfProblems(what: string, problems: string[]): void {
  if (problems.length === 0) return;
  throw new ServerError(
    SERVER_ERROR_CODES.OPTIONS_INVALID,
    `invalid ${what}:\n${problems.map((p) => `  ${p}`).join("\n")}`,
    { problems },
  );
}
