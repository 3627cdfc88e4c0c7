import { randomUUID } from "node:crypto";
import type { Responder } from "./types.js";

function phoneFor(id: string): string {
  let hash = 7;
  for (const char of id) hash = (hash * 31 + (char.codePointAt(0) ?? 0)) % 100_000_000;
  return `+316${String(hash).padStart(8, "0")}`;
}

/** A frozen responder with the given id and phones (default: one Dutch mobile derived from the id). */
export function testResponder(id: string, phones: readonly string[] = [phoneFor(id)]): Responder {
  return Object.freeze({ id, name: `Responder ${id}`, phones: Object.freeze([...phones]) });
}

/** A frozen list, so that a strategy mutating its input fails loudly. */
export function frozenList(...responders: Responder[]): readonly Responder[] {
  return Object.freeze(responders);
}

/** A key no earlier test used, so that suites can share one Redis. */
export function uniqueKey(label: string): string {
  return `contract-${label}-${randomUUID()}`;
}
