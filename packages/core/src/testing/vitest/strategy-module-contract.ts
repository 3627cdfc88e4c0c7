import { silentLogger } from "../../logger.js";
import { createModuleStrategy } from "../../strategy-module.js";
import { createMemoryStrategyStore, scopeStrategyStore } from "../../strategy-store.js";
import type { StrategyContext } from "../../strategy-types.js";
import { runStrategyContract, type StrategyContractOptions } from "./strategy-contract.js";

/** Options of `runStrategyModuleContract`. */
export interface StrategyModuleContractOptions extends StrategyContractOptions {
  /** The `strategy_options` handed to the factory. Default `{}`. */
  readonly options?: Readonly<Record<string, unknown>>;
  /** Name of the suite. Default: the module's file name. */
  readonly label?: string;
  /** Overrides parts of the context the factory receives (route, logger, now, random, store). */
  readonly context?: Partial<StrategyContext>;
}

/**
 * Runs the RoutingStrategy contract (vitest) against a strategy module, loaded and built the way
 * the server does it (default export or `createStrategy`, a fresh memory store per test). One line in
 * an author's test: `runStrategyModuleContract(new URL("./my-strategy.mjs", import.meta.url))`.
 */
export function runStrategyModuleContract(
  module: string | URL,
  options: StrategyModuleContractOptions = {},
): void {
  const file = String(module).split("/").pop() ?? String(module);
  const label = options.label ?? file;
  runStrategyContract(
    label,
    () => {
      const route = options.context?.route ?? "contract";
      return createModuleStrategy(module, {
        route,
        options: options.options ?? {},
        logger: silentLogger,
        now: () => new Date(),
        random: Math.random,
        store: scopeStrategyStore(createMemoryStrategyStore(), route),
        ...options.context,
      });
    },
    { ...(options.rotating === undefined ? {} : { rotating: options.rotating }) },
  );
}
