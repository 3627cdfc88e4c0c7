export type { BackoffOptions } from "./backoff.js";
export { backoffDelayMs, DEFAULT_BACKOFF } from "./backoff.js";
export { withTimeout } from "./command-timeout.js";
export type { StrategyDeps, StrategyName } from "./create-strategy.js";
export { createStrategy, isStrategyName, STRATEGY_NAMES } from "./create-strategy.js";
export type { CoreErrorCode, PdvErrorOptions } from "./errors.js";
export { CORE_ERROR_CODES, describeError, errorCode, isPdvError, PdvError } from "./errors.js";
export type { HuntCall, Hunter, HunterOptions, HuntOutcome } from "./hunt.js";
export { createHunter } from "./hunt.js";
export type { LastCallClaim, LastCallStore } from "./last-call-store.js";
export { createMemoryLastCallStore } from "./last-call-store.js";
export type { LeastRecentStrategyOptions } from "./least-recent.js";
export { createLeastRecentStrategy } from "./least-recent.js";
export { silentLogger } from "./logger.js";
export { createMemoryCounter } from "./memory-counter.js";
export type { MemoryStickyStoreOptions } from "./memory-sticky-store.js";
export { createMemoryStickyStore } from "./memory-sticky-store.js";
export { maskPhoneNumber } from "./phone-mask.js";
export type { RandomStrategyOptions } from "./random.js";
export { createRandomStrategy } from "./random.js";
export { createRefreshingRoster } from "./refreshing-roster.js";
export type { RefreshingRosterOptions, RefreshReport } from "./roster-options.js";
export { MAX_LOOKAHEAD_MS } from "./roster-options.js";
export type { RoundRobinStrategyOptions } from "./round-robin.js";
export { createRoundRobinStrategy } from "./round-robin.js";
export type { StickyCallersOptions } from "./sticky-callers.js";
export { withStickyCallers } from "./sticky-callers.js";
export type { ModuleStrategyOptions } from "./strategy-module.js";
export { createModuleStrategy, loadStrategyFactory, StrategyModuleError } from "./strategy-module.js";
export type { MemoryStrategyStoreOptions } from "./strategy-store.js";
export { createMemoryStrategyStore, scopeStrategyStore } from "./strategy-store.js";
export type { StrategyContext, StrategyFactory, StrategyStore } from "./strategy-types.js";
export type { Timers } from "./timers.js";
export { realTimers } from "./timers.js";
export type {
  Counter,
  Logger,
  OnCallSource,
  Pick,
  PickContext,
  Responder,
  Roster,
  RosterHealth,
  RosterSelector,
  RosterState,
  RoutingStrategy,
  Shift,
  StickyStore,
  TimeWindow,
} from "./types.js";
