/** Every error code the core throws or reports, stable once published (never reused). */
export const CORE_ERROR_CODES = {
  /** An option of a core factory is invalid; the message lists every problem. */
  OPTIONS_INVALID: "PDV_ERR_CORE_OPTIONS_INVALID",
  /** `createStrategy` was given a name it does not know. */
  STRATEGY_UNKNOWN: "PDV_ERR_STRATEGY_UNKNOWN",
  /** A strategy module cannot be loaded, exports no factory, or its factory failed or returned no strategy. */
  STRATEGY_MODULE_INVALID: "PDV_ERR_STRATEGY_MODULE_INVALID",
  /** A strategy was asked to pick among no reachable candidates (a programming error). */
  ROUTING_NO_CANDIDATES: "PDV_ERR_ROUTING_NO_CANDIDATES",
  /** A counter behind round-robin rejected or gave a non-number; the pick used memory instead. */
  ROUTING_COUNTER_FAILED: "PDV_ERR_ROUTING_COUNTER_FAILED",
  /** A sticky-caller store rejected; the pick went on without stickiness. */
  STICKY_STORE_FAILED: "PDV_ERR_STICKY_STORE_FAILED",
  /** A roster refresh took longer than `refreshTimeoutMs`. */
  ROSTER_TIMEOUT: "PDV_ERR_ROSTER_TIMEOUT",
  /** A roster refresh was aborted because the roster stopped. */
  ROSTER_STOPPED: "PDV_ERR_ROSTER_STOPPED",
  /** The source failed without a code of its own. */
  ROSTER_SOURCE_FAILED: "PDV_ERR_ROSTER_SOURCE_FAILED",
  /** The source resolved with something other than an array of shifts. */
  ROSTER_BAD_SHIFTS: "PDV_ERR_ROSTER_BAD_SHIFTS",
  /** The optional peer dependency `ioredis` is not installed. */
  REDIS_MISSING: "PDV_ERR_REDIS_MISSING",
  /** A Redis URL is not `redis://` or `rediss://`, or does not parse. */
  REDIS_INVALID_URL: "PDV_ERR_REDIS_INVALID_URL",
  /** A Redis command failed without a code of its own (connection lost, refused...). */
  REDIS_COMMAND_FAILED: "PDV_ERR_REDIS_COMMAND_FAILED",
  /** A Redis command did not answer within `commandTimeoutMs`. */
  REDIS_TIMEOUT: "PDV_ERR_REDIS_TIMEOUT",
} as const;

/** One of the core's error codes. */
export type CoreErrorCode = (typeof CORE_ERROR_CODES)[keyof typeof CORE_ERROR_CODES];

/** Options of {@link PdvError}. */
export interface PdvErrorOptions {
  /** The underlying error. */
  cause?: unknown;
  /** How long the thrower asks the caller to wait before trying again (rate limiting). */
  retryAfterMs?: number;
}

/** Base class of every pagerduty-voys error: a stable `code` (`PDV_ERR_<AREA>_<WHAT>`) and a `cause`. */
export class PdvError extends Error {
  /** Stable machine-readable code, e.g. `PDV_ERR_STRATEGY_UNKNOWN`. */
  readonly code: string;
  /** Milliseconds the thrower asks to wait before retrying, when it knows. */
  readonly retryAfterMs: number | undefined;

  /** Creates an error with a code, a message (never a secret) and an optional cause. */
  constructor(code: string, message: string, options: PdvErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.code = code;
    this.retryAfterMs = options.retryAfterMs;
  }
}

/** True when `value` is a {@link PdvError} (or any error carrying a string `code`, across package copies). */
export function isPdvError(value: unknown): value is PdvError {
  return value instanceof PdvError || (value instanceof Error && typeof errorCode(value) === "string");
}

/** The string `code` of an error-like value, or undefined. */
export function errorCode(value: unknown): string | undefined {
  if (typeof value !== "object" || value === null) return undefined;
  const code = (value as { code?: unknown }).code;
  return typeof code === "string" ? code : undefined;
}

/** `{ code, message }` of any thrown value, for logs and health (`fallbackCode` when it has no code). */
export function describeError(value: unknown, fallbackCode: string): { code: string; message: string } {
  const code = errorCode(value) ?? fallbackCode;
  if (value instanceof Error) return { code, message: value.message };
  return { code, message: typeof value === "string" ? value : "non-error value thrown" };
}

/** Throws one PDV_ERR_CORE_OPTIONS_INVALID error listing every problem, when there are any. */
export function assertNoProblems(what: string, problems: readonly string[]): void {
  if (problems.length === 0) return;
  throw new PdvError(CORE_ERROR_CODES.OPTIONS_INVALID, `invalid ${what} options: ${problems.join("; ")}`);
}
