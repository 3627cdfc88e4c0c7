import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "./errors.js";
import { createRefreshingRoster } from "./refreshing-roster.js";
import { alice, HOUR, hang, ids, level1, setup, shift, T0 } from "./testing/roster-fixtures.js";
import { createStaticSource } from "./testing/static-source.js";
import type { Timers } from "./timers.js";

const always = [shift(alice, null, null)];

function deferred<T>() {
  let resolve!: (value: T) => void;
  const promise = new Promise<T>((r) => {
    resolve = r;
  });
  return { promise, resolve };
}

describe("createRefreshingRoster: one refresh in flight", () => {
  it("joins refresh() calls and the loop to the refresh in flight", async () => {
    const gate = deferred<typeof always>();
    const { clock, source, roster, behave } = setup(always, { refreshIntervalMs: 10_000 });
    behave(() => gate.promise);
    roster.start();
    const first = roster.refresh();
    const second = roster.refresh();
    expect(first).toBe(second);
    await clock.flush();
    expect(source.calls).toHaveLength(1);
    gate.resolve(always);
    await Promise.all([first, second]);
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    const slow = deferred<typeof always>();
    behave(() => slow.promise);
    const manual = roster.refresh();
    await clock.advance(25_000);
    expect(source.calls).toHaveLength(2);
    slow.resolve(always);
    await manual;
  });

  it("aborts a refresh that exceeds refreshTimeoutMs, even when the source ignores its signal", async () => {
    const { clock, source, roster, behave } = setup(always, { refreshTimeoutMs: 30_000 });
    behave(hang);
    roster.start();
    await clock.advance(29_999);
    expect(roster.health().consecutiveFailures).toBe(0);
    expect(source.calls[0]?.signal.aborted).toBe(false);
    await clock.advance(1);
    expect(source.calls[0]?.signal.aborted).toBe(true);
    expect(roster.health()).toMatchObject({
      state: "cold",
      consecutiveFailures: 1,
      lastError: { code: CORE_ERROR_CODES.ROSTER_TIMEOUT },
    });
    expect(clock.pendingDelays()).toEqual([750]);
  });
});

describe("createRefreshingRoster: start", () => {
  it("runs one loop however often it is started", async () => {
    const { clock, source, roster } = setup(always);
    roster.start();
    roster.start();
    await clock.flush();
    expect(source.calls).toHaveLength(1);
    expect(clock.pendingDelays()).toEqual([60_000]);
  });

  it("does not refresh for a wall clock jump before it is started", async () => {
    const { clock, source, roster } = setup(always);
    await clock.jump(HOUR);
    roster.health();
    await clock.flush();
    expect(source.calls).toHaveLength(0);
    expect(clock.pendingDelays()).toEqual([]);
  });

  it("starts a refresh asked for while idle at once", async () => {
    const { clock, source, roster } = setup(always);
    roster.start();
    await clock.flush();
    const refreshed = roster.refresh();
    expect(source.calls).toHaveLength(2);
    await refreshed;
    // Policies set again without a new one queue nothing that a refresh would wait for.
    roster.setPolicyIds(["PPOL1"]);
    const again = roster.refresh();
    expect(source.calls).toHaveLength(3);
    await again;
  });
});

describe("createRefreshingRoster: stop", () => {
  it("does not abort the signal of a refresh that already finished", async () => {
    const { clock, source, roster } = setup(always);
    roster.start();
    await clock.flush();
    await roster.stop();
    expect(source.calls[0]?.signal.aborted).toBe(false);
  });

  it("starts none of the work queued behind the refresh it aborts", async () => {
    const { clock, source, roster, behave, log } = setup(always);
    behave(hang);
    roster.start();
    await clock.flush();
    roster.setPolicyIds(["PPOL1", "PPOL2"]);
    await roster.stop();
    await clock.flush();
    expect(source.calls).toHaveLength(1);
    expect(log.lines).toEqual([]);
  });

  it("drops shifts that arrive just as it stops", async () => {
    const { roster, source, log } = setup(always);
    source.shifts = () => Promise.resolve(always);
    const refreshed = roster.refresh();
    // Runs after the source's answer reached the roster, before the roster used it.
    queueMicrotask(() => void roster.stop());
    await expect(refreshed).rejects.toMatchObject({ code: CORE_ERROR_CODES.ROSTER_STOPPED });
    expect(roster.health(T0)).toMatchObject({ state: "cold", lastSuccessAt: null });
    expect(log.lines).toEqual([]);
  });

  it("aborts the refresh in flight, clears every timer and settles waiters", async () => {
    const { clock, source, roster, behave, log } = setup(always);
    behave(hang);
    roster.start();
    const loaded = roster.whenLoaded(5_000);
    await clock.flush();
    await roster.stop();
    expect(source.calls[0]?.signal.aborted).toBe(true);
    expect(source.calls[0]?.signal.reason).toMatchObject({ code: CORE_ERROR_CODES.ROSTER_STOPPED });
    expect(clock.pendingDelays()).toEqual([]);
    expect(await loaded).toBe(false);
    expect(log.at("warn")).toEqual([]);
    await clock.advance(3_600_000);
    expect(source.calls).toHaveLength(1);
    await expect(roster.refresh()).rejects.toMatchObject({ code: CORE_ERROR_CODES.ROSTER_STOPPED });
    expect(await roster.whenLoaded(1_000)).toBe(false);
  });

  it("clears the loop timer between refreshes", async () => {
    const { clock, source, roster } = setup(always);
    roster.start();
    await clock.flush();
    expect(clock.pendingDelays()).toEqual([60_000]);
    await roster.stop();
    expect(clock.pendingDelays()).toEqual([]);
    expect(source.calls).toHaveLength(1);
  });
});

describe("createRefreshingRoster: whenLoaded", () => {
  it("resolves false after its timeout while cold, then true once loaded", async () => {
    const gate = deferred<typeof always>();
    const { clock, roster, behave } = setup(always);
    behave(() => gate.promise);
    roster.start();
    let settled: boolean | undefined;
    roster.whenLoaded(2_000).then((value) => {
      settled = value;
    });
    await clock.advance(1_999);
    expect(settled).toBeUndefined();
    await clock.advance(1);
    expect(settled).toBe(false);
    const later = roster.whenLoaded(10_000);
    gate.resolve(always);
    expect(await later).toBe(true);
    await clock.flush();
    expect(clock.pendingDelays()).toEqual([60_000]);
  });

  it("resolves true at once after the first load, without a timer", async () => {
    const { clock, roster } = setup(always);
    roster.start();
    await clock.flush();
    const loaded = roster.whenLoaded(5_000);
    expect(clock.pendingDelays()).toEqual([60_000]);
    expect(await loaded).toBe(true);
  });

  it("sets no timer for a wait longer than a Node timer can (it would fire at once)", async () => {
    const gate = deferred<typeof always>();
    const { clock, roster, behave } = setup(always);
    behave(() => gate.promise);
    roster.start();
    await clock.flush();
    const longest = roster.whenLoaded(2_147_483_647);
    const longer = roster.whenLoaded(2_147_483_648);
    expect(clock.pendingDelays()).toEqual([30_000, 2_147_483_647]);
    gate.resolve(always);
    expect(await Promise.all([longest, longer])).toEqual([true, true]);
    await clock.flush();
    expect(clock.pendingDelays()).toEqual([60_000]);
  });

  it("never rejects, even when the first refresh fails", async () => {
    const { clock, roster, fail } = setup(always);
    fail(new Error("down"));
    roster.start();
    const loaded = roster.whenLoaded(1_000);
    await clock.advance(1_000);
    expect(await loaded).toBe(false);
    expect(await roster.whenLoaded(0)).toBe(false);
  });

  it("releases its waiters with false as soon as a refresh fails before the first load", async () => {
    const gate = deferred<typeof always>();
    const { clock, roster, behave } = setup(always);
    behave(() => gate.promise.then(() => Promise.reject(new Error("PagerDuty down"))));
    roster.start();
    let settled: boolean | undefined;
    roster.whenLoaded(60_000).then((value) => {
      settled = value;
    });
    await clock.flush();
    expect(settled).toBeUndefined();
    gate.resolve(always);
    await clock.flush();
    expect(settled).toBe(false);
    expect(roster.health().consecutiveFailures).toBe(1);
  });
});

describe("createRefreshingRoster: real timers", () => {
  it("unrefs every timer it sets, so that it never keeps a process alive", async () => {
    const handles: NodeJS.Timeout[] = [];
    const timers: Timers = {
      setTimeout: (callback, ms) => {
        const handle = setTimeout(callback, ms);
        handles.push(handle);
        return handle;
      },
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    };
    const roster = createRefreshingRoster({ source: createStaticSource(hang), policyIds: ["PPOL1"], timers });
    roster.start();
    void roster.whenLoaded(60_000);
    expect(handles.length).toBeGreaterThanOrEqual(2);
    expect(handles.every((handle) => !handle.hasRef())).toBe(true);
    await roster.stop();
  });
});
