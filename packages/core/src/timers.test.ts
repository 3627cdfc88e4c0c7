import { describe, expect, it } from "vitest";
import { realTimers, setUnrefTimeout, type Timers } from "./timers.js";

/** Timers whose handles are whatever `handle` gives, recording what they were asked. */
function timersHanding(handle: () => unknown): Timers & { readonly delays: number[] } {
  const delays: number[] = [];
  return {
    delays,
    setTimeout: (_callback, ms) => {
      delays.push(ms);
      return handle();
    },
    clearTimeout: () => undefined,
  };
}

describe("realTimers", () => {
  it("runs callbacks after their delay, except the ones cleared before", async () => {
    const fired: string[] = [];
    // Timers of the same delay fire in the order they were set: the cleared one would fire first.
    const cancelled = realTimers.setTimeout(() => fired.push("cancelled"), 0);
    realTimers.clearTimeout(cancelled);
    await new Promise<void>((resolve) => {
      realTimers.setTimeout(() => {
        fired.push("kept");
        resolve();
      }, 0);
    });
    expect(fired).toEqual(["kept"]);
  });
});

describe("setUnrefTimeout", () => {
  it("unrefs a handle that can be unref'd, once, and returns it", () => {
    const unrefs: unknown[] = [];
    const handle = {
      unref(this: unknown) {
        unrefs.push(this);
      },
    };
    const timers = timersHanding(() => handle);
    expect(setUnrefTimeout(timers, () => undefined, 250)).toBe(handle);
    expect(timers.delays).toEqual([250]);
    expect(unrefs).toEqual([handle]);
  });

  it("accepts timers whose handles are numbers or null, as a browser's are", () => {
    const handed = (handle: unknown) =>
      setUnrefTimeout(
        timersHanding(() => handle),
        () => undefined,
        1,
      );
    expect(handed(7)).toBe(7);
    expect(handed(null)).toBeNull();
    expect(handed({ unref: "no" })).toEqual({ unref: "no" });
  });
});
