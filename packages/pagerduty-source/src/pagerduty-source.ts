import type { BackoffOptions, Logger, OnCallSource, Shift, TimeWindow } from "@pagerduty-voys/core";
import { PAGERDUTY_ERROR_CODES as CODES, PagerDutyError } from "./errors.js";
import { fetchOnCalls, type OnCallEntry } from "./oncalls.js";
import type { PagerDutyUser } from "./pagerduty-types.js";
import { toShifts } from "./shifts.js";
import { createTransport, type PagerDutyRequestEvent } from "./transport.js";
import { createUserDirectory } from "./users.js";

/** Options of {@link createPagerDutySource}. */
export interface PagerDutySourceOptions {
  /** PagerDuty REST API key (a read-only key is enough). Never logged, never in error messages. */
  readonly apiKey: string;
  /** API base URL. Default `https://api.pagerduty.com` (EU: `https://api.eu.pagerduty.com`). */
  readonly apiUrl?: string;
  /** Timeout of each HTTP request in ms. Default 5000. */
  readonly requestTimeoutMs?: number;
  /** How long a user's contact details stay cached, in ms. Default 300000 (5 minutes). */
  readonly userCacheTtlMs?: number;
  /** At most this many user requests at once. Default 4. */
  readonly userConcurrency?: number;
  /** Clock for the user cache. Default `() => new Date()`. */
  readonly now?: () => Date;
  /**
   * Monotonic milliseconds, for user cache ages and the backoff while `/users` fails. Default
   * `performance.now()`, or following `now` when only `now` is injected.
   */
  readonly monotonicNow?: () => number;
  /** Backoff of user requests while `/users` fails. Default 1 s doubling to 60 s, equal jitter. */
  readonly userBackoff?: BackoffOptions;
  /** Receives warnings (a user's details failing) and debug lines. Never given the key or whole numbers. */
  readonly logger?: Logger;
  /** Called after every HTTP request, e.g. to count requests by endpoint and result. */
  readonly onRequest?: (event: PagerDutyRequestEvent) => void;
}

/** Default PagerDuty API base URL. */
export const DEFAULT_PAGERDUTY_API_URL = "https://api.pagerduty.com";

interface ResolvedOptions {
  readonly apiKey: string;
  readonly apiUrl: string;
  readonly requestTimeoutMs: number;
  readonly userCacheTtlMs: number;
  readonly userConcurrency: number;
}

/**
 * An OnCallSource reading PagerDuty: `/oncalls` of the policies (all pages, all levels), then each
 * distinct user's details (cached, bounded concurrency) for their phone numbers. Rejects with a
 * PagerDutyError; a 429 carries `retryAfterMs` when PagerDuty said how long to wait.
 */
export function createPagerDutySource(options: PagerDutySourceOptions): OnCallSource {
  const resolved = resolveOptions(options);
  const now = options.now ?? (() => new Date());
  const transport = createTransport({
    apiKey: resolved.apiKey,
    apiUrl: resolved.apiUrl,
    requestTimeoutMs: resolved.requestTimeoutMs,
    onRequest: options.onRequest,
  });
  const users = createUserDirectory({
    transport,
    ttlMs: resolved.userCacheTtlMs,
    concurrency: resolved.userConcurrency,
    now,
    monotonicNow: options.monotonicNow ?? (options.now ? () => now().getTime() : () => performance.now()),
    backoff: options.userBackoff,
    logger: options.logger,
  });

  async function shifts(
    policyIds: readonly string[],
    window: TimeWindow,
    signal: AbortSignal,
    progress?: (resolved: readonly Shift[]) => void,
  ): Promise<Shift[]> {
    const entries = await fetchOnCalls(transport, policyIds, window, signal, options.logger);
    const userIds = entries.map((entry) => entry.userId);
    const details = await users.lookup(userIds, signal, progress && progressReporter(entries, progress));
    const result = toShifts(entries, details);
    options.logger?.debug(
      { policies: policyIds.length, entries: entries.length, shifts: result.length, users: details.size },
      "pagerduty: on-call shifts read",
    );
    return result;
  }

  return Object.freeze({ name: "pagerduty", shifts });
}

/**
 * Hears each user whose details are settled and hands `progress` the shifts of the settled users,
 * about twenty times per load (the roster answers from them while it has nothing complete).
 */
function progressReporter(
  entries: readonly OnCallEntry[],
  progress: (resolved: readonly Shift[]) => void,
): (id: string, user: PagerDutyUser | undefined) => void {
  const total = new Set(entries.map((entry) => entry.userId)).size;
  const step = Math.max(1, Math.ceil(total / 20));
  const settled = new Map<string, PagerDutyUser | undefined>();
  return (id, user) => {
    settled.set(id, user);
    if (settled.size % step !== 0 && settled.size !== total) return;
    try {
      progress(
        toShifts(
          entries.filter((entry) => settled.has(entry.userId)),
          settled,
        ),
      );
    } catch {
      // A listener's failure must not fail the load.
    }
  };
}

function resolveOptions(options: PagerDutySourceOptions): ResolvedOptions {
  const resolved = {
    apiKey: options?.apiKey,
    apiUrl: options?.apiUrl ?? DEFAULT_PAGERDUTY_API_URL,
    requestTimeoutMs: options?.requestTimeoutMs ?? 5_000,
    userCacheTtlMs: options?.userCacheTtlMs ?? 300_000,
    userConcurrency: options?.userConcurrency ?? 4,
  };
  const problems: string[] = [];
  if (typeof resolved.apiKey !== "string" || resolved.apiKey.trim() === "") {
    problems.push("apiKey: expected a non-empty string");
  } else if (!/^[\x21-\x7e]+$/.test(resolved.apiKey)) {
    // Otherwise the HTTP client would throw with the whole header value (the key) in its message.
    problems.push("apiKey: expected printable ASCII without spaces");
  }
  if (!isHttpUrl(resolved.apiUrl)) problems.push("apiUrl: expected an http:// or https:// URL");
  if (!isPositive(resolved.requestTimeoutMs)) problems.push("requestTimeoutMs: expected a number > 0");
  if (!(isPositive(resolved.userCacheTtlMs) || resolved.userCacheTtlMs === 0)) {
    problems.push("userCacheTtlMs: expected a number ≥ 0");
  }
  if (!Number.isInteger(resolved.userConcurrency) || resolved.userConcurrency < 1) {
    problems.push("userConcurrency: expected an integer ≥ 1");
  }
  if (problems.length > 0) {
    throw new PagerDutyError(
      CODES.INVALID_OPTIONS,
      `Invalid PagerDuty source options: ${problems.join("; ")}`,
    );
  }
  return resolved as ResolvedOptions;
}

function isHttpUrl(value: unknown): boolean {
  if (typeof value !== "string") return false;
  try {
    const url = new URL(value);
    return (url.protocol === "https:" || url.protocol === "http:") && url.search === "" && url.hash === "";
  } catch {
    return false;
  }
}

function isPositive(value: unknown): boolean {
  return typeof value === "number" && Number.isFinite(value) && value > 0;
}
