import { setUnrefTimeout, type Timers } from "./timers.js";

/** Settles with `promise`, or rejects with `onTimeout()` after `ms` (an unref'd timer on `timers`). */
export function withTimeout<T>(
  promise: Promise<T>,
  ms: number,
  timers: Timers,
  onTimeout: () => Error,
): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = setUnrefTimeout(timers, () => reject(onTimeout()), ms);
    promise.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(timer);
        reject(error);
      },
    );
  });
}
