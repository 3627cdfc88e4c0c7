/** The timer functions the core uses; inject fakes (see `createManualClock` in `./testing`) in tests. */
export interface Timers {
  /** Schedules `callback` after `ms` milliseconds and returns a handle for `clearTimeout`. */
  setTimeout(callback: () => void, ms: number): unknown;
  /** Cancels a timer scheduled by `setTimeout`; ignores handles already fired or cleared. */
  clearTimeout(handle: unknown): void;
}

/** Node's own timers. */
export const realTimers: Timers = {
  setTimeout: (callback, ms) => globalThis.setTimeout(callback, ms),
  clearTimeout: (handle) => globalThis.clearTimeout(handle as NodeJS.Timeout),
};

/** Schedules an unref'd timer, so that it never keeps a process alive. */
export function setUnrefTimeout(timers: Timers, callback: () => void, ms: number): unknown {
  const handle = timers.setTimeout(callback, ms);
  const unref = (handle as { unref?: unknown } | null)?.unref;
  if (typeof unref === "function") unref.call(handle);
  return handle;
}
