import { createLoadSignal } from "./load-signal.js";
import { policyLevels } from "./policy-levels.js";
import { emptyHeldRoster, healthSnapshot } from "./roster-health.js";
import { type RefreshingRosterOptions, resolveRosterOptions } from "./roster-options.js";
import { createRefresher } from "./roster-refresher.js";
import { activeResponders, selectorKey } from "./shift-index.js";
import { setUnrefTimeout } from "./timers.js";
import type { Roster } from "./types.js";

/**
 * A roster that holds the last good shifts of `[now, now + lookahead]` in memory, answers
 * `activeAt` from them, and refreshes them in the background (one refresh in flight, backoff with
 * jitter on failure, the wait a rate limit asks for).
 */
export function createRefreshingRoster(options: RefreshingRosterOptions): Roster {
  const o = resolveRosterOptions(options);
  const held = emptyHeldRoster();
  const load = createLoadSignal(o.timers);
  let expiryWarned = false;
  let loopTimer: unknown;
  let started = false;
  let stopped = false;

  /** True when the held window is over at `at`; warns once per expiry. */
  const expired = (at: number): boolean => {
    if (held.coveredUntil === null || at < held.coveredUntil.getTime()) return false;
    if (!expiryWarned) {
      expiryWarned = true;
      o.logger.warn(
        { roster: o.name, coveredUntil: held.coveredUntil.toISOString(), err: held.lastError },
        "roster expired: the last good roster no longer covers now; nobody is on call until a refresh succeeds",
      );
    }
    return true;
  };

  const refresher = createRefresher(o, held, {
    loaded: () => {
      expiryWarned = false;
      load.markLoaded();
    },
    failed: () => {
      // Whoever waits for a first load learns at once that this attempt failed, instead of
      // holding a caller until the timeout while the next attempt is still backing off.
      load.releaseWaiters();
      expired(o.now().getTime());
    },
  });

  const schedule = (ms: number): void => {
    if (!stopped) loopTimer = setUnrefTimeout(o.timers, cycle, ms);
  };
  function cycle(): void {
    loopTimer = undefined;
    refresher.refresh().then(
      () => schedule(o.refreshIntervalMs),
      () => schedule(held.nextRetryMs ?? o.backoff.initialMs),
    );
  }

  return {
    name: o.name,
    start() {
      if (started || stopped) return;
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
      const at = now.getTime();
      if (expired(at)) return [];
      return activeResponders(held.index.get(selectorKey(selector)), at);
    },
    levels: (policyId) => policyLevels(held.index, policyId),
    shiftsFor: (selector) => [...(held.index?.get(selectorKey(selector)) ?? [])],
    health: (now = o.now()) => healthSnapshot(held, now, o.staleAfterMs),
    refresh: () => refresher.refresh(),
  };
}
