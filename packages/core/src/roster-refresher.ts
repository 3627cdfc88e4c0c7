import { raceAbort } from "./abortable.js";
import { retryDelayMs } from "./backoff.js";
import { CORE_ERROR_CODES, describeError, PdvError } from "./errors.js";
import { type HeldRoster, storeShifts } from "./roster-health.js";
import type { RefreshReport, ResolvedRosterOptions } from "./roster-options.js";
import { setUnrefTimeout } from "./timers.js";
import type { Shift, TimeWindow } from "./types.js";

/** Runs refreshes one at a time and records their outcome in the held roster. */
export interface Refresher {
  /** Runs a refresh of every current policy, or joins the one in flight or queued. */
  refresh(): Promise<void>;
  /** Fetches these (newly added) policies next, before any later refresh; never rejects. */
  load(policyIds: readonly string[]): void;
  /** Aborts the refresh in flight (if any) and refuses new ones; resolves once it settled. */
  stop(): Promise<void>;
}

/** Hooks the roster gives its refresher. */
export interface RefresherHooks {
  /** The policies the roster holds now. */
  policyIds(): readonly string[];
  /** Called after every successful complete refresh (the first one ends the cold start). */
  loaded(): void;
  /** Called after every failed complete refresh, once the held roster is updated. */
  failed(): void;
}

/** The error a stopped roster's refreshes end with. */
function stoppedError(): PdvError {
  return new PdvError(CORE_ERROR_CODES.ROSTER_STOPPED, "the roster was stopped");
}

/** Creates the refresher of one roster. */
export function createRefresher(
  o: ResolvedRosterOptions,
  held: HeldRoster,
  hooks: RefresherHooks,
): Refresher {
  let queue: Promise<void> | null = null;
  let full: Promise<void> | null = null;
  let controller: AbortController | null = null;
  let stopped = false;
  const added = new Set<string>();

  const report = (result: RefreshReport): void => {
    try {
      o.onRefresh?.(result);
    } catch {
      // A metrics callback must never break the refresh loop.
    }
  };
  // One job at a time, in order: a refresh never overlaps another; an idle refresher starts at once.
  const enqueue = (job: () => Promise<void>): Promise<void> => {
    const run = queue === null ? job() : queue.then(job, job);
    const settled = run.catch(() => {});
    queue = settled;
    void settled.then(() => {
      if (queue === settled) queue = null;
    });
    return run;
  };

  const store = (ids: readonly string[], shifts: readonly Shift[], partial: boolean): void =>
    storeShifts(held, new Set(hooks.policyIds()), ids, shifts, partial);

  function onSuccess(ids: readonly string[], shifts: readonly Shift[], window: TimeWindow, startedAt: Date) {
    const failures = held.consecutiveFailures;
    const firstLoad = held.lastSuccessAt === null;
    const finishedAt = o.now();
    store(ids, shifts, false);
    Object.assign(held, {
      coveredSince: window.since,
      coveredUntil: window.until,
      lastSuccessAt: finishedAt,
      lastError: null,
      consecutiveFailures: 0,
      nextRetryMs: null,
    });
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    const fields = { roster: o.name, policies: ids.length, shifts: shifts.length, durationMs };
    if (failures > 0) o.logger.info({ ...fields, failures }, "roster refresh recovered");
    else if (firstLoad) o.logger.info(fields, "roster loaded");
    else o.logger.debug(fields, "roster refreshed");
    hooks.loaded();
    report({ ok: true, durationMs });
  }

  function onFailure(error: unknown, startedAt: Date): void {
    const failedAt = o.now();
    held.consecutiveFailures += 1;
    held.lastFailureAt = failedAt;
    held.lastError = describeError(error, CORE_ERROR_CODES.ROSTER_SOURCE_FAILED);
    held.nextRetryMs = retryDelayMs(
      error,
      held.consecutiveFailures,
      o.backoff,
      o.random,
      o.rateLimitDefaultWaitMs,
    );
    const fields = {
      roster: o.name,
      err: held.lastError,
      consecutiveFailures: held.consecutiveFailures,
      retryInMs: held.nextRetryMs,
      holding:
        held.lastSuccessAt === null ? `partial shifts of ${held.byPolicy.size} policies` : "last good roster",
    };
    if (held.consecutiveFailures > 1) o.logger.debug(fields, "roster refresh failed again");
    else if (held.lastSuccessAt === null) {
      // Nothing complete to fall back on: calls get the fallback number or 503 until a load succeeds.
      o.logger.error(fields, "roster cannot load: calls get the fallback number or 503 until it does");
    } else o.logger.warn(fields, "roster refresh failed; retrying with backoff");
    report({ ok: false, durationMs: failedAt.getTime() - startedAt.getTime(), error: held.lastError });
    hooks.failed();
  }

  async function fetchShifts(ids: readonly string[], signal: AbortSignal, window: TimeWindow) {
    const progress = (resolved: readonly Shift[]): void => {
      if (!stopped && !signal.aborted && Array.isArray(resolved)) store(ids, resolved, true);
    };
    const shifts = await raceAbort(Promise.resolve(o.source.shifts(ids, window, signal, progress)), signal);
    if (!Array.isArray(shifts)) {
      throw new PdvError(
        CORE_ERROR_CODES.ROSTER_BAD_SHIFTS,
        `${o.source.name} did not return an array of shifts`,
      );
    }
    return shifts;
  }

  /** One fetch of `ids`; `complete` when they are every policy (the roster's window moves then). */
  async function refreshOnce(ids: readonly string[], complete: boolean): Promise<void> {
    if (stopped) throw stoppedError();
    const ctrl = new AbortController();
    controller = ctrl;
    const startedAt = o.now();
    const timeoutError = new PdvError(
      CORE_ERROR_CODES.ROSTER_TIMEOUT,
      `roster refresh from ${o.source.name} took longer than ${o.refreshTimeoutMs} ms`,
    );
    const timer = setUnrefTimeout(o.timers, () => ctrl.abort(timeoutError), o.refreshTimeoutMs);
    try {
      const window = { since: startedAt, until: new Date(startedAt.getTime() + o.lookaheadMs) };
      const shifts = await fetchShifts(ids, ctrl.signal, window);
      if (stopped) throw stoppedError();
      if (complete) onSuccess(ids, shifts, window, startedAt);
      else {
        store(ids, shifts, false);
        o.logger.info({ roster: o.name, policies: ids }, "roster loaded new policies");
      }
    } catch (error) {
      if (stopped) throw error;
      if (complete) onFailure(error, startedAt);
      else {
        const err = describeError(error, CORE_ERROR_CODES.ROSTER_SOURCE_FAILED);
        o.logger.warn(
          { roster: o.name, policies: ids, err },
          "roster could not load new policies yet; the next refresh tries again",
        );
      }
      throw error;
    } finally {
      o.timers.clearTimeout(timer);
      controller = null;
    }
  }

  return {
    refresh() {
      // Once stopped, refreshOnce refuses at once.
      full ??= enqueue(() => refreshOnce(hooks.policyIds(), true)).finally(() => {
        full = null;
      });
      return full;
    },
    load(policyIds) {
      // An empty job would still delay a refresh asked for right after; once stopped, refreshOnce refuses.
      if (policyIds.length === 0) return;
      for (const id of policyIds) added.add(id);
      enqueue(() => {
        const wanted = new Set(hooks.policyIds());
        const ids = [...added].filter((id) => wanted.has(id) && !held.complete.has(id));
        added.clear();
        return ids.length === 0 ? Promise.resolve() : refreshOnce(ids, false);
      }).catch(() => {});
    },
    async stop() {
      stopped = true;
      controller?.abort(stoppedError());
      await queue;
    },
  };
}
