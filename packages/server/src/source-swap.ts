import type { OnCallSource } from "@pagerduty-voys/core";

/** An on-call source whose backing source a reload may replace (a changed PagerDuty `api_key`). */
export interface SwappableSource extends OnCallSource {
  /**
   * Asks `next` once for the shifts of `policyIds` in a short window from `now` (within
   * `timeoutMs`); only when it answers does it become the source of every later refresh. Rejects
   * with what `next` threw (the running source stays).
   */
  replace(next: OnCallSource, policyIds: readonly string[], now: Date, timeoutMs: number): Promise<void>;
}

/** A {@link SwappableSource} starting with `initial`. */
export function createSwappableSource(initial: OnCallSource): SwappableSource {
  let current = initial;
  return {
    get name() {
      return current.name;
    },
    shifts: (policyIds, window, signal) => current.shifts(policyIds, window, signal),
    async replace(next, policyIds, now, timeoutMs) {
      const window = { since: now, until: new Date(now.getTime() + 60_000) };
      await next.shifts(policyIds, window, AbortSignal.timeout(timeoutMs));
      current = next;
    },
  };
}
