import { type BackoffOptions, DEFAULT_BACKOFF } from "./backoff.js";
import { assertNoProblems } from "./errors.js";
import { silentLogger } from "./logger.js";
import { realTimers, type Timers } from "./timers.js";
import type { Logger, OnCallSource } from "./types.js";
import { checkFunction, checkNumber } from "./validate.js";

/** What `onRefresh` hears after every refresh, for metrics. */
export interface RefreshReport {
  /** Whether the refresh succeeded. */
  readonly ok: boolean;
  /** How long it took, by the roster's clock. */
  readonly durationMs: number;
  /** Code and message of the failure, when it failed. */
  readonly error?: { readonly code: string; readonly message: string };
}

/** Longest lookahead: 89 days, a day under PagerDuty's 90-day `/oncalls` limit (clock skew margin). */
export const MAX_LOOKAHEAD_MS = 89 * 24 * 60 * 60 * 1000;

/** Options of `createRefreshingRoster`. */
export interface RefreshingRosterOptions {
  /** Where shifts come from. */
  readonly source: OnCallSource;
  /** Escalation policies to hold, fetched together in one refresh. */
  readonly policyIds: readonly string[];
  /** Name for logs. Default `roster`. */
  readonly name?: string;
  /** Wait between successful refreshes. Default 60 000. */
  readonly refreshIntervalMs?: number;
  /** Length of the window `[now, now + lookahead]` each refresh fetches. Default 24 h; at most 89 days (clamped). */
  readonly lookaheadMs?: number;
  /** Bound on a whole refresh; it is aborted after this. Default 30 000. */
  readonly refreshTimeoutMs?: number;
  /** Age of the last success after which health says `stale`. Default 300 000. */
  readonly staleAfterMs?: number;
  /** Retry backoff after a failed refresh. Default `{ initialMs: 1000, maxMs: 60000, jitter: "equal" }`. */
  readonly backoff?: BackoffOptions;
  /** Wait after a rate-limit error (code ending in `RATE_LIMITED`) without `retryAfterMs`. Default 60 000. */
  readonly rateLimitDefaultWaitMs?: number;
  /** The clock. Default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Monotonic milliseconds, to tell a stepped wall clock from elapsed time. Default
   * `performance.now()`; when only `now` is injected, the default follows `now` (no skew check).
   */
  readonly monotonicNow?: () => number;
  /** Disagreement between the wall and monotonic clocks that counts as a clock jump. Default 5 000. */
  readonly clockJumpToleranceMs?: number;
  /** Random numbers in [0, 1) for jitter. Default `Math.random`. */
  readonly random?: () => number;
  /** Timer functions. Default Node's; every timer is unref'd. */
  readonly timers?: Timers;
  /** Where to log. Default: nowhere. */
  readonly logger?: Logger;
  /** Called after every refresh (for metrics); exceptions it throws are ignored. */
  readonly onRefresh?: (report: RefreshReport) => void;
}

/** The options with every default filled in. */
export interface ResolvedRosterOptions
  extends Required<Omit<RefreshingRosterOptions, "onRefresh" | "backoff" | "policyIds">> {
  readonly policyIds: readonly string[];
  readonly backoff: Required<BackoffOptions>;
  readonly onRefresh: ((report: RefreshReport) => void) | undefined;
}

/** The problem with a list of policy ids (empty when it is a non-empty array of non-empty strings). */
export function policyIdProblems(ids: unknown): string[] {
  if (!Array.isArray(ids) || ids.length === 0 || ids.some((id) => typeof id !== "string" || id === "")) {
    return ["policyIds: expected a non-empty array of policy ids"];
  }
  return [];
}

function collectProblems(options: RefreshingRosterOptions): string[] {
  const problems: string[] = [];
  const source = options.source as Partial<OnCallSource> | undefined;
  if (typeof source?.shifts !== "function")
    problems.push("source: expected an object with a shifts() method");
  problems.push(...policyIdProblems(options.policyIds));
  checkNumber(problems, "refreshIntervalMs", options.refreshIntervalMs, 1);
  checkNumber(problems, "lookaheadMs", options.lookaheadMs, 1);
  checkNumber(problems, "refreshTimeoutMs", options.refreshTimeoutMs, 1);
  checkNumber(problems, "staleAfterMs", options.staleAfterMs, 0);
  checkNumber(problems, "backoff.initialMs", options.backoff?.initialMs, 1);
  checkNumber(problems, "backoff.maxMs", options.backoff?.maxMs, options.backoff?.initialMs ?? 1);
  const jitter = options.backoff?.jitter;
  if (jitter !== undefined && jitter !== "full" && jitter !== "equal") {
    problems.push(`backoff.jitter: expected "full" or "equal", got ${String(jitter)}`);
  }
  checkNumber(problems, "rateLimitDefaultWaitMs", options.rateLimitDefaultWaitMs, 0);
  checkNumber(problems, "clockJumpToleranceMs", options.clockJumpToleranceMs, 1);
  for (const name of ["now", "monotonicNow", "random", "onRefresh"] as const)
    checkFunction(problems, name, options[name]);
  return problems;
}

/** Validates every option (one error listing every problem) and fills in the defaults. */
export function resolveRosterOptions(options: RefreshingRosterOptions): ResolvedRosterOptions {
  assertNoProblems("roster", collectProblems(options));
  const now = options.now ?? (() => new Date());
  return Object.freeze({
    source: options.source,
    policyIds: Object.freeze([...new Set(options.policyIds)]),
    name: options.name ?? "roster",
    refreshIntervalMs: options.refreshIntervalMs ?? 60_000,
    lookaheadMs: Math.min(options.lookaheadMs ?? 24 * 60 * 60 * 1000, MAX_LOOKAHEAD_MS),
    refreshTimeoutMs: options.refreshTimeoutMs ?? 30_000,
    staleAfterMs: options.staleAfterMs ?? 300_000,
    backoff: Object.freeze({ ...DEFAULT_BACKOFF, ...definedOnly(options.backoff) }),
    rateLimitDefaultWaitMs: options.rateLimitDefaultWaitMs ?? 60_000,
    now,
    monotonicNow: options.monotonicNow ?? (options.now ? () => now().getTime() : () => performance.now()),
    clockJumpToleranceMs: options.clockJumpToleranceMs ?? 5_000,
    random: options.random ?? Math.random,
    timers: options.timers ?? realTimers,
    logger: options.logger ?? silentLogger,
    onRefresh: options.onRefresh,
  });
}

function definedOnly(backoff: BackoffOptions | undefined): BackoffOptions {
  if (!backoff) return {};
  return Object.fromEntries(Object.entries(backoff).filter(([, value]) => value !== undefined));
}
