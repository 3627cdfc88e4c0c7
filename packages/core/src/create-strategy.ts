import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import type { LastCallStore } from "./last-call-store.js";
import { createLeastRecentStrategy } from "./least-recent.js";
import { createRandomStrategy } from "./random.js";
import { createRoundRobinStrategy } from "./round-robin.js";
import type { Counter, Logger, RoutingStrategy } from "./types.js";

/** The names `createStrategy` accepts (`ROUTING_STRATEGY`, a route's `strategy`). */
export const STRATEGY_NAMES = Object.freeze(["random", "round-robin", "least-recent"] as const);

/** One of {@link STRATEGY_NAMES}. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** What a strategy may need; each strategy takes what it uses. */
export interface StrategyDeps {
  /** Random numbers for `random`. Default `Math.random`. */
  readonly random?: () => number;
  /** The counter for `round-robin` (e.g. a Redis counter). Default: memory. */
  readonly counter?: Counter;
  /** The last-call store for `least-recent` (e.g. a Redis one). Default: memory. */
  readonly lastCalls?: LastCallStore;
  /** Where `round-robin` and `least-recent` log a failing store. */
  readonly logger?: Logger;
}

/** True when `name` is one of {@link STRATEGY_NAMES}. */
export function isStrategyName(name: unknown): name is StrategyName {
  return typeof name === "string" && (STRATEGY_NAMES as readonly string[]).includes(name);
}

/**
 * The one switch from configuration to strategy: `random`, `round-robin`, `least-recent`, or a ready strategy object
 * (returned as is). Any other name throws PDV_ERR_STRATEGY_UNKNOWN listing the allowed names.
 */
export function createStrategy(
  config: { readonly strategy: string | RoutingStrategy },
  deps: StrategyDeps = {},
): RoutingStrategy {
  const { strategy } = config;
  if (typeof strategy === "object" && strategy !== null && typeof strategy.pick === "function")
    return strategy;
  if (strategy === "random") return createRandomStrategy({ random: deps.random });
  if (strategy === "round-robin")
    return createRoundRobinStrategy({ counter: deps.counter, logger: deps.logger });
  if (strategy === "least-recent")
    return createLeastRecentStrategy({ store: deps.lastCalls, logger: deps.logger });
  const shown = typeof strategy === "string" ? JSON.stringify(strategy) : String(strategy);
  throw new PdvError(
    CORE_ERROR_CODES.STRATEGY_UNKNOWN,
    `unknown routing strategy ${shown}: expected one of ${STRATEGY_NAMES.join(", ")} (or an object with name and pick)`,
  );
}
