import { PdvError } from "../errors.js";
import { createRefreshingRoster } from "../refreshing-roster.js";
import type { RefreshingRosterOptions } from "../roster-options.js";
import type { Responder, Shift } from "../types.js";
import { testResponder, testShift } from "./fixtures.js";
import { createManualClock } from "./manual-clock.js";
import { createRecordingLogger } from "./recording-logger.js";
import { createStaticSource, type SourceCall } from "./static-source.js";

/* Shared fixtures of the roster tests (not a test file itself). */
/** The instant every roster test starts at. */
export const T0 = new Date("2024-03-01T08:00:00Z");
/** One hour in milliseconds. */
export const HOUR = 3_600_000;
/** T0 plus `ms`. */
export const at = (ms: number): Date => new Date(T0.getTime() + ms);
/** A responder with one phone. */
export const person = (id: string): Responder => testResponder(id, [`+3161234${id.slice(-4)}`], id);
/** Fixture responder. */
export const alice = person("PALICE1");
/** Fixture responder. */
export const bob = person("PBOB001");
/** Fixture responder. */
export const carol = person("PCAROL1");
/** A shift (policy PPOL1, level 1 unless told). */
export const shift = (
  responder: Responder,
  start: Date | null,
  end: Date | null,
  level = 1,
  policyId = "PPOL1",
): Shift => testShift(responder, { policyId, level, start, end });
/** The selector of PPOL1 level 1. */
export const level1 = { policyId: "PPOL1", level: 1 };
/** The ids of responders, in order. */
export const ids = (responders: readonly Responder[]): string[] => responders.map((r) => r.id);

/** What the scripted source does on a call. */
export type Behaviour = (call: SourceCall) => readonly Shift[] | Promise<readonly Shift[]>;

/** A roster on a manual clock, a recording logger, and a source whose behaviour tests switch. */
export function setup(shifts: readonly Shift[], options: Partial<RefreshingRosterOptions> = {}) {
  const clock = createManualClock(T0);
  const log = createRecordingLogger();
  let behaviour: Behaviour = () => shifts;
  const source = createStaticSource((call) => behaviour(call));
  const roster = createRefreshingRoster({
    source,
    policyIds: ["PPOL1"],
    now: clock.now,
    monotonicNow: clock.monotonicNow,
    timers: clock.timers,
    random: () => 0.5,
    logger: log,
    ...options,
  });
  const behave = (next: Behaviour): void => {
    behaviour = next;
  };
  const fail = (error: unknown): void => behave(() => Promise.reject(error));
  return { clock, log, source, roster, behave, fail };
}

/** A source behaviour that never settles (and ignores its signal). */
export const hang = (): Promise<never> => new Promise<never>(() => {});
/** An error like the PagerDuty source gives when PagerDuty is down. */
export const outage = () => new PdvError("PDV_ERR_PAGERDUTY_UNAVAILABLE", "PagerDuty answered 503");

/** Milliseconds between consecutive source calls. */
export const gaps = (calls: readonly SourceCall[]): number[] =>
  calls
    .slice(1)
    .map((call, i) => call.window.since.getTime() - (calls[i] as SourceCall).window.since.getTime());
