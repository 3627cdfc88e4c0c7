import { PAGERDUTY_ERROR_CODES as CODES, codeForStatus, isPagerDutyError, PagerDutyError } from "./errors.js";

/** Reads one response header by lower-case name. */
export type HeaderReader = (name: string) => string | null | undefined;

/** What the transport knows about a failed request when it turns it into a {@link PagerDutyError}. */
export interface FailureContext {
  /** `GET /users/PABC123` (never a query string, never the token). */
  readonly what: string;
  /** The caller's signal. */
  readonly signal: AbortSignal;
  /** The per-request timeout signal. */
  readonly timeout: AbortSignal;
  /** The request timeout, for the message. */
  readonly timeoutMs: number;
  /** Headers of a 429 seen before pdjs could retry it, when one was. */
  readonly rateLimitHeaders: HeaderReader | undefined;
}

/** Milliseconds to wait according to `ratelimit-reset` (seconds), else `retry-after` (seconds); or undefined. */
function retryAfterMsFrom(header: HeaderReader): number | undefined {
  for (const name of ["ratelimit-reset", "retry-after"]) {
    const raw = header(name)?.trim();
    if (!raw || !/^\d+(\.\d+)?$/.test(raw)) continue;
    return Math.ceil(Number(raw) * 1000);
  }
  return undefined;
}

/** The error for an answer with a non-2xx status and (perhaps) PagerDuty's JSON error body. */
export function errorForStatus(
  what: string,
  status: number,
  body: unknown,
  header: HeaderReader,
  note = "",
): PagerDutyError {
  const code = codeForStatus(status);
  const detail = describeErrorBody(body);
  const suffix = (detail?.text ? `: ${detail.text}` : "") + note;
  const retryAfterMs = status === 429 ? retryAfterMsFrom(header) : undefined;
  return new PagerDutyError(code, `${lead(code)} (${what} answered ${status}${suffix})`, {
    status,
    pagerDutyCode: detail?.code,
    retryAfterMs,
  });
}

/** Turns whatever pdjs rejected with (or we threw) into a {@link PagerDutyError}. */
export function toPagerDutyError(raw: unknown, ctx: FailureContext): PagerDutyError {
  if (isPagerDutyError(raw)) return raw;
  if (ctx.rateLimitHeaders) return errorForStatus(ctx.what, 429, undefined, ctx.rateLimitHeaders);
  if (ctx.signal.aborted) return abortedError(ctx.what, ctx.signal.reason);
  if (ctx.timeout.aborted) {
    return new PagerDutyError(
      CODES.TIMEOUT,
      `PagerDuty did not answer ${ctx.what} within ${ctx.timeoutMs} ms`,
      {
        cause: ctx.timeout.reason,
      },
    );
  }
  if (isResponseLike(raw)) return nonJsonError(ctx.what, raw);
  const name = raw instanceof Error ? raw.name : typeof raw;
  const sysCode = (raw as { code?: unknown } | null)?.code;
  const reason = typeof sysCode === "string" ? sysCode : name;
  return new PagerDutyError(CODES.UNAVAILABLE, `Could not reach PagerDuty for ${ctx.what} (${reason})`, {
    cause: raw,
  });
}

/** The error for a request the caller's signal aborted: TIMEOUT when its reason is a TimeoutError. */
export function abortedError(what: string, reason: unknown): PagerDutyError {
  const timedOut = reason instanceof Error && reason.name === "TimeoutError";
  return timedOut
    ? new PagerDutyError(CODES.TIMEOUT, `${what} was cut short: the caller's time ran out`, { cause: reason })
    : new PagerDutyError(CODES.ABORTED, `${what} was aborted by the caller`, { cause: reason });
}

function nonJsonError(
  what: string,
  response: { status: number; headers: { get(n: string): string | null } },
) {
  const { status } = response;
  const type = response.headers.get("content-type") ?? "no content type";
  if (status >= 200 && status < 300) {
    return new PagerDutyError(
      CODES.BAD_RESPONSE,
      `PagerDuty answered ${what} with ${status} but no JSON (${type})`,
      {
        status,
      },
    );
  }
  const hint = status >= 300 && status < 400 ? "; a redirect: check apiUrl" : "";
  return errorForStatus(
    what,
    status,
    undefined,
    (n) => response.headers.get(n),
    `, not JSON: ${type}${hint}`,
  );
}

function isResponseLike(
  value: unknown,
): value is { status: number; headers: { get(n: string): string | null } } {
  if (typeof value !== "object" || value === null) return false;
  const candidate = value as { status?: unknown; headers?: { get?: unknown } };
  return typeof candidate.status === "number" && typeof candidate.headers?.get === "function";
}

function describeErrorBody(body: unknown): { text: string; code: number | undefined } | undefined {
  const error = (body as { error?: unknown } | null | undefined)?.error;
  if (typeof error !== "object" || error === null) return undefined;
  const { message, code, errors } = error as { message?: unknown; code?: unknown; errors?: unknown };
  const parts = [typeof message === "string" ? message : ""];
  if (Array.isArray(errors)) parts.push(...errors.filter((e): e is string => typeof e === "string"));
  const text = parts.filter(Boolean).join("; ").slice(0, 300);
  return { text, code: typeof code === "number" ? code : undefined };
}

/** How a request ended (a label for metrics). */
export type PagerDutyRequestResult =
  | "ok"
  | "unauthorized"
  | "forbidden"
  | "not_found"
  | "rate_limited"
  | "unavailable"
  | "timeout"
  | "error";

// Per error code: the metrics label of the request and the lead of the error message.
const REPORTS: Readonly<Record<string, { readonly result: PagerDutyRequestResult; readonly lead: string }>> =
  {
    [CODES.UNAUTHORIZED]: { result: "unauthorized", lead: "PagerDuty refused the API key" },
    [CODES.FORBIDDEN]: { result: "forbidden", lead: "The PagerDuty API key may not read this" },
    [CODES.NOT_FOUND]: { result: "not_found", lead: "Not found in PagerDuty" },
    [CODES.RATE_LIMITED]: { result: "rate_limited", lead: "PagerDuty rate limit reached" },
    [CODES.UNAVAILABLE]: { result: "unavailable", lead: "PagerDuty is unavailable" },
    [CODES.TIMEOUT]: { result: "timeout", lead: "PagerDuty timed out" },
  };

/** The metrics label of a request that failed with `code`. */
export function requestResultFor(code: string): PagerDutyRequestResult {
  return REPORTS[code]?.result ?? "error";
}

function lead(code: string): string {
  return REPORTS[code]?.lead ?? "PagerDuty rejected the request";
}
