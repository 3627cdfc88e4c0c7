import {
  type Counter,
  createMemoryCounter,
  createMemoryLastCallStore,
  createMemoryStickyStore,
  createMemoryStrategyStore,
  type LastCallStore,
  type Logger,
  type RoutingStrategy,
  type StickyStore,
  type StrategyStore,
} from "@pagerduty-voys/core";
import type { RedisCommandClient } from "@pagerduty-voys/core/redis";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";
import type { ServerMetrics } from "./metrics.js";
import type { BuildServerOptions, StrategyChoice, StrategyModuleRef } from "./options.js";

/** The state strategies share across routes: counters, stores, maybe one Redis client. */
export interface SharedStores {
  /** Round-robin counter (keys are per route). */
  readonly counter: Counter;
  /** Least-recent order of last calls (per route). */
  readonly lastCalls: LastCallStore;
  /** Sticky-caller store (keys are per route and caller). */
  readonly stickyStore: StickyStore;
  /** Hunts (keys are per route and caller; JSON values). */
  readonly huntStore: StickyStore;
  /** The store strategy modules get (scoped per route by `createWebhookRoutes`). */
  readonly strategyStore: StrategyStore;
  /** `redis` when backed by Redis, else `memory`. */
  readonly kind: "redis" | "memory";
  /** The one Redis client (URL or Sentinel) and its settings, for other shared state (hunts); unset in memory. */
  readonly redis?: {
    readonly client: RedisCommandClient;
    readonly prefix: string;
    readonly commandTimeoutMs: number;
  };
  /** Closes `strategy` (when it has `close`) along with the stores. */
  track(strategy: RoutingStrategy): void;
  /** Releases the strategies, the stores and the Redis client, without waiting on a dead Redis. */
  close(): Promise<void>;
}

const REDIS_QUIT_WAIT_MS = 500;

/** True when `choice` names a strategy module. */
export function isModuleRef(choice: StrategyChoice | undefined): choice is StrategyModuleRef {
  return typeof choice === "object" && choice !== null && "module" in choice;
}

function needsSharedState(options: BuildServerOptions): boolean {
  return options.routes.some((route) => {
    const chosen = route.strategy ?? options.routingStrategy ?? "random";
    return (
      (route.stickyMinutes ?? 0) > 0 ||
      (route.huntSeconds ?? 0) > 0 ||
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
    huntStore: createMemoryStickyStore(now),
    strategyStore: createMemoryStrategyStore(now),
  };
  const strategies = closer();
  if (options.redis === undefined || !needsSharedState(options)) {
    if (options.redis !== undefined)
      log.info(
        {},
        "redis is configured but no route keeps shared state (random without sticky callers or hunting)",
      );
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
    huntStore: redis.createRedisHuntStore({
      ...common,
      fallback: memory.huntStore,
      onFallback: () => metrics.onRedisFallback("hunt"),
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
    redis: { client, prefix: common.prefix, commandTimeoutMs: common.commandTimeoutMs },
    track: strategies.track,
    async close() {
      await strategies.closeAll();
      await Promise.allSettled([
        stores.counter.close?.(),
        stores.stickyStore.close?.(),
        stores.huntStore.close?.(),
        stores.lastCalls.close?.(),
      ]);
      await redis.closeRedisClient(client, REDIS_QUIT_WAIT_MS);
    },
  };
}
