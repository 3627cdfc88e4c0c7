import type { OnCallSource, Shift, TimeWindow } from "../types.js";

/** One call a static source answered. */
export interface SourceCall {
  /** The policies asked for. */
  readonly policyIds: readonly string[];
  /** The window asked for. */
  readonly window: TimeWindow;
  /** The call's abort signal. */
  readonly signal: AbortSignal;
}

/** An `OnCallSource` for tests and demos that records its calls. */
export interface StaticSource extends OnCallSource {
  /** Every call so far, oldest first. */
  readonly calls: readonly SourceCall[];
}

/** What a static source serves: shifts, or a function of the call (which may throw, reject or hang). */
export type StaticShifts =
  | readonly Shift[]
  | ((call: SourceCall) => readonly Shift[] | Promise<readonly Shift[]>);

function overlaps(shift: Shift, window: TimeWindow): boolean {
  return (
    (shift.start === null || shift.start.getTime() < window.until.getTime()) &&
    (shift.end === null || shift.end.getTime() > window.since.getTime())
  );
}

/**
 * A source that serves fixed shifts (or whatever a function returns), filtered like PagerDuty does:
 * only the policies asked for, only shifts overlapping the window.
 */
export function createStaticSource(shifts: StaticShifts, options: { name?: string } = {}): StaticSource {
  const calls: SourceCall[] = [];
  return {
    name: options.name ?? "static",
    calls,
    async shifts(policyIds, window, signal) {
      const call = { policyIds: [...policyIds], window, signal };
      calls.push(call);
      const served = typeof shifts === "function" ? await shifts(call) : shifts;
      return served.filter((shift) => policyIds.includes(shift.policyId) && overlaps(shift, window));
    },
  };
}
