import { reachableCandidates, sortedById } from "./candidates.js";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import { createMemoryLastCallStore, type LastCallStore } from "./last-call-store.js";
import { silentLogger } from "./logger.js";
import { createOutageReporter } from "./outage-reporter.js";
import type { Logger, RoutingStrategy } from "./types.js";

/** Options of `createLeastRecentStrategy`. */
export interface LeastRecentStrategyOptions {
  /** Where the order of last calls is kept, per route (memory, or Redis to share it). Default: memory. */
  readonly store?: LastCallStore;
  /** Logs a store that rejects (once per outage); picks then use a private memory store. */
  readonly logger?: Logger;
}

const mod = (n: number, k: number): number => ((n % k) + k) % k;

/**
 * The responder whose last call on the route was longest ago gets the call (never called counts as
 * longest ago; ties go to the lowest PagerDuty user id). A newcomer to the shift is thus next, and
 * someone who leaves and comes back does not get two calls in a row. Each responder's numbers
 * rotate with their own calls. The store decides and records in one step (atomic in Redis).
 */
export function createLeastRecentStrategy(options: LeastRecentStrategyOptions = {}): RoutingStrategy {
  const store = options.store ?? createMemoryLastCallStore();
  const spare = createMemoryLastCallStore();
  const outage = createOutageReporter({
    logger: options.logger ?? silentLogger,
    fields: { strategy: "least-recent", store: store.name },
    downMessage: "least-recent store failed; ordering calls in memory meanwhile",
    upMessage: "least-recent store works again",
    fallbackCode: CORE_ERROR_CODES.ROUTING_COUNTER_FAILED,
  });
  const claim = async (route: string, ids: readonly string[]) => {
    try {
      const claimed = await store.claim(route, ids);
      outage.succeeded();
      return claimed;
    } catch (error) {
      outage.failed(error);
      return spare.claim(route, ids);
    }
  };
  const strategy: RoutingStrategy = {
    name: "least-recent",
    async pick(candidates, ctx) {
      const ordered = sortedById(reachableCandidates(candidates));
      const claimed = await claim(
        ctx.route,
        ordered.map((responder) => responder.id),
      );
      const responder = ordered.find((candidate) => candidate.id === claimed.id) ?? ordered[0];
      if (responder === undefined) {
        throw new PdvError(CORE_ERROR_CODES.ROUTING_NO_CANDIDATES, "least-recent: no candidate");
      }
      const phone = responder.phones[mod(claimed.calls - 1, responder.phones.length)] as string;
      return { responder, phone };
    },
  };
  return Object.freeze(strategy);
}
