import {
  type Counter,
  createMemoryCounter,
  createMemoryLastCallStore,
  createMemoryStickyStore,
  createMemoryStrategyStore,
  createModuleStrategy,
  createStrategy,
  type LastCallStore,
  type Logger,
  type RoutingStrategy,
  type StickyStore,
  type StrategyStore,
  scopeStrategyStore,
  withStickyCallers,
} from "@pagerduty-voys/core";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";
import type { ServerMetrics } from "./metrics.js";
import type { BuildServerOptions, RouteConfig, StrategyChoice, StrategyModuleRef } from "./options.js";
import type { WebhookRoute } from "./route-table.js";

/** The state strategies share across routes: counters, stores, maybe one Redis client. */
export interface SharedStores {
  /** Round-robin counter (keys are per route). */
  readonly counter: Counter;
  /** Least-recent order of last calls (per route). */
  readonly lastCalls: LastCallStore;
  /** Sticky-caller store (keys are per route and caller). */
  readonly stickyStore: StickyStore;
  /** The store strategy modules get (scoped per route by {@link createWebhookRoutes}). */
  readonly strategyStore: StrategyStore;
  /** `redis` when backed by Redis, else `memory`. */
  readonly kind: "redis" | "memory";
  /** Closes `strategy` (when it has `close`) along with the stores. */
  track(strategy: RoutingStrategy): void;
  /** Releases the strategies, the stores and the Redis client, without waiting on a dead Redis. */
  close(): Promise<void>;
}

const REDIS_QUIT_WAIT_MS = 500;

function isModuleRef(choice: StrategyChoice | undefined): choice is StrategyModuleRef {
  return typeof choice === "object" && choice !== null && "module" in choice;
}

function needsSharedState(options: BuildServerOptions): boolean {
  return options.routes.some((route) => {
    const chosen = route.strategy ?? options.routingStrategy ?? "random";
    return (
      (route.stickyMinutes ?? 0) > 0 ||
      (chosen !== "random" && typeof chosen === "string") ||
      isModuleRef(chosen)
    );
  });
}

async function loadRedisModule(): Promise<typeof import("@pagerduty-voys/core/redis")> {
  try {
    return await import("@pagerduty-voys/core/redis");
  } catch (cause) {
    throw new ServerError(
      SERVER_ERROR_CODES.REDIS_UNAVAILABLE,
      "Redis support could not be loaded (is ioredis installed?)",
      { cause },
    );
  }
}

function closer(): { track(strategy: RoutingStrategy): void; closeAll(): Promise<void> } {
  const strategies: RoutingStrategy[] = [];
  return {
    track: (strategy) => void strategies.push(strategy),
    closeAll: async () => {
      await Promise.allSettled(strategies.map((strategy) => strategy.close?.()));
    },
  };
}

/**
 * Creates the stores behind round-robin, least-recent, sticky callers and strategy modules: in
 * Redis (a URL or Sentinel) when `options.redis` is set and a route needs them (every fallback to
 * memory counted in `metrics`), else in memory.
 */
export async function createSharedStores(
  options: BuildServerOptions,
  log: Logger,
  metrics: ServerMetrics,
): Promise<SharedStores> {
  const now = options.now ? { now: options.now } : {};
  const memory = {
    counter: createMemoryCounter(),
    lastCalls: createMemoryLastCallStore(),
    stickyStore: createMemoryStickyStore(now),
    strategyStore: createMemoryStrategyStore(now),
  };
  const strategies = closer();
  if (options.redis === undefined || !needsSharedState(options)) {
    if (options.redis !== undefined)
      log.info({}, "redis is configured but no route keeps shared state (random without sticky callers)");
    return { ...memory, kind: "memory", track: strategies.track, close: strategies.closeAll };
  }
  const redis = await loadRedisModule();
  const { keyPrefix, commandTimeoutMs, ...connection } = options.redis;
  // Resolves even while Redis is down (after a short wait): the stores fall back to memory.
  const client = await redis.createRedisClient(connection, { logger: log });
  const common = {
    client,
    prefix: keyPrefix ?? "pagerduty-voys:",
    commandTimeoutMs: commandTimeoutMs ?? 250,
    logger: log,
  };
  const stores = {
    counter: redis.createRedisCounter({
      ...common,
      fallback: memory.counter,
      onFallback: () => metrics.onRedisFallback("counter"),
    }),
    lastCalls: redis.createRedisLastCallStore({
      ...common,
      fallback: memory.lastCalls,
      onFallback: () => metrics.onRedisFallback("counter"),
    }),
    stickyStore: redis.createRedisStickyStore({
      ...common,
      fallback: memory.stickyStore,
      onFallback: () => metrics.onRedisFallback("sticky"),
    }),
    strategyStore: redis.createRedisStrategyStore({
      ...common,
      fallback: memory.strategyStore,
      onFallback: () => metrics.onRedisFallback("counter"),
    }),
  };
  return {
    ...stores,
    kind: "redis",
    track: strategies.track,
    async close() {
      await strategies.closeAll();
      await Promise.allSettled([
        stores.counter.close?.(),
        stores.stickyStore.close?.(),
        stores.lastCalls.close?.(),
      ]);
      await redis.closeRedisClient(client, REDIS_QUIT_WAIT_MS);
    },
  };
}

/** What {@link createRouteStrategy} needs besides the route and the stores. */
export interface StrategyDefaults {
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
export async function createRouteStrategy(
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
    });
  }
  return routes;
}
