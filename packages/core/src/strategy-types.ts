import type { Logger, RoutingStrategy } from "./types.js";

/**
 * A small shared store for a strategy's state: in memory, or in Redis when the server has Redis
 * configured (then shared by every instance; while Redis fails it answers from memory). Keys are
 * the strategy's own: the server scopes them to the route.
 */
export interface StrategyStore {
  /** `memory` or `redis`. */
  readonly name: string;
  /** The value of `key`, or undefined when unset or expired. */
  get(key: string): Promise<string | undefined>;
  /** Sets `key` to `value`, for `ttlMs` milliseconds when given (else until evicted). */
  set(key: string, value: string, ttlMs?: number): Promise<void>;
  /** Atomically adds 1 to the integer at `key` (unset: 0) and resolves with the new value; `ttlMs` renews its expiry. */
  incr(key: string, ttlMs?: number): Promise<number>;
}

/** What a strategy module's factory receives. */
export interface StrategyContext {
  /** The route the strategy serves, e.g. `default` or `support`. */
  readonly route: string;
  /** The route's `strategy_options` from configuration, or `{}`. */
  readonly options: Readonly<Record<string, unknown>>;
  /** Where the strategy logs (never log phone numbers unmasked: use `maskPhoneNumber`). */
  readonly logger: Logger;
  /** The server's clock. */
  now(): Date;
  /** Random numbers in [0, 1) (the server's source; seeded in tests). */
  random(): number;
  /** State shared by every instance (Redis when configured), scoped to this route. */
  readonly store: StrategyStore;
}

/**
 * What a strategy module exports (as its default export, or as `createStrategy`): builds the route's
 * strategy, `{ name, pick(candidates, { route, callerId, now }) }`, once at start-up.
 */
export type StrategyFactory = (context: StrategyContext) => RoutingStrategy | Promise<RoutingStrategy>;
