import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import type { Responder } from "./types.js";

/** The candidates that have a phone, or a PDV_ERR_ROUTING_NO_CANDIDATES error when none has. */
export function reachableCandidates(candidates: readonly Responder[]): readonly Responder[] {
  let reachable: Responder[] | undefined;
  for (let i = 0; i < candidates.length; i++) {
    const candidate = candidates[i] as Responder;
    if (candidate.phones.length > 0) reachable?.push(candidate);
    else reachable ??= candidates.slice(0, i);
  }
  const result = reachable ?? candidates;
  if (result.length === 0) {
    throw new PdvError(
      CORE_ERROR_CODES.ROUTING_NO_CANDIDATES,
      "a strategy was asked to pick among no responder with a phone number",
    );
  }
  return result;
}

/** Candidates in a stable order by id (the same on every instance); copies only when out of order. */
export function sortedById(candidates: readonly Responder[]): readonly Responder[] {
  for (let i = 1; i < candidates.length; i++) {
    if ((candidates[i - 1] as Responder).id > (candidates[i] as Responder).id) {
      return [...candidates].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
    }
  }
  return candidates;
}

/** An index in `[0, length)` from a random number in [0, 1), safe against a source returning 1. */
export function randomIndex(random: () => number, length: number): number {
  return Math.min(length - 1, Math.max(0, Math.floor(random() * length)));
}
