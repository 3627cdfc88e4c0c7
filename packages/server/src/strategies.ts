import {
  createHunter,
  createModuleStrategy,
  createStrategy,
  type Logger,
  type RoutingStrategy,
  scopeStrategyStore,
  withStickyCallers,
} from "@pagerduty-voys/core";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";
import type { BuildServerOptions, RouteConfig, StrategyChoice, StrategyModuleRef } from "./options.js";
import type { WebhookRoute } from "./route-table.js";
import { isModuleRef, type SharedStores } from "./shared-stores.js";

export { createSharedStores, type SharedStores } from "./shared-stores.js";

/** What {@link createRouteStrategy} needs besides the route and the stores. */
interface StrategyDefaults {
  /** Strategy of routes without one. */
  readonly strategy: StrategyChoice;
  /** Random source (the `random` strategy, modules' `random()`). */
  readonly random?: (() => number) | undefined;
  /** The server's clock, for modules' `now()`. */
  readonly now?: (() => Date) | undefined;
  /** Where strategies log. */
  readonly logger: Logger;
}

function childLogger(logger: Logger, fields: object): Logger {
  const child = (logger as { child?: (fields: object) => Logger }).child;
  return typeof child === "function" ? child.call(logger, fields) : logger;
}

async function loadModuleStrategy(
  ref: StrategyModuleRef,
  route: RouteConfig,
  defaults: StrategyDefaults,
  stores: SharedStores,
): Promise<RoutingStrategy> {
  try {
    return await createModuleStrategy(ref.module, {
      route: route.name,
      options: Object.freeze({ ...(route.strategyOptions ?? {}) }),
      logger: childLogger(defaults.logger, { route: route.name, strategyModule: ref.module }),
      now: defaults.now ?? (() => new Date()),
      random: defaults.random ?? Math.random,
      store: scopeStrategyStore(stores.strategyStore, route.name),
    });
  } catch (error) {
    const problem = `${ref.setting}: ${error instanceof Error ? error.message : String(error)}`;
    throw new ServerError(SERVER_ERROR_CODES.OPTIONS_INVALID, `invalid server options:\n  ${problem}`, {
      cause: error,
      problems: [problem],
    });
  }
}

/**
 * Builds a route's strategy: by name, as given, or loaded from a module (a module that cannot be
 * used throws `PDV_ERR_SERVER_OPTIONS_INVALID` naming its setting, the file and the reason); wrapped
 * in sticky callers when `stickyMinutes`.
 */
async function createRouteStrategy(
  route: RouteConfig,
  defaults: StrategyDefaults,
  stores: SharedStores,
): Promise<RoutingStrategy> {
  const chosen = route.strategy ?? defaults.strategy;
  let base: RoutingStrategy;
  if (typeof chosen === "string") {
    base = createStrategy(
      { strategy: chosen },
      {
        counter: stores.counter,
        lastCalls: stores.lastCalls,
        logger: defaults.logger,
        ...(defaults.random ? { random: defaults.random } : {}),
      },
    );
  } else if (isModuleRef(chosen)) {
    base = await loadModuleStrategy(chosen, route, defaults, stores);
    stores.track(base);
  } else {
    base = chosen;
  }
  if (route.stickyMinutes === undefined || route.stickyMinutes <= 0) return base;
  return withStickyCallers(base, {
    store: stores.stickyStore,
    ttlMs: Math.round(route.stickyMinutes * 60_000),
  });
}

/** Turns route configurations into ready {@link WebhookRoute}s (loading strategy modules). */
export async function createWebhookRoutes(
  options: BuildServerOptions,
  stores: SharedStores,
  logger: Logger,
): Promise<WebhookRoute[]> {
  const defaults: StrategyDefaults = {
    strategy: options.routingStrategy ?? "random",
    random: options.random,
    now: options.now,
    logger,
  };
  const routes: WebhookRoute[] = [];
  for (const route of options.routes) {
    routes.push({
      name: route.name,
      policyId: route.policyId,
      level: route.level ?? 1,
      strategy: await createRouteStrategy(route, defaults, stores),
      fallbackNumber: route.fallbackNumber,
      dids: route.dids,
      codes: route.codes,
      hunter:
        route.huntSeconds === undefined
          ? undefined
          : createHunter({
              store: stores.huntStore,
              huntMs: route.huntSeconds * 1_000,
              stickyMs: (route.stickyMinutes ?? 0) * 60_000,
              logger,
            }),
      incidents:
        route.incidents === undefined || route.incidents === "off" || route.routingKey === undefined
          ? undefined
          : { mode: route.incidents, routingKey: route.routingKey },
    });
  }
  return routes;
}
