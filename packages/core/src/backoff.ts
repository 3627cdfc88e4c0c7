import { errorCode } from "./errors.js";

/** How the wait between failed refreshes grows. */
export interface BackoffOptions {
  /** Wait before the first retry, before jitter. Default 1 000 ms. */
  readonly initialMs?: number;
  /** Ceiling of the wait, before jitter. Default 60 000 ms. */
  readonly maxMs?: number;
  /**
   * `equal` (default): a random wait in `[d/2, d]`, never close to zero, so a dead upstream is not
   * hammered; `full`: a random wait in `[0, d]`, which spreads many clients the most.
   */
  readonly jitter?: "full" | "equal";
}

/** Backoff defaults: 1 s doubling to 60 s, equal jitter. */
export const DEFAULT_BACKOFF: Required<BackoffOptions> = Object.freeze({
  initialMs: 1_000,
  maxMs: 60_000,
  jitter: "equal",
});

/** The jittered wait before retry number `attempt` (1 = first retry): `initialMs · 2^(attempt−1)`, capped. */
export function backoffDelayMs(
  attempt: number,
  options: Required<BackoffOptions>,
  random: () => number,
): number {
  const exponent = Math.max(0, Math.min(attempt - 1, 52));
  const ceiling = Math.min(options.maxMs, options.initialMs * 2 ** exponent);
  const r = Math.min(Math.max(random(), 0), 1);
  const wait = options.jitter === "full" ? ceiling * r : ceiling / 2 + (ceiling / 2) * r;
  return Math.round(wait);
}

/** The wait the failing side asked for: its numeric `retryAfterMs`, else a default for a bare rate limit. */
export function requestedWaitMs(error: unknown, rateLimitDefaultWaitMs: number): number | undefined {
  const hint = (error as { retryAfterMs?: unknown } | null | undefined)?.retryAfterMs;
  if (typeof hint === "number" && hint >= 0 && hint < Number.POSITIVE_INFINITY) return hint;
  if (errorCode(error)?.endsWith("RATE_LIMITED")) return rateLimitDefaultWaitMs;
  return undefined;
}

/** The wait before the next retry: the backoff, or longer when the failing side asked for longer. */
export function retryDelayMs(
  error: unknown,
  attempt: number,
  options: Required<BackoffOptions>,
  random: () => number,
  rateLimitDefaultWaitMs: number,
): number {
  const backoff = backoffDelayMs(attempt, options, random);
  const requested = requestedWaitMs(error, rateLimitDefaultWaitMs);
  return requested === undefined ? backoff : Math.max(backoff, requested);
}
