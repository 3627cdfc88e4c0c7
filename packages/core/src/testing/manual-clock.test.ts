import { describe, expect, it } from "vitest";
import { createManualClock } from "./manual-clock.js";

describe("createManualClock", () => {
  it("fires timers in order at their instant, and only when time moves", async () => {
    const clock = createManualClock("2024-01-01T00:00:00Z");
    const fired: string[] = [];
    clock.timers.setTimeout(() => fired.push(`b@${clock.now().toISOString()}`), 2_000);
    clock.timers.setTimeout(() => fired.push(`a@${clock.now().toISOString()}`), 1_000);
    const cancelled = clock.timers.setTimeout(() => fired.push("never"), 1_500);
    clock.timers.clearTimeout(cancelled);
    expect(clock.pendingDelays()).toEqual([1_000, 2_000]);
    await clock.advance(1_999);
    expect(fired).toEqual(["a@2024-01-01T00:00:01.000Z"]);
    await clock.advance(1);
    expect(fired).toEqual(["a@2024-01-01T00:00:01.000Z", "b@2024-01-01T00:00:02.000Z"]);
    expect(clock.now().toISOString()).toBe("2024-01-01T00:00:02.000Z");
  });

  it("runs timers scheduled by timers within the same advance, and settles promises between", async () => {
    const clock = createManualClock(0);
    const seen: number[] = [];
    const tick = (): void => {
      void Promise.resolve().then(() => {
        seen.push(clock.now().getTime());
        if (seen.length < 3) clock.timers.setTimeout(tick, 100);
      });
    };
    clock.timers.setTimeout(tick, 100);
    await clock.advance(1_000);
    expect(seen).toEqual([100, 200, 300]);
    expect(await clock.runNext()).toBe(false);
  });

  it("jumps the wall clock without moving monotonic time or firing timers", async () => {
    const clock = createManualClock("2024-01-01T00:00:00Z");
    const fired: number[] = [];
    clock.timers.setTimeout(() => fired.push(clock.monotonicNow()), 1_000);
    await clock.jump(-2 * 3_600_000);
    expect(clock.now().toISOString()).toBe("2023-12-31T22:00:00.000Z");
    expect(clock.monotonicNow()).toBe(0);
    expect(fired).toEqual([]);
    expect(clock.pendingDelays()).toEqual([1_000]);
    await clock.advance(1_000);
    expect(fired).toEqual([1_000]);
    expect(clock.now().toISOString()).toBe("2023-12-31T22:00:01.000Z");
  });
});
