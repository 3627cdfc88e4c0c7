import { setUnrefTimeout, type Timers } from "./timers.js";

/** Lets callers wait, with a bound, for a first successful load. */
export interface LoadSignal {
  /** Resolves every waiter with true; later waits resolve true at once. */
  markLoaded(): void;
  /** Resolves the current waiters with false (a load attempt failed); later waits wait again. */
  releaseWaiters(): void;
  /** Resolves every waiter with false and clears their timers; later waits resolve false at once. */
  close(): void;
  /** True once loaded, false after `timeoutMs` or on close. Never rejects. */
  wait(timeoutMs: number): Promise<boolean>;
}

const MAX_TIMER_MS = 2_147_483_647;

/** Creates a load signal whose timeouts run on `timers` (unref'd). */
export function createLoadSignal(timers: Timers): LoadSignal {
  let loaded = false;
  let closed = false;
  const waiters = new Map<(value: boolean) => void, unknown>();
  const settleAll = (value: boolean): void => {
    for (const [resolve, timer] of waiters) {
      if (timer !== undefined) timers.clearTimeout(timer);
      resolve(value);
    }
    waiters.clear();
  };
  return {
    markLoaded() {
      loaded = true;
      settleAll(true);
    },
    releaseWaiters() {
      // Once loaded there are no waiters: every wait resolves at once.
      settleAll(false);
    },
    close() {
      closed = true;
      settleAll(false);
    },
    wait(timeoutMs) {
      if (loaded || closed || !(timeoutMs > 0)) return Promise.resolve(loaded);
      return new Promise<boolean>((resolve) => {
        const timer =
          timeoutMs > MAX_TIMER_MS
            ? undefined
            : setUnrefTimeout(
                timers,
                () => {
                  waiters.delete(resolve);
                  resolve(false);
                },
                timeoutMs,
              );
        waiters.set(resolve, timer);
      });
    },
  };
}
