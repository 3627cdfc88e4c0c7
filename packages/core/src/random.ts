import { randomIndex, reachableCandidates } from "./candidates.js";
import { assertNoProblems } from "./errors.js";
import type { RoutingStrategy } from "./types.js";
import { checkFunction } from "./validate.js";

/** Options of `createRandomStrategy`. */
export interface RandomStrategyOptions {
  /** Random numbers in [0, 1). Default `Math.random`. Drawn twice per pick: responder, then number. */
  readonly random?: () => number;
}

/** The default strategy: a uniformly random responder, then a uniformly random number of theirs. */
export function createRandomStrategy(options: RandomStrategyOptions = {}): RoutingStrategy {
  const problems: string[] = [];
  checkFunction(problems, "random", options.random);
  assertNoProblems("random strategy", problems);
  const random = options.random ?? Math.random;
  const strategy: RoutingStrategy = {
    name: "random",
    async pick(candidates) {
      const reachable = reachableCandidates(candidates);
      const responder = reachable[randomIndex(random, reachable.length)] as (typeof reachable)[number];
      const phone = responder.phones[randomIndex(random, responder.phones.length)] as string;
      return { responder, phone };
    },
  };
  return Object.freeze(strategy);
}
