import { reachableCandidates, sortedById } from "./candidates.js";
import { assertNoProblems, CORE_ERROR_CODES, PdvError } from "./errors.js";
import { silentLogger } from "./logger.js";
import { createMemoryCounter } from "./memory-counter.js";
import { createOutageReporter } from "./outage-reporter.js";
import type { Counter, Logger, RoutingStrategy } from "./types.js";

/** Options of `createRoundRobinStrategy`. */
export interface RoundRobinStrategyOptions {
  /** Where the rotation is kept, one key per route. Default: a memory counter. Not closed by the strategy. */
  readonly counter?: Counter;
  /** Logs a counter that rejects (once per outage); the pick then uses a private memory counter. */
  readonly logger?: Logger;
}

const mod = (n: number, k: number): number => ((n % k) + k) % k;

/**
 * Rotates responders in id order and each responder's numbers: one `counter.increment(route)` per
 * pick; with value n among k responders, responder `sorted[n mod k]`, number `phones[⌊n / k⌋ mod p]`.
 */
export function createRoundRobinStrategy(options: RoundRobinStrategyOptions = {}): RoutingStrategy {
  const counter = options.counter ?? createMemoryCounter();
  if (typeof counter.increment !== "function") {
    assertNoProblems("round-robin strategy", ["counter: expected an object with an increment() method"]);
  }
  const spare = createMemoryCounter();
  const outage = createOutageReporter({
    logger: options.logger ?? silentLogger,
    fields: { strategy: "round-robin", counter: counter.name },
    downMessage: "round-robin counter failed; rotating in memory meanwhile",
    upMessage: "round-robin counter works again",
    fallbackCode: CORE_ERROR_CODES.ROUTING_COUNTER_FAILED,
  });
  const next = async (route: string): Promise<number> => {
    try {
      const value = await counter.increment(route);
      if (typeof value !== "number" || !Number.isFinite(value)) {
        throw new PdvError(
          CORE_ERROR_CODES.ROUTING_COUNTER_FAILED,
          `counter ${counter.name} gave a non-number`,
        );
      }
      outage.succeeded();
      return Math.trunc(value);
    } catch (error) {
      outage.failed(error);
      return spare.increment(route);
    }
  };
  const strategy: RoutingStrategy = {
    name: "round-robin",
    async pick(candidates, ctx) {
      const ordered = sortedById(reachableCandidates(candidates));
      const n = await next(ctx.route);
      const k = ordered.length;
      const responder = ordered[mod(n, k)] as (typeof ordered)[number];
      const phone = responder.phones[mod(Math.floor(n / k), responder.phones.length)] as string;
      return { responder, phone };
    },
  };
  return Object.freeze(strategy);
}
