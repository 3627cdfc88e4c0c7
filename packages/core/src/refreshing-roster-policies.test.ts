import { describe, expect, it } from "vitest";
import { CORE_ERROR_CODES } from "./errors.js";
import {
  alice,
  bob,
  carol,
  hang,
  ids,
  level1,
  outage,
  person,
  setup,
  shift,
} from "./testing/roster-fixtures.js";
import type { SourceCall } from "./testing/static-source.js";
import type { Shift } from "./types.js";

const dave = person("PDAVE01");
const all: Shift[] = [
  shift(alice, null, null),
  shift(bob, null, null, 1, "PPOL2"),
  shift(carol, null, null, 1, "PPOL3"),
];
const on = (policyId: string) => ({ policyId, level: 1 });

describe("createRefreshingRoster: setPolicyIds (reload)", () => {
  it("keeps unchanged policies, drops removed ones, and fetches only the new ones at once", async () => {
    const { clock, roster, source } = setup(all, { policyIds: ["PPOL1", "PPOL2"] });
    roster.start();
    await clock.flush();
    roster.setPolicyIds(["PPOL1", "PPOL3"]);
    expect(roster.activeAt(clock.now(), on("PPOL2"))).toEqual([]);
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    await clock.flush();
    expect(source.calls.map((call) => call.policyIds)).toEqual([["PPOL1", "PPOL2"], ["PPOL3"]]);
    expect(ids(roster.activeAt(clock.now(), on("PPOL3")))).toEqual(["PCAROL1"]);
    expect(roster.health().state).toBe("fresh");
    await clock.advance(60_000);
    expect(source.calls[2]?.policyIds).toEqual(["PPOL1", "PPOL3"]);
  });

  it("leaves health fresh for the old policies while a new policy is still loading or failing", async () => {
    const { clock, roster, fail, log } = setup(all, { policyIds: ["PPOL1"] });
    roster.start();
    await clock.flush();
    fail(outage());
    roster.setPolicyIds(["PPOL1", "PPOL2"]);
    await clock.flush();
    expect(roster.health()).toMatchObject({ state: "fresh", consecutiveFailures: 0 });
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    expect(roster.activeAt(clock.now(), on("PPOL2"))).toEqual([]);
    expect(log.at("warn").filter((line) => line.msg?.includes("new policies"))).toHaveLength(1);
  });

  it("fetches new policies right after a refresh in flight, and drops what it returns for removed ones", async () => {
    const { clock, roster, source, behave } = setup(all, { policyIds: ["PPOL1", "PPOL2"] });
    let release: (() => void) | undefined;
    behave(
      (call) =>
        new Promise(
          (resolve) => (release = () => resolve(all.filter((s) => call.policyIds.includes(s.policyId)))),
        ),
    );
    roster.start();
    await clock.flush();
    roster.setPolicyIds(["PPOL1", "PPOL3"]);
    behave(() => all);
    release?.();
    await clock.flush();
    expect(source.calls.map((call: SourceCall) => call.policyIds)).toEqual([["PPOL1", "PPOL2"], ["PPOL3"]]);
    expect(roster.activeAt(clock.now(), on("PPOL2"))).toEqual([]);
    expect(ids(roster.activeAt(clock.now(), on("PPOL3")))).toEqual(["PCAROL1"]);
  });

  it("refuses an empty or malformed list and keeps the old one", async () => {
    const { clock, roster } = setup(all, { policyIds: ["PPOL1"] });
    roster.start();
    await clock.flush();
    expect(() => roster.setPolicyIds([])).toThrow(
      expect.objectContaining({ code: CORE_ERROR_CODES.OPTIONS_INVALID }),
    );
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
  });
});

describe("createRefreshingRoster: setPolicyIds, one fetch at a time", () => {
  /** A source whose calls each wait until the test answers them, in order. */
  function gated(ctx: ReturnType<typeof setup>) {
    const answers: Array<() => void> = [];
    ctx.behave(
      (call) =>
        new Promise((resolve) =>
          answers.push(() => resolve(all.filter((s) => call.policyIds.includes(s.policyId)))),
        ),
    );
    return { answer: (index: number) => answers[index]?.() };
  }
  const asked = (calls: readonly SourceCall[]) => calls.map((call) => call.policyIds);

  it("fetches nothing before it is started, then every policy in the first refresh", async () => {
    const { clock, roster, source } = setup(all, { policyIds: ["PPOL1"] });
    roster.setPolicyIds(["PPOL1", "PPOL2"]);
    await clock.flush();
    expect(source.calls).toHaveLength(0);
    roster.start();
    await clock.flush();
    expect(asked(source.calls)).toEqual([["PPOL1", "PPOL2"]]);
  });

  it("fetches only the added policies while the first load keeps failing", async () => {
    const { clock, roster, source, fail } = setup(all, { policyIds: ["PPOL1"] });
    fail(outage());
    roster.start();
    await clock.flush();
    roster.setPolicyIds(["PPOL1", "PPOL2"]);
    await clock.flush();
    expect(asked(source.calls)).toEqual([["PPOL1"], ["PPOL2"]]);
  });

  it("fetches a policy that was removed and added back at once", async () => {
    const { clock, roster, source } = setup(all, { policyIds: ["PPOL1", "PPOL2"] });
    roster.start();
    await clock.flush();
    roster.setPolicyIds(["PPOL1"]);
    roster.setPolicyIds(["PPOL1", "PPOL2"]);
    await clock.flush();
    expect(asked(source.calls)).toEqual([["PPOL1", "PPOL2"], ["PPOL2"]]);
    expect(ids(roster.activeAt(clock.now(), on("PPOL2")))).toEqual(["PBOB001"]);
  });

  it("does not fetch a policy added and removed again while a refresh was in flight", async () => {
    const ctx = setup(all, { policyIds: ["PPOL1"] });
    const { answer } = gated(ctx);
    ctx.roster.start();
    await ctx.clock.flush();
    ctx.roster.setPolicyIds(["PPOL1", "PPOL2"]);
    ctx.roster.setPolicyIds(["PPOL1"]);
    answer(0);
    await ctx.clock.flush();
    expect(asked(ctx.source.calls)).toEqual([["PPOL1"]]);
  });

  it("does not fetch an added policy again that a full refresh queued before it already fetched", async () => {
    const ctx = setup(all, { policyIds: ["PPOL1"] });
    ctx.roster.start();
    await ctx.clock.flush();
    const { answer } = gated(ctx);
    ctx.roster.setPolicyIds(["PPOL1", "PPOL2"]);
    const full = ctx.roster.refresh();
    ctx.roster.setPolicyIds(["PPOL1", "PPOL2", "PPOL3"]);
    answer(0);
    await ctx.clock.flush();
    answer(1);
    await full;
    await ctx.clock.flush();
    expect(asked(ctx.source.calls)).toEqual([["PPOL1"], ["PPOL2"], ["PPOL1", "PPOL2", "PPOL3"]]);
    expect(ids(ctx.roster.activeAt(ctx.clock.now(), on("PPOL3")))).toEqual(["PCAROL1"]);
  });

  it("queues a refresh asked for while added policies load, instead of running both at once", async () => {
    const ctx = setup(all, { policyIds: ["PPOL1"] });
    ctx.roster.start();
    await ctx.clock.flush();
    const { answer } = gated(ctx);
    const first = ctx.roster.refresh();
    ctx.roster.setPolicyIds(["PPOL1", "PPOL2"]);
    answer(0);
    await first;
    await ctx.clock.flush();
    expect(asked(ctx.source.calls)).toEqual([["PPOL1"], ["PPOL1"], ["PPOL2"]]);
    const second = ctx.roster.refresh();
    await ctx.clock.flush();
    expect(ctx.source.calls).toHaveLength(3);
    answer(1);
    await ctx.clock.flush();
    expect(ctx.source.calls).toHaveLength(4);
    answer(2);
    await second;
  });
});

describe("createRefreshingRoster: a slow first load", () => {
  it("answers from the shifts a source has resolved so far, and keeps them after a timeout", async () => {
    const { clock, roster, source, log } = setup([], {
      policyIds: ["PPOL1", "PPOL2"],
      refreshTimeoutMs: 30_000,
    });
    source.shifts = (_ids, _window, _signal, progress) => {
      progress?.([shift(alice, null, null)]);
      progress?.([shift(alice, null, null), shift(bob, null, null, 1, "PPOL2")]);
      return hang();
    };
    roster.start();
    await clock.flush();
    expect(roster.health().state).toBe("cold");
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    await clock.advance(30_000);
    expect(roster.health()).toMatchObject({
      state: "cold",
      consecutiveFailures: 1,
      lastError: { code: CORE_ERROR_CODES.ROSTER_TIMEOUT },
    });
    expect(ids(roster.activeAt(clock.now(), on("PPOL2")))).toEqual(["PBOB001"]);
    expect(log.at("error").filter((line) => line.msg?.includes("cannot load"))).toHaveLength(1);
  });

  it("ignores a progress report that is no list", async () => {
    const { clock, roster, source } = setup([], { policyIds: ["PPOL1"] });
    source.shifts = async (_ids, _window, _signal, progress) => {
      progress?.(undefined as never);
      return [shift(alice, null, null)];
    };
    roster.start();
    await clock.flush();
    expect(roster.health().state).toBe("fresh");
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
  });

  it("ignores progress reported after its refresh timed out", async () => {
    const { clock, roster, source } = setup([], { refreshTimeoutMs: 30_000 });
    const reports: Array<(shifts: readonly Shift[]) => void> = [];
    source.shifts = (_ids, _window, _signal, progress) => {
      if (progress) reports.push(progress);
      return hang();
    };
    roster.start();
    await clock.advance(30_000);
    reports[0]?.([shift(alice, null, null)]);
    expect(reports).toHaveLength(1);
    expect(roster.activeAt(clock.now(), level1)).toEqual([]);
  });

  it("ignores progress reported after it stopped", async () => {
    const { clock, roster, source } = setup([]);
    const reports: Array<(shifts: readonly Shift[]) => void> = [];
    source.shifts = async (_ids, _window, _signal, progress) => {
      if (progress) reports.push(progress);
      throw outage();
    };
    roster.start();
    await clock.flush();
    await roster.stop();
    reports[0]?.([shift(alice, null, null)]);
    expect(reports).toHaveLength(1);
    expect(roster.activeAt(clock.now(), level1)).toEqual([]);
  });

  it("keeps policies kept or added by setPolicyIds complete: partial shifts do not replace them", async () => {
    const { clock, roster, source } = setup(all, { policyIds: ["PPOL1"] });
    roster.start();
    await clock.flush();
    roster.setPolicyIds(["PPOL1", "PPOL2"]);
    await clock.flush();
    source.shifts = (_ids, _window, _signal, progress) => {
      progress?.([shift(dave, null, null), shift(dave, null, null, 1, "PPOL2")]);
      return hang();
    };
    void roster.refresh().catch(() => {});
    await clock.flush();
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
    expect(ids(roster.activeAt(clock.now(), on("PPOL2")))).toEqual(["PBOB001"]);
  });

  it("never lets partial shifts replace a policy's complete ones", async () => {
    const { clock, roster, source } = setup(all, { policyIds: ["PPOL1"] });
    roster.start();
    await clock.flush();
    source.shifts = (_ids, _window, _signal, progress) => {
      progress?.([shift(dave, null, null)]);
      return hang();
    };
    void roster.refresh().catch(() => {});
    await clock.flush();
    expect(ids(roster.activeAt(clock.now(), level1))).toEqual(["PALICE1"]);
  });

  it("says loudly, once, that it cannot load: an error line, cold health with the error", async () => {
    const { clock, roster, fail, log } = setup(all);
    fail(outage());
    roster.start();
    await clock.advance(10_000);
    expect(log.at("error")).toHaveLength(1);
    expect(log.at("error")[0]?.msg).toContain("roster cannot load");
    expect(roster.health()).toMatchObject({
      state: "cold",
      lastError: { code: "PDV_ERR_PAGERDUTY_UNAVAILABLE" },
    });
    expect(roster.health().consecutiveFailures).toBeGreaterThan(1);
  });
});
