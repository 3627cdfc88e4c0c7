import { raceAbort } from "./abortable.js";
import { retryDelayMs } from "./backoff.js";
import { CORE_ERROR_CODES, describeError, PdvError } from "./errors.js";
import type { HeldRoster } from "./roster-health.js";
import type { RefreshReport, ResolvedRosterOptions } from "./roster-options.js";
import { buildShiftIndex } from "./shift-index.js";
import { setUnrefTimeout } from "./timers.js";
import type { Shift, TimeWindow } from "./types.js";

/** Runs refreshes one at a time and records their outcome in the held roster. */
export interface Refresher {
  /** Runs a refresh, or joins the one in flight. */
  refresh(): Promise<void>;
  /** Aborts the refresh in flight (if any) and refuses new ones; resolves once it settled. */
  stop(): Promise<void>;
}

/** Hooks the roster gives its refresher. */
export interface RefresherHooks {
  /** Called after every successful load (the first one ends the cold start). */
  loaded(): void;
  /** Called after every failure, once the held roster is updated. */
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
  let inFlight: Promise<void> | null = null;
  let controller: AbortController | null = null;
  let stopped = false;

  const report = (result: RefreshReport): void => {
    try {
      o.onRefresh?.(result);
    } catch {
      // A metrics callback must never break the refresh loop.
    }
  };

  function onSuccess(shifts: readonly Shift[], window: TimeWindow, startedAt: Date): void {
    const failures = held.consecutiveFailures;
    const firstLoad = held.index === null;
    const finishedAt = o.now();
    Object.assign(held, {
      index: buildShiftIndex(shifts),
      coveredUntil: window.until,
      lastSuccessAt: finishedAt,
      lastError: null,
      consecutiveFailures: 0,
      nextRetryMs: null,
    });
    const durationMs = finishedAt.getTime() - startedAt.getTime();
    const fields = { roster: o.name, shifts: shifts.length, durationMs };
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
      holding: held.index === null ? "nothing yet" : "last good roster",
    };
    if (held.consecutiveFailures === 1) o.logger.warn(fields, "roster refresh failed; retrying with backoff");
    else o.logger.debug(fields, "roster refresh failed again");
    report({ ok: false, durationMs: failedAt.getTime() - startedAt.getTime(), error: held.lastError });
    hooks.failed();
  }

  async function fetchShifts(signal: AbortSignal, window: TimeWindow): Promise<readonly Shift[]> {
    const shifts = await raceAbort(Promise.resolve(o.source.shifts(o.policyIds, window, signal)), signal);
    if (!Array.isArray(shifts)) {
      throw new PdvError(
        CORE_ERROR_CODES.ROSTER_BAD_SHIFTS,
        `${o.source.name} did not return an array of shifts`,
      );
    }
    return shifts;
  }

  async function refreshOnce(): Promise<void> {
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
      const shifts = await fetchShifts(ctrl.signal, window);
      if (stopped) throw stoppedError();
      onSuccess(shifts, window, startedAt);
    } catch (error) {
      if (!stopped) onFailure(error, startedAt);
      throw error;
    } finally {
      o.timers.clearTimeout(timer);
      if (controller === ctrl) controller = null;
    }
  }

  return {
    refresh() {
      if (stopped) return Promise.reject(stoppedError());
      inFlight ??= refreshOnce().finally(() => {
        inFlight = null;
      });
      return inFlight;
    },
    async stop() {
      stopped = true;
      controller?.abort(stoppedError());
      await inFlight?.catch(() => {});
    },
  };
}
