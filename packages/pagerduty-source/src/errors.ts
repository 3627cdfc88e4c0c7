import { PdvError } from "@pagerduty-voys/core";

/** Every error code this package throws, stable once published (never reused). */
export const PAGERDUTY_ERROR_CODES = {
  /** 401: the API key was refused. Fails the whole refresh. */
  UNAUTHORIZED: "PDV_ERR_PAGERDUTY_UNAUTHORIZED",
  /** 403: the key is valid but may not read this resource. Fails the whole refresh. */
  FORBIDDEN: "PDV_ERR_PAGERDUTY_FORBIDDEN",
  /** 404: the resource (e.g. a user) does not exist. */
  NOT_FOUND: "PDV_ERR_PAGERDUTY_NOT_FOUND",
  /** 429: rate limited; `retryAfterMs` comes from `ratelimit-reset` when PagerDuty sent it. */
  RATE_LIMITED: "PDV_ERR_PAGERDUTY_RATE_LIMITED",
  /** 5xx, a non-JSON error page, or no connection at all (refused, reset, DNS). */
  UNAVAILABLE: "PDV_ERR_PAGERDUTY_UNAVAILABLE",
  /** No answer within `requestTimeoutMs` (or a 408, or the caller's signal timed out). */
  TIMEOUT: "PDV_ERR_PAGERDUTY_TIMEOUT",
  /** A 2xx answer we cannot use (not JSON, wrong shape), or more than 10000 on-call entries. */
  BAD_RESPONSE: "PDV_ERR_PAGERDUTY_BAD_RESPONSE",
  /** Another 4xx (400, 402, ...): PagerDuty refused the request as we sent it. */
  BAD_REQUEST: "PDV_ERR_PAGERDUTY_BAD_REQUEST",
  /** The caller's AbortSignal aborted the request (for a reason other than a timeout). */
  ABORTED: "PDV_ERR_PAGERDUTY_ABORTED",
  /** `createPagerDutySource` was given invalid options; the message lists every problem. */
  INVALID_OPTIONS: "PDV_ERR_PAGERDUTY_INVALID_OPTIONS",
} as const;

/** One of this package's error codes. */
export type PagerDutyErrorCode = (typeof PAGERDUTY_ERROR_CODES)[keyof typeof PAGERDUTY_ERROR_CODES];

/** Details carried by a {@link PagerDutyError}. */
export interface PagerDutyErrorDetails {
  /** The underlying error or value. */
  cause?: unknown;
  /** HTTP status, when PagerDuty answered. */
  status?: number | undefined;
  /** PagerDuty's own error code from the body (e.g. 2100 not found, 2020 rate limited). */
  pagerDutyCode?: number | undefined;
  /** Milliseconds PagerDuty asked us to wait (rate limiting), when it said. */
  retryAfterMs?: number | undefined;
}

/**
 * A failure talking to PagerDuty, with a stable `code` (a core `PdvError`; `retryAfterMs` says how
 * long PagerDuty asked us to wait, when it did). Messages never contain the API key.
 */
export class PagerDutyError extends PdvError {
  /** Stable machine-readable code, e.g. `PDV_ERR_PAGERDUTY_RATE_LIMITED`. */
  declare readonly code: PagerDutyErrorCode;
  /** HTTP status of PagerDuty's answer, when there was one. */
  readonly status: number | undefined;
  /** PagerDuty's error code from the response body, when it sent one. */
  readonly pagerDutyCode: number | undefined;

  /** Creates an error; `message` must not contain secrets. */
  constructor(code: PagerDutyErrorCode, message: string, details: PagerDutyErrorDetails = {}) {
    super(code, message, { cause: details.cause, retryAfterMs: details.retryAfterMs });
    this.name = "PagerDutyError";
    this.status = details.status;
    this.pagerDutyCode = details.pagerDutyCode;
  }
}

/** True when `value` is a {@link PagerDutyError} (also across duplicated package copies). */
export function isPagerDutyError(value: unknown): value is PagerDutyError {
  if (value instanceof PagerDutyError) return true;
  if (!(value instanceof Error) || value.name !== "PagerDutyError") return false;
  const code = (value as { code?: unknown }).code;
  return typeof code === "string" && code.startsWith("PDV_ERR_PAGERDUTY_");
}

/** The error code for a non-2xx HTTP status. */
export function codeForStatus(status: number): PagerDutyErrorCode {
  if (status === 401) return PAGERDUTY_ERROR_CODES.UNAUTHORIZED;
  if (status === 403) return PAGERDUTY_ERROR_CODES.FORBIDDEN;
  if (status === 404) return PAGERDUTY_ERROR_CODES.NOT_FOUND;
  if (status === 408) return PAGERDUTY_ERROR_CODES.TIMEOUT;
  if (status === 429) return PAGERDUTY_ERROR_CODES.RATE_LIMITED;
  if (status >= 500) return PAGERDUTY_ERROR_CODES.UNAVAILABLE;
  if (status >= 400) return PAGERDUTY_ERROR_CODES.BAD_REQUEST;
  return PAGERDUTY_ERROR_CODES.BAD_RESPONSE;
}

/** True for errors after which no further request can succeed: the key is refused or lacks rights. */
export function isAuthError(error: unknown): boolean {
  return (
    isPagerDutyError(error) &&
    (error.code === PAGERDUTY_ERROR_CODES.UNAUTHORIZED || error.code === PAGERDUTY_ERROR_CODES.FORBIDDEN)
  );
}
