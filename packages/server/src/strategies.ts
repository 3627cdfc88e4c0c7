import {
  type Counter,
  createHunter,
  createMemoryCounter,
  createMemoryStickyStore,
  createStrategy,
  type Logger,
  type RoutingStrategy,
  type StickyStore,
  withStickyCallers,
} from "@pagerduty-voys/core";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";
import type { ServerMetrics } from "./metrics.js";
import type { BuildServerOptions, RouteConfig } from "./options.js";
import type { WebhookRoute } from "./route-table.js";

/** The state strategies share across routes: one counter, one sticky store, maybe one Redis client. */
export interface SharedStores {
  /** Round-robin counter (keys are per route). */
  readonly counter: Counter;
  /** Sticky-caller store (keys are per route and caller). */
  readonly stickyStore: StickyStore;
  /** Hunts (keys are per route and caller; JSON values). */
  readonly huntStore: StickyStore;
  /** `redis` when backed by Redis, else `memory`. */
  readonly kind: "redis" | "memory";
  /** Releases the stores and closes the Redis client, without waiting on a dead Redis. */
  close(): Promise<void>;
}

const REDIS_QUIT_WAIT_MS = 500;

function needsSharedState(options: BuildServerOptions): boolean {
  return options.routes.some(
    (route) =>
      (route.stickyMinutes ?? 0) > 0 ||
      (route.huntSeconds ?? 0) > 0 ||
      (route.strategy ?? options.routingStrategy ?? "random") === "round-robin",
  );
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

/**
 * Creates the stores behind round-robin and sticky callers: in Redis when `options.redis` is set
 * and a route needs them (every fallback to memory counted in `metrics`), else in memory.
 */
export async function createSharedStores(
  options: BuildServerOptions,
  log: Logger,
  metrics: ServerMetrics,
): Promise<SharedStores> {
  const memory = {
    counter: createMemoryCounter(),
    stickyStore: createMemoryStickyStore(options.now ? { now: options.now } : {}),
    huntStore: createMemoryStickyStore(options.now ? { now: options.now } : {}),
  };
  if (options.redis === undefined || !needsSharedState(options)) {
    if (options.redis !== undefined)
      log.info({}, "redis is configured but no route uses round-robin or sticky callers");
    return { ...memory, kind: "memory", close: async () => undefined };
  }
  const redis = await loadRedisModule();
  // Resolves even while Redis is down (after a short wait): the counters fall back to memory.
  const client = await redis.createRedisClient(options.redis.url, { logger: log });
  const common = {
    client,
    prefix: options.redis.keyPrefix ?? "pagerduty-voys:",
    commandTimeoutMs: options.redis.commandTimeoutMs ?? 250,
    logger: log,
  };
  const counter = redis.createRedisCounter({
    ...common,
    fallback: memory.counter,
    onFallback: () => metrics.onRedisFallback("counter"),
  });
  const stickyStore = redis.createRedisStickyStore({
    ...common,
    fallback: memory.stickyStore,
    onFallback: () => metrics.onRedisFallback("sticky"),
  });
  const huntStore = redis.createRedisHuntStore({
    ...common,
    fallback: memory.huntStore,
    onFallback: () => metrics.onRedisFallback("sticky"),
  });
  return {
    counter,
    stickyStore,
    huntStore,
    kind: "redis",
    async close() {
      await Promise.allSettled([counter.close?.(), stickyStore.close?.(), huntStore.close?.()]);
      await redis.closeRedisClient(client, REDIS_QUIT_WAIT_MS);
    },
  };
}

/** Builds a route's strategy: by name or as given, wrapped in sticky callers when `stickyMinutes`. */
export function createRouteStrategy(
  route: RouteConfig,
  defaults: { strategy: "random" | "round-robin"; random?: (() => number) | undefined; logger: Logger },
  stores: SharedStores,
): RoutingStrategy {
  const chosen = route.strategy ?? defaults.strategy;
  const base =
    typeof chosen === "string"
      ? createStrategy(
          { strategy: chosen },
          {
            counter: stores.counter,
            logger: defaults.logger,
            ...(defaults.random ? { random: defaults.random } : {}),
          },
        )
      : chosen;
  if (route.stickyMinutes === undefined || route.stickyMinutes <= 0) return base;
  return withStickyCallers(base, {
    store: stores.stickyStore,
    ttlMs: Math.round(route.stickyMinutes * 60_000),
  });
}

/** Turns route configurations into ready {@link WebhookRoute}s. */
export function createWebhookRoutes(
  options: BuildServerOptions,
  stores: SharedStores,
  logger: Logger,
): WebhookRoute[] {
  const defaults = { strategy: options.routingStrategy ?? "random", random: options.random, logger } as const;
  return options.routes.map((route) => ({
    name: route.name,
    policyId: route.policyId,
    level: route.level ?? 1,
    strategy: createRouteStrategy(route, defaults, stores),
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
  }));
}
