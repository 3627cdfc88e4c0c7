import {
  createLeastRecentStrategy,
  createRandomStrategy,
  createRoundRobinStrategy,
  type Responder,
  type RoutingStrategy,
  type Timers,
} from "@pagerduty-voys/core";
import { createManualClock } from "@pagerduty-voys/core/testing";
import { describe, expect, it } from "vitest";
import { guardedPick, PICK_TIMEOUT_MS } from "./pick-guard.js";

const team: readonly Responder[] = [
  { id: "PA", name: "A", phones: ["+31611111111"] },
  { id: "PB", name: "B", phones: ["+31622222222"] },
];
const ctx = { route: "default", now: new Date() };

function countingTimers(inner: Timers): Timers & { armed: number } {
  const timers = {
    armed: 0,
    setTimeout(callback: () => void, ms: number) {
      timers.armed += 1;
      return inner.setTimeout(callback, ms);
    },
    clearTimeout: (handle: unknown) => inner.clearTimeout(handle),
  };
  return timers;
}

const failureOf = (promise: Promise<unknown>) =>
  promise.then(
    () => undefined,
    (error: { reason?: string; message?: string }) => error,
  );

describe("guardedPick", () => {
  it("arms no timer for built-in strategies whose pick settles at once", async () => {
    const timers = countingTimers(createManualClock().timers);
    for (const strategy of [
      createRandomStrategy(),
      createRoundRobinStrategy(),
      createLeastRecentStrategy(),
    ]) {
      for (let i = 0; i < 5; i++) {
        const pick = await guardedPick(strategy, team, ctx, { timers });
        expect(team).toContain(pick.responder);
      }
    }
    expect(timers.armed).toBe(0);
  });

  it("accepts a pick that returns its answer without a promise", async () => {
    const plain = {
      name: "plain",
      pick: (c: readonly Responder[]) => ({ responder: c[1], phone: "+31622222222" }),
    };
    const pick = await guardedPick(plain as unknown as RoutingStrategy, team, ctx, {});
    expect(pick.responder.id).toBe("PB");
  });

  it("ends a pick that never answers after the bound, clearing nothing left behind", async () => {
    const clock = createManualClock();
    const timers = countingTimers(clock.timers);
    const hangs: RoutingStrategy = { name: "hangs", pick: () => new Promise(() => undefined) };
    const outcome = failureOf(guardedPick(hangs, team, ctx, { timers }));
    await clock.flush();
    expect(clock.pendingDelays()).toEqual([PICK_TIMEOUT_MS]);
    await clock.advance(PICK_TIMEOUT_MS - 1);
    expect(clock.pendingDelays()).toEqual([1]);
    await clock.advance(1);
    expect(await outcome).toMatchObject({ reason: "timeout", message: expect.stringContaining("800 ms") });
    expect(clock.pendingDelays()).toEqual([]);
  });

  it("clears the timer of a slow pick that answers in time", async () => {
    const clock = createManualClock();
    let answer: (value: { responder: Responder; phone: string }) => void = () => undefined;
    const slow: RoutingStrategy = { name: "slow", pick: () => new Promise((resolve) => (answer = resolve)) };
    const picked = guardedPick(slow, team, ctx, { timers: clock.timers });
    await clock.flush();
    expect(clock.pendingDelays()).toEqual([PICK_TIMEOUT_MS]);
    answer({ responder: team[0] as Responder, phone: "+31611111111" });
    expect((await picked).responder.id).toBe("PA");
    expect(clock.pendingDelays()).toEqual([]);
  });

  it.each([
    [
      "throws",
      () => {
        throw new Error("sync");
      },
      "error",
    ],
    [
      "rejects",
      async () => {
        throw new Error("async");
      },
      "error",
    ],
    [
      "stranger",
      async () => ({ responder: { id: "PX", name: "X", phones: ["+31699999999"] }, phone: "+31699999999" }),
      "invalid_pick",
    ],
    ["wrong-phone", async () => ({ responder: team[0], phone: "+31622222222" }), "invalid_pick"],
    ["nothing", async () => undefined, "invalid_pick"],
  ])("turns a pick that %s into a failure", async (name, pick, reason) => {
    const strategy = { name, pick } as unknown as RoutingStrategy;
    expect(await failureOf(guardedPick(strategy, team, ctx, {}))).toMatchObject({ reason });
  });
});
