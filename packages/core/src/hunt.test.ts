import { describe, expect, it } from "vitest";
import { createHunter } from "./hunt.js";
import { createMemoryStickyStore } from "./memory-sticky-store.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import { createRecordingLogger } from "./testing/recording-logger.js";
import { person, setup, shift } from "./testing/roster-fixtures.js";
import type { Responder, Shift, StickyStore } from "./types.js";

const [a1, a2, a3, b1, c1] = ["PA00001", "PA00002", "PA00003", "PB00001", "PC00001"].map(person) as [
  Responder,
  Responder,
  Responder,
  Responder,
  Responder,
];
const silent: Responder = { id: "PS00001", name: "no phone", phones: [] };
// Level 1: a1, a2, a3; level 2: nobody reachable; level 3: b1; level 4: c1 (and a1 again).
const team: Shift[] = [
  shift(a1, null, null, 1),
  shift(a2, null, null, 1),
  shift(a3, null, null, 1),
  shift(silent, null, null, 2),
  shift(b1, null, null, 3),
  shift(c1, null, null, 4),
  shift(a1, null, null, 4),
];
const CALLER = "+31201110000";

async function harness(
  options: {
    shifts?: Shift[];
    huntMs?: number;
    stickyMs?: number;
    level?: number;
    store?: StickyStore;
    roundRobin?: boolean;
  } = {},
) {
  const { clock, roster } = setup(options.shifts ?? team);
  await roster.refresh();
  // "first" picks the first candidate (id order): the hunting order is then plain to read.
  const strategy = options.roundRobin
    ? createRoundRobinStrategy()
    : {
        name: "first",
        pick: async (candidates: readonly Responder[]) => {
          const [responder] = candidates;
          if (responder === undefined) throw new Error("no candidates");
          return { responder, phone: responder.phones[0] ?? "" };
        },
      };
  const log = createRecordingLogger();
  const hunter = createHunter({
    store: options.store ?? createMemoryStickyStore({ now: clock.now }),
    huntMs: options.huntMs ?? 120_000,
    stickyMs: options.stickyMs,
    logger: log,
  });
  const call = async (callerId = CALLER, route = "support") => {
    const outcome = await hunter.route({
      route,
      policyId: "PPOL1",
      level: options.level ?? 1,
      callerId,
      now: clock.now(),
      roster,
      pick: (candidates) => strategy.pick(candidates, { route, callerId, now: clock.now() }),
    });
    return (
      outcome && {
        id: outcome.pick.responder.id,
        level: outcome.level,
        attempt: outcome.attempt,
        hunted: outcome.hunted,
      }
    );
  };
  return { clock, roster, call, log };
}

describe("createHunter", () => {
  it("hunts the route's level in the strategy's order, then higher levels (skipping empty ones), then starts over", async () => {
    const { clock, call } = await harness();
    const seen = [];
    for (let i = 0; i < 7; i++) {
      seen.push(await call());
      await clock.advance(30_000);
    }
    expect(seen).toEqual([
      { id: "PA00001", level: 1, attempt: 1, hunted: false },
      { id: "PA00002", level: 1, attempt: 2, hunted: true },
      { id: "PA00003", level: 1, attempt: 3, hunted: true },
      { id: "PB00001", level: 3, attempt: 4, hunted: true },
      // a1 is on call at level 4 too but was tried: only c1 is new there.
      { id: "PC00001", level: 4, attempt: 5, hunted: true },
      // Everyone tried: the strategy picks at the route's level again, as for a first call.
      { id: "PA00001", level: 1, attempt: 6, hunted: true },
      { id: "PA00002", level: 1, attempt: 7, hunted: true },
    ]);
  });

  it("with round-robin, reaches every responder of the level once before going up", async () => {
    const { call } = await harness({ roundRobin: true });
    const ids = [];
    for (let i = 0; i < 4; i++) ids.push((await call())?.id);
    expect(new Set(ids.slice(0, 3))).toEqual(new Set(["PA00001", "PA00002", "PA00003"]));
    expect(ids[3]).toBe("PB00001");
  });

  it("restarts the window with each call, and a call after it is a first call", async () => {
    const { clock, call } = await harness({ huntMs: 60_000 });
    expect((await call())?.attempt).toBe(1);
    await clock.advance(59_999);
    expect(await call()).toMatchObject({ attempt: 2, hunted: true });
    await clock.advance(59_999);
    expect(await call()).toMatchObject({ attempt: 3, hunted: true });
    await clock.advance(60_000);
    expect(await call()).toMatchObject({ attempt: 1, hunted: false, level: 1 });
  });

  it("keeps callers and routes apart", async () => {
    const { call } = await harness();
    expect(await call(CALLER, "support")).toMatchObject({ id: "PA00001", attempt: 1 });
    expect(await call("+31202220000", "support")).toMatchObject({ id: "PA00001", attempt: 1, hunted: false });
    expect(await call(CALLER, "sales")).toMatchObject({ id: "PA00001", attempt: 1 });
    expect(await call(CALLER, "support")).toMatchObject({ attempt: 2, hunted: true });
  });

  it("hunts only from the route's level upward", async () => {
    const { call } = await harness({ level: 3 });
    expect(await call()).toMatchObject({ id: "PB00001", level: 3, attempt: 1 });
    expect(await call()).toMatchObject({ level: 4, attempt: 2 });
    expect(await call()).toMatchObject({ level: 4, attempt: 3 });
    expect(await call()).toMatchObject({ id: "PB00001", level: 3, attempt: 4 });
  });

  it("leaves the hunt as it was when nobody is reachable", async () => {
    const { roster, call } = await harness({ level: 2, shifts: [shift(silent, null, null, 2)] });
    expect(await call()).toBeUndefined();
    expect(await call()).toBeUndefined();
    expect(roster.levels?.("PPOL1")).toEqual([2]);
  });

  it("after a window without answer, a sticky caller reaches their last responder at that level while on call", async () => {
    const { clock, call } = await harness({ huntMs: 60_000, stickyMs: 30 * 60_000 });
    await call();
    await call();
    await call();
    expect(await call()).toMatchObject({ id: "PB00001", level: 3, attempt: 4 });
    await clock.advance(5 * 60_000);
    expect(await call()).toMatchObject({ id: "PB00001", level: 3, attempt: 1, hunted: false });
    // The hunt that starts now has tried b1 already.
    expect(await call()).toMatchObject({ id: "PA00001", level: 1, attempt: 2, hunted: true });
    await clock.advance(31 * 60_000);
    expect(await call()).toMatchObject({ attempt: 1, hunted: false, level: 1 });
  });

  it("goes on without hunting when its store fails, and says so once", async () => {
    const broken: StickyStore = {
      name: "broken",
      get: () => Promise.reject(new Error("down")),
      set: () => Promise.reject(new Error("down")),
    };
    const { call, log } = await harness({ store: broken });
    expect(await call()).toMatchObject({ attempt: 1 });
    expect(await call()).toMatchObject({ attempt: 1, hunted: false });
    expect(log.at("warn")).toHaveLength(1);
  });

  it("lists a policy's levels from the roster, ascending", async () => {
    const { roster } = await harness();
    expect(roster.levels?.("PPOL1")).toEqual([1, 2, 3, 4]);
    expect(roster.levels?.("PNOPE")).toEqual([]);
  });
});
