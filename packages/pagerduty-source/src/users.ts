import { type BackoffOptions, backoffDelayMs, DEFAULT_BACKOFF, type Logger } from "@pagerduty-voys/core";
import { forEachLimited } from "./concurrency.js";
import { PAGERDUTY_ERROR_CODES as CODES, isAuthError, isPagerDutyError, PagerDutyError } from "./errors.js";
import type { PagerDutyUser } from "./pagerduty-types.js";
import type { Transport } from "./transport.js";
import { createUsersOutage } from "./users-outage.js";

/** Options of {@link createUserDirectory}. */
export interface UserDirectoryOptions {
  /** Where requests go. */
  readonly transport: Transport;
  /** How long fetched details count as fresh. */
  readonly ttlMs: number;
  /** At most this many user requests at once. */
  readonly concurrency: number;
  /** Wall clock (unused by the cache, which ages entries on `monotonicNow`). */
  readonly now: () => Date;
  /**
   * Monotonic milliseconds: cache ages and the backoff while `/users` fails, so a stepped wall clock
   * neither keeps old details for hours nor drops them all. Default: follows `now`.
   */
  readonly monotonicNow?: (() => number) | undefined;
  /** Backoff while `/users` fails. Default core's: 1 s doubling to 60 s, equal jitter. */
  readonly backoff?: BackoffOptions | undefined;
  /** Random numbers in [0, 1) for the jitter. Default `Math.random`. */
  readonly random?: (() => number) | undefined;
  /** Receives one line per outage of `/users`, per recovery, per gone user and per failing user. */
  readonly logger?: Logger | undefined;
}

/** Fetches and caches users' details (contact methods and notification rules). */
export interface UserDirectory {
  /**
   * Details for each distinct id: fresh from cache, fetched, or (when fetching fails with a
   * non-auth error, or `/users` is backing off) stale from cache; undefined when none could be had
   * or PagerDuty says the user is gone (404). Rejects on 401/403, on the caller's abort, and on a
   * 429 for a user without cached details. `resolved` hears each id as soon as its details are settled.
   */
  lookup(
    ids: readonly string[],
    signal: AbortSignal,
    resolved?: (id: string, user: PagerDutyUser | undefined) => void,
  ): Promise<Map<string, PagerDutyUser | undefined>>;
}

interface CacheEntry {
  readonly user: PagerDutyUser;
  readonly fetchedAt: number;
}

/**
 * Creates a user directory with a TTL cache (which outlives a timed-out refresh: details already
 * fetched stay), bounded concurrency, and a backoff shared by all users while `/users` fails.
 */
export function createUserDirectory(options: UserDirectoryOptions): UserDirectory {
  const cache = new Map<string, CacheEntry>();
  const gone = new Set<string>();
  const logger = options.logger;
  const clock = options.monotonicNow ?? (() => options.now().getTime());
  const outage = createUsersOutage({
    logger,
    monotonicNow: clock,
    delayMs: (attempt) =>
      backoffDelayMs(attempt, { ...DEFAULT_BACKOFF, ...options.backoff }, options.random ?? Math.random),
  });
  const isFresh = (entry: CacheEntry | undefined, at: number): entry is CacheEntry =>
    entry !== undefined && at - entry.fetchedAt < options.ttlMs && at >= entry.fetchedAt;

  async function lookup(
    ids: readonly string[],
    signal: AbortSignal,
    resolved?: (id: string, user: PagerDutyUser | undefined) => void,
  ) {
    const wanted = [...new Set(ids)];
    const results = new Map<string, PagerDutyUser | undefined>();
    const settle = (id: string, user: PagerDutyUser | undefined): void => {
      results.set(id, user);
      resolved?.(id, user);
    };
    const at = clock();
    const missing: string[] = [];
    for (const id of wanted) {
      const entry = cache.get(id);
      if (isFresh(entry, at)) settle(id, entry.user);
      else missing.push(id);
    }
    const round = outage.startRound(missing.length);
    const failed = new AbortController();
    const combined = AbortSignal.any([signal, failed.signal]);
    const one = async (id: string): Promise<void> => {
      if (!round.mayRequest()) return settle(id, cache.get(id)?.user);
      try {
        const user = await fetchUser(options.transport, id, combined);
        cache.set(id, { user, fetchedAt: clock() });
        gone.delete(id);
        round.succeeded(id);
        settle(id, user);
      } catch (error) {
        if (failed.signal.aborted) throw error;
        if (signal.aborted || isFatal(error, cache.has(id))) {
          failed.abort();
          throw error;
        }
        settle(id, fallBack(id, error, round));
      }
    };
    // While `/users` is down, one request probes it before the others are sent.
    const [first, ...rest] = missing;
    if (round.probing && first !== undefined) await one(first);
    await forEachLimited(round.probing ? rest : missing, options.concurrency, one);
    round.end();
    prune(new Set(wanted), clock());
    return results;
  }

  function fallBack(id: string, error: unknown, round: ReturnType<typeof outage.startRound>) {
    if (isPagerDutyError(error) && error.code === CODES.NOT_FOUND) {
      // PagerDuty says the user is gone: never route to their cached number again.
      cache.delete(id);
      round.answered();
      if (!gone.has(id)) {
        gone.add(id);
        logger?.warn({ userId: id }, "pagerduty: user no longer exists (404); dropped from routing");
      }
      return undefined;
    }
    const stale = cache.get(id)?.user;
    round.failed(id, error, stale !== undefined);
    return stale;
  }

  // Keep stale details only for users still on call; drop expired details of everyone else.
  function prune(current: ReadonlySet<string>, at: number): void {
    for (const [id, entry] of cache) {
      if (!current.has(id) && !isFresh(entry, at)) cache.delete(id);
    }
    for (const id of gone) if (!current.has(id)) gone.delete(id);
  }

  return { lookup };
}

function isFatal(error: unknown, hasStale: boolean): boolean {
  if (isAuthError(error)) return true;
  return isPagerDutyError(error) && error.code === CODES.RATE_LIMITED && !hasStale;
}

async function fetchUser(transport: Transport, id: string, signal: AbortSignal): Promise<PagerDutyUser> {
  const body = (await transport.get(
    "users",
    `/users/${encodeURIComponent(id)}`,
    { "include[]": ["contact_methods", "notification_rules"] },
    signal,
  )) as { user?: unknown };
  const user = body.user as PagerDutyUser | undefined;
  if (typeof user !== "object" || user === null || typeof user.id !== "string") {
    throw new PagerDutyError(CODES.BAD_RESPONSE, `PagerDuty answered GET /users/${id} without a user object`);
  }
  return user;
}
