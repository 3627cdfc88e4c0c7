import type { Responder, RosterSelector, Shift } from "./types.js";

/** Shifts grouped by policy and level, each group sorted by responder id (then start). */
export type ShiftIndex = ReadonlyMap<string, readonly Shift[]>;

/** The index key of a selector. */
export function selectorKey(selector: RosterSelector): string {
  return `${selector.policyId}\u0000${selector.level}`;
}

function compareShifts(a: Shift, b: Shift): number {
  if (a.responder.id !== b.responder.id) return a.responder.id < b.responder.id ? -1 : 1;
  return (a.start?.getTime() ?? Number.NEGATIVE_INFINITY) - (b.start?.getTime() ?? Number.NEGATIVE_INFINITY);
}

/** Groups shifts by policy and level, sorted so that lookups need neither a sort nor a second pass. */
export function buildShiftIndex(shifts: readonly Shift[]): ShiftIndex {
  const index = new Map<string, Shift[]>();
  for (const shift of shifts) {
    const key = selectorKey(shift);
    const group = index.get(key);
    if (group) group.push(shift);
    else index.set(key, [shift]);
  }
  for (const group of index.values()) group.sort(compareShifts);
  return index;
}

/** True when the shift covers `at`: started (or no start) and not yet ended (end is exclusive). */
function coversInstant(shift: Shift, at: number): boolean {
  return (
    (shift.start === null || shift.start.getTime() <= at) && (shift.end === null || shift.end.getTime() > at)
  );
}

/** Responders of a sorted group whose shift covers `at`, each once, in id order; O(group size). */
export function activeResponders(group: readonly Shift[] | undefined, at: number): Responder[] {
  const result: Responder[] = [];
  if (!group) return result;
  let lastId: string | undefined;
  for (const shift of group) {
    if (shift.responder.id === lastId || !coversInstant(shift, at)) continue;
    result.push(shift.responder);
    lastId = shift.responder.id;
  }
  return result;
}
