import { CORE_ERROR_CODES, PdvError } from "./errors.js";

/** What a {@link LastCallStore} answers: who gets the call, and how many calls they have had on the route. */
export interface LastCallClaim {
  /** The chosen responder id. */
  readonly id: string;
  /** Their calls on this route so far, this one included (rotates their numbers). */
  readonly calls: number;
}

/** Keeps, per route, the order of each responder's last call: the state behind `least-recent`. */
export interface LastCallStore {
  /** `memory` or `redis`. */
  readonly name: string;
  /**
   * In one atomic step: among `ids` (sorted by id) the one whose last call on `route` is oldest
   * (never called = oldest; ties: the first in `ids`), recorded as called now.
   */
  claim(route: string, ids: readonly string[]): Promise<LastCallClaim>;
  /** Records that `id` got a call on `route` decided elsewhere (keeps a fallback in step). Optional. */
  record?(route: string, id: string): void;
  /** Releases resources (optional). */
  close?(): Promise<void>;
}

interface RouteState {
  sequence: number;
  readonly last: Map<string, number>;
  readonly calls: Map<string, number>;
}

/**
 * A last-call store in this process's memory. It orders calls by a per-route sequence number rather
 * than by clock time, so two calls in the same millisecond still have an order.
 */
export function createMemoryLastCallStore(): LastCallStore {
  const routes = new Map<string, RouteState>();
  const stateOf = (route: string): RouteState => {
    let state = routes.get(route);
    if (state === undefined) {
      state = { sequence: 0, last: new Map(), calls: new Map() };
      routes.set(route, state);
    }
    return state;
  };
  const mark = (state: RouteState, id: string): number => {
    state.sequence += 1;
    state.last.set(id, state.sequence);
    const calls = (state.calls.get(id) ?? 0) + 1;
    state.calls.set(id, calls);
    return calls;
  };
  return Object.freeze({
    name: "memory",
    async claim(route: string, ids: readonly string[]) {
      const state = stateOf(route);
      let best: string | undefined;
      let bestSequence = Number.POSITIVE_INFINITY;
      for (const id of ids) {
        const sequence = state.last.get(id) ?? 0;
        if (sequence < bestSequence) {
          best = id;
          bestSequence = sequence;
        }
      }
      if (best === undefined) throw noCandidateIds();
      return { id: best, calls: mark(state, best) };
    },
    record(route: string, id: string) {
      mark(stateOf(route), id);
    },
  });
}

/** The `PDV_ERR_ROUTING_NO_CANDIDATES` a last-call store rejects a claim among no ids with. */
export function noCandidateIds(): PdvError {
  return new PdvError(CORE_ERROR_CODES.ROUTING_NO_CANDIDATES, "last-call store: no candidate ids");
}
