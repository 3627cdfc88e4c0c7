import type { Logger } from "@pagerduty-voys/core";
import { forEachLimited } from "./concurrency.js";
import { PAGERDUTY_ERROR_CODES as CODES, isAuthError, isPagerDutyError, PagerDutyError } from "./errors.js";
import type { PagerDutyUser } from "./pagerduty-types.js";
import type { Transport } from "./transport.js";

/** Options of {@link createUserDirectory}. */
export interface UserDirectoryOptions {
  /** Where requests go. */
  readonly transport: Transport;
  /** How long fetched details count as fresh. */
  readonly ttlMs: number;
  /** At most this many user requests at once. */
  readonly concurrency: number;
  /** Clock for the cache. */
  readonly now: () => Date;
  /** Receives one warning per user whose details could not be fetched. */
  readonly logger?: Logger | undefined;
}

/** Fetches and caches users' details (contact methods and notification rules). */
export interface UserDirectory {
  /**
   * Details for each distinct id: fresh from cache, fetched, or (when fetching fails with a
   * non-auth error) stale from cache; undefined when none could be had. Rejects on 401/403, on the
   * caller's abort, and on a 429 for a user without cached details.
   */
  lookup(ids: readonly string[], signal: AbortSignal): Promise<Map<string, PagerDutyUser | undefined>>;
}

interface CacheEntry {
  readonly user: PagerDutyUser;
  readonly fetchedAt: number;
}

/** Creates a user directory with a TTL cache and bounded concurrency. */
export function createUserDirectory(options: UserDirectoryOptions): UserDirectory {
  const cache = new Map<string, CacheEntry>();
  const isFresh = (entry: CacheEntry | undefined, at: number): entry is CacheEntry =>
    entry !== undefined && at - entry.fetchedAt < options.ttlMs;

  async function lookup(ids: readonly string[], signal: AbortSignal) {
    const wanted = [...new Set(ids)];
    const results = new Map<string, PagerDutyUser | undefined>();
    const at = options.now().getTime();
    const missing = wanted.filter((id) => {
      const entry = cache.get(id);
      if (isFresh(entry, at)) results.set(id, entry.user);
      return !isFresh(entry, at);
    });
    const failed = new AbortController();
    const combined = AbortSignal.any([signal, failed.signal]);
    await forEachLimited(missing, options.concurrency, async (id) => {
      try {
        const user = await fetchUser(options.transport, id, combined);
        cache.set(id, { user, fetchedAt: options.now().getTime() });
        results.set(id, user);
      } catch (error) {
        if (failed.signal.aborted) throw error;
        if (signal.aborted || isFatal(error, cache.has(id))) {
          failed.abort();
          throw error;
        }
        results.set(id, fallBack(id, error));
      }
    });
    prune(new Set(wanted), options.now().getTime());
    return results;
  }

  function fallBack(id: string, error: unknown): PagerDutyUser | undefined {
    const stale = cache.get(id)?.user;
    const code = isPagerDutyError(error) ? error.code : "unknown";
    const message = error instanceof Error ? error.message : String(error);
    options.logger?.warn(
      { userId: id, code, error: message, stale: stale !== undefined },
      stale
        ? "pagerduty: user details unavailable, using the last known details"
        : "pagerduty: user details unavailable, this responder has no phone numbers until the next refresh",
    );
    return stale;
  }

  // Keep stale details only for users still on call; drop expired details of everyone else.
  function prune(current: ReadonlySet<string>, at: number): void {
    for (const [id, entry] of cache) {
      if (!current.has(id) && !isFresh(entry, at)) cache.delete(id);
    }
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
