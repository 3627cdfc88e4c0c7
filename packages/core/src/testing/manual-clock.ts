import { setImmediate as nextMacrotask } from "node:timers/promises";
import type { Timers } from "../timers.js";

/** A clock and timers that move only when told to: exact, deterministic tests of time. */
export interface ManualClock {
  /** The current instant (a new Date each call). */
  now(): Date;
  /** Monotonic milliseconds (like `performance.now()`): moved by `advance`, never by `jump`. */
  monotonicNow(): number;
  /** Timers driven by this clock; pass them wherever `timers` is accepted. */
  readonly timers: Timers;
  /** Moves time forward by `ms`, firing due timers in order and letting promises settle after each. */
  advance(ms: number): Promise<void>;
  /** Lets promises settle, then moves time to the next timer and fires it; false when none is pending. */
  runNext(): Promise<boolean>;
  /** Lets pending promise callbacks run without moving time. */
  flush(): Promise<void>;
  /** Delays (from now) of the pending timers, soonest first. */
  pendingDelays(): number[];
  /**
   * Steps the wall clock by `ms` (negative: back) without moving monotonic time or firing timers,
   * as an NTP correction or a restored VM does.
   */
  jump(ms: number): Promise<void>;
}

interface Scheduled {
  readonly id: number;
  readonly at: number;
  readonly callback: () => void;
}

/** Creates a manual clock starting at `start` (default 2024-01-01T00:00:00Z). */
export function createManualClock(start: Date | number | string = "2024-01-01T00:00:00Z"): ManualClock {
  // Timers run on monotonic time; `jump` moves the wall clock alone.
  let current = 0;
  let wallOffset = new Date(start).getTime();
  let nextId = 1;
  const scheduled = new Map<number, Scheduled>();
  const due = (limit: number): Scheduled | undefined => {
    let first: Scheduled | undefined;
    for (const timer of scheduled.values()) {
      if (timer.at <= limit && (!first || timer.at < first.at)) first = timer;
    }
    return first;
  };
  const flush = async (): Promise<void> => {
    await nextMacrotask();
  };
  const fire = async (timer: Scheduled): Promise<void> => {
    scheduled.delete(timer.id);
    current = Math.max(current, timer.at);
    timer.callback();
    await flush();
  };
  const timers: Timers = {
    setTimeout(callback, ms) {
      const timer = { id: nextId++, at: current + Math.max(0, ms), callback };
      scheduled.set(timer.id, timer);
      return { id: timer.id, unref: () => undefined, ref: () => undefined };
    },
    clearTimeout(handle) {
      const id = (handle as { id?: unknown } | null | undefined)?.id;
      if (typeof id === "number") scheduled.delete(id);
    },
  };
  return {
    now: () => new Date(wallOffset + current),
    monotonicNow: () => current,
    timers,
    async advance(ms) {
      const target = current + ms;
      await flush();
      for (let timer = due(target); timer; timer = due(target)) await fire(timer);
      current = target;
      await flush();
    },
    async runNext() {
      await flush();
      const next = due(Number.POSITIVE_INFINITY);
      if (!next) return false;
      await fire(next);
      return true;
    },
    flush,
    async jump(ms) {
      wallOffset += ms;
      await flush();
    },
    pendingDelays: () => [...scheduled.values()].map((timer) => timer.at - current).sort((a, b) => a - b),
  };
}
