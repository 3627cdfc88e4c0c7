import { assertNoProblems } from "./errors.js";
import { createLoadSignal } from "./load-signal.js";
import { policyLevels } from "./policy-levels.js";
import { createClockWatch } from "./roster-clock-watch.js";
import { emptyHeldRoster, healthSnapshot, reindex } from "./roster-health.js";
import { policyIdProblems, type RefreshingRosterOptions, resolveRosterOptions } from "./roster-options.js";
import { createRefresher } from "./roster-refresher.js";
import { activeResponders, selectorKey } from "./shift-index.js";
import { setUnrefTimeout } from "./timers.js";
import type { Roster } from "./types.js";

/**
 * A roster that holds the last good shifts of `[now, now + lookahead]` in memory, answers
 * `activeAt` from them, and refreshes them in the background (one refresh in flight, backoff with
 * jitter on failure, the wait a rate limit asks for). A wall clock that jumps (or leaves the held
 * window) starts a refresh at once; meanwhile calls get the held shifts that cover the new now.
 */
export function createRefreshingRoster(options: RefreshingRosterOptions): Roster {
  const o = resolveRosterOptions(options);
  const held = emptyHeldRoster();
  const load = createLoadSignal(o.timers);
  let policyIds = o.policyIds;
  /** The end of the held window that the expiry warning was logged for; undefined until one was. */
  let warnedUntil: Date | undefined;
  /** The loop's timer: undefined while a refresh of the loop runs (and before start, after stop). */
  let loopTimer: unknown;
  let again = false;
  let started = false;
  let stopped = false;

  /** Warns when the held window is over at `at`: once per window (each success holds a new one). */
  const warnIfExpired = (at: number): void => {
    const until = held.coveredUntil;
    if (until === null || until === warnedUntil || at < until.getTime()) return;
    warnedUntil = until;
    o.logger.warn(
      { roster: o.name, coveredUntil: until.toISOString(), err: held.lastError },
      "roster expired: the last good roster no longer covers now; only shifts known to cover now are answered",
    );
  };

  const refresher = createRefresher(o, held, {
    policyIds: () => policyIds,
    loaded: () => load.markLoaded(),
    failed: () => {
      // Whoever waits for a first load learns at once that this attempt failed, instead of
      // holding a caller until the timeout while the next attempt is still backing off.
      load.releaseWaiters();
      warnIfExpired(o.now().getTime());
    },
  });

  const schedule = (ms: number): void => {
    if (!stopped) loopTimer = setUnrefTimeout(o.timers, cycle, ms);
  };
  const after = (ms: number): void => {
    // After a stop, a cycle ends at once: the refresher refuses to start.
    if (again) cycle();
    else {
      schedule(ms);
      watch.check();
    }
  };
  function cycle(): void {
    loopTimer = undefined;
    again = false;
    refresher.refresh().then(
      () => after(o.refreshIntervalMs),
      () => after(held.nextRetryMs ?? o.backoff.initialMs),
    );
  }
  /** Refreshes at once: now, or right after the refresh in flight (which used the old clock). */
  const refreshSoon = (): void => {
    // No timer: a refresh runs (the next one follows it), or the loop is not started (start()
    // refreshes anyway) or stopped (the refresher refuses).
    if (loopTimer === undefined) {
      again = true;
      return;
    }
    o.timers.clearTimeout(loopTimer);
    cycle();
  };

  const watch = createClockWatch({
    now: o.now,
    monotonicNow: o.monotonicNow,
    toleranceMs: o.clockJumpToleranceMs,
    marginMs: Math.min(o.lookaheadMs / 2, Math.max(2 * o.refreshIntervalMs, 60_000)),
    held,
    onJump: (jump) => {
      const msg =
        jump.reason === "clock-skew"
          ? "the wall clock jumped; refreshing the roster at once"
          : "now is outside the roster's window (a clock step or a long outage); refreshing the roster at once";
      o.logger.warn({ roster: o.name, ...jump }, msg);
      refreshSoon();
    },
  });

  return {
    name: o.name,
    start() {
      // Started after a stop, the one cycle ends at once: the refresher refuses to start.
      if (started) return;
      started = true;
      cycle();
    },
    async stop() {
      stopped = true;
      if (loopTimer !== undefined) o.timers.clearTimeout(loopTimer);
      loopTimer = undefined;
      load.close();
      await refresher.stop();
    },
    whenLoaded: (timeoutMs) => load.wait(timeoutMs),
    activeAt(now, selector) {
      if (held.index === null) return [];
      watch.check();
      const at = now.getTime();
      warnIfExpired(at);
      return activeResponders(held.index.get(selectorKey(selector)), at);
    },
    levels: (policyId) => policyLevels(held.index, policyId),
    shiftsFor: (selector) => [...(held.index?.get(selectorKey(selector)) ?? [])],
    health(now) {
      watch.check();
      return healthSnapshot(held, now ?? o.now(), o.staleAfterMs);
    },
    refresh: () => refresher.refresh(),
    setPolicyIds(ids) {
      assertNoProblems("roster", policyIdProblems(ids));
      const next = Object.freeze([...new Set(ids)]);
      const wanted = new Set(next);
      const added = next.filter((id) => !policyIds.includes(id));
      policyIds = next;
      for (const id of [...held.byPolicy.keys()]) if (!wanted.has(id)) held.byPolicy.delete(id);
      for (const id of held.complete) if (!wanted.has(id)) held.complete.delete(id);
      // Rebuilt from what is left (the same index when nothing was removed); none while nothing is held.
      if (held.index !== null) reindex(held);
      if (started) refresher.load(added);
    },
  };
}
