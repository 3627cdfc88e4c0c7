import { randomUUID } from "node:crypto";
import type { Responder, Shift } from "../types.js";

function phoneFor(id: string): string {
  let hash = 7;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 100_000_000;
  return `+316${String(hash).padStart(8, "0")}`;
}

/** A frozen responder with the given id and phones (default: one Dutch mobile derived from the id). */
export function testResponder(
  id: string,
  phones: readonly string[] = [phoneFor(id)],
  name = `Responder ${id}`,
): Responder {
  return Object.freeze({ id, name, phones: Object.freeze([...phones]) });
}

/** Where and when a {@link testShift} is: policy `PPOL1`, level 1, permanent unless told. */
export interface TestShiftOptions {
  readonly policyId?: string;
  readonly level?: number;
  readonly start?: Date | null;
  readonly end?: Date | null;
}

/** A shift of `responder` (policy `PPOL1`, level 1, no start or end unless told). */
export function testShift(responder: Responder, options: TestShiftOptions = {}): Shift {
  return {
    responder,
    policyId: options.policyId ?? "PPOL1",
    level: options.level ?? 1,
    start: options.start ?? null,
    end: options.end ?? null,
  };
}

/** A frozen list, so that a strategy mutating its input fails loudly. */
export function frozenList(...responders: Responder[]): readonly Responder[] {
  return Object.freeze(responders);
}

/** A key no earlier test used, so that suites can share one Redis. */
export function uniqueKey(label: string): string {
  return `contract-${label}-${randomUUID()}`;
}
