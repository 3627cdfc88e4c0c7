import { buildShiftIndex, type ShiftIndex } from "./shift-index.js";
import type { RosterHealth, RosterState, Shift } from "./types.js";

/** What a roster holds and remembers about its refreshes. */
export interface HeldRoster {
  /** The shifts held, indexed; null until any (complete or partial) are known. */
  index: ShiftIndex | null;
  /** The shifts held per policy: the last good ones, or a first load's partial ones. */
  readonly byPolicy: Map<string, readonly Shift[]>;
  /** Policies whose shifts come from a complete load (the others hold partial shifts, if any). */
  readonly complete: Set<string>;
  /** Start of the window the last complete refresh asked for. */
  coveredSince: Date | null;
  /** End of the window the last good shifts cover. */
  coveredUntil: Date | null;
  /** When the last refresh succeeded. */
  lastSuccessAt: Date | null;
  /** When the last refresh failed. */
  lastFailureAt: Date | null;
  /** The last failure, cleared by a success. */
  lastError: { code: string; message: string } | null;
  /** Failures in a row. */
  consecutiveFailures: number;
  /** The wait chosen after the last failure. */
  nextRetryMs: number | null;
}

/** An empty, never-loaded roster. */
export function emptyHeldRoster(): HeldRoster {
  return {
    index: null,
    byPolicy: new Map(),
    complete: new Set(),
    coveredSince: null,
    coveredUntil: null,
    lastSuccessAt: null,
    lastFailureAt: null,
    lastError: null,
    consecutiveFailures: 0,
    nextRetryMs: null,
  };
}

/** `cold`, `expired` (window over), `stale` (last success too old) or `fresh`, as of `at`. */
function rosterState(held: HeldRoster, at: number, staleAfterMs: number): RosterState {
  // A success always indexes what it stored: lastSuccessAt set means index set.
  if (held.lastSuccessAt === null) return "cold";
  if (held.coveredUntil !== null && at >= held.coveredUntil.getTime()) return "expired";
  return at - held.lastSuccessAt.getTime() > staleAfterMs ? "stale" : "fresh";
}

/** A frozen health snapshot as of `now`. */
export function healthSnapshot(held: HeldRoster, now: Date, staleAfterMs: number): RosterHealth {
  const at = now.getTime();
  return Object.freeze({
    state: rosterState(held, at, staleAfterMs),
    lastSuccessAt: held.lastSuccessAt,
    lastFailureAt: held.lastFailureAt,
    lastError: held.lastError,
    ageMs: held.lastSuccessAt === null ? null : Math.max(0, at - held.lastSuccessAt.getTime()),
    coveredUntil: held.coveredUntil,
    consecutiveFailures: held.consecutiveFailures,
  });
}

/** Rebuilds the index from the shifts held per policy. */
export function reindex(held: HeldRoster): void {
  held.index = buildShiftIndex([...held.byPolicy.values()].flat());
}

/** Shifts grouped by policy id. */
function groupByPolicy(shifts: readonly Shift[]): Map<string, Shift[]> {
  const grouped = new Map<string, Shift[]>();
  for (const shift of shifts) {
    const group = grouped.get(shift.policyId);
    if (group) group.push(shift);
    else grouped.set(shift.policyId, [shift]);
  }
  return grouped;
}

/**
 * Stores the shifts of `ids` that are still `current`. Complete shifts replace a policy's and mark it
 * complete; `partial` ones only fill policies never completed. Nothing else needs dropping: the roster
 * forgets a policy's shifts as soon as the policy is removed (`setPolicyIds`).
 */
export function storeShifts(
  held: HeldRoster,
  current: ReadonlySet<string>,
  ids: readonly string[],
  shifts: readonly Shift[],
  partial: boolean,
): void {
  const grouped = groupByPolicy(shifts);
  let changed = !partial;
  for (const id of ids) {
    if (!current.has(id) || (partial && held.complete.has(id))) continue;
    held.byPolicy.set(id, grouped.get(id) ?? []);
    changed = true;
    if (!partial) held.complete.add(id);
  }
  if (changed) reindex(held);
}
