import type { RosterHealth, RosterState } from "@pagerduty-voys/core";
import { Counter, collectDefaultMetrics, Gauge, Histogram, Registry } from "prom-client";
import { createCallMetrics } from "./call-metrics.js";

/** How a webhook call ended, as counted in `pagerduty_voys_webhook_requests_total`. */
export type CallOutcome = "ack" | "fallback" | "nak" | "unauthorised" | "forbidden" | "not_found";

/** Every {@link CallOutcome}. */
const CALL_OUTCOMES: readonly CallOutcome[] = Object.freeze([
  "ack",
  "fallback",
  "nak",
  "unauthorised",
  "forbidden",
  "not_found",
]);

/** What the PagerDuty source reports about each request it makes (its `onRequest` event). */
interface PagerDutyRequestEvent {
  /** `oncalls` or `users`. */
  readonly endpoint: string;
  /** `ok`, `unauthorized`, `rate_limited`, `timeout`, ... */
  readonly result: string;
  /** HTTP status, when there was one. */
  readonly status?: number | undefined;
  /** Duration of the request. */
  readonly durationMs: number;
}

/** What the roster reports after each refresh (its `onRefresh` event). */
interface RosterRefreshEvent {
  /** Whether the refresh succeeded. */
  readonly ok: boolean;
  /** Duration of the refresh. */
  readonly durationMs: number;
}

/** Prometheus metrics of one server instance, on a registry of its own. */
export interface ServerMetrics {
  /** Short name for logs. */
  readonly name: string;
  /** The registry `/metrics` renders. */
  readonly registry: Registry;
  /** Counts a webhook call and observes its latency. */
  observeCall(route: string, outcome: CallOutcome, seconds: number): void;
  /** Creates the zero series of every outcome for these routes, so dashboards see them at once. */
  declareRoutes(routes: readonly string[]): void;
  /** Feeds `pagerduty_voys_pagerduty_requests_total` (pass as the source's `onRequest`). */
  onPagerDutyRequest(event: PagerDutyRequestEvent): void;
  /** Feeds `pagerduty_voys_roster_refreshes_total` (pass as the roster's `onRefresh`). */
  onRosterRefresh(event: RosterRefreshEvent): void;
  /** Counts a pick or sticky lookup that fell back from Redis to memory. */
  onRedisFallback(store: "counter" | "sticky" | "hunt"): void;
  /** Counts one refused request (`pagerduty_voys_refused_requests_total`), logged only in summary. */
  onRefusal(reason: string): void;
  /** Counts one configuration reload by result (`pagerduty_voys_config_reloads_total`). */
  onConfigReload(result: "ok" | "invalid" | "failed"): void;
  /** Counts a strategy pick that failed (`error`, `timeout`, `invalid_pick`): the call got the fallback or a NAK. */
  onStrategyFailure(route: string, strategy: string, reason: string): void;
  /** Makes the roster gauges read this roster's health at each scrape. */
  watchRoster(roster: { health(): RosterHealth }): void;
}

/** Options of {@link createMetrics}. */
export interface MetricsOptions {
  /** Also collect Node's default process metrics on this registry (default true). */
  readonly defaultMetrics?: boolean;
}

const ROSTER_STATES: readonly RosterState[] = ["cold", "fresh", "stale", "expired"];

function rosterGauges(registry: Registry, health: () => RosterHealth | undefined): void {
  new Gauge({
    name: "pagerduty_voys_roster_age_seconds",
    help: "Seconds since the roster last loaded successfully (+Inf before the first load).",
    registers: [registry],
    collect() {
      const h = health();
      if (h) this.set(h.ageMs === null ? Number.POSITIVE_INFINITY : h.ageMs / 1000);
    },
  });
  new Gauge({
    name: "pagerduty_voys_roster_last_success_timestamp_seconds",
    help: "Unix time of the last successful roster refresh (0 before the first load).",
    registers: [registry],
    collect() {
      const h = health();
      if (h) this.set(h.lastSuccessAt === null ? 0 : h.lastSuccessAt.getTime() / 1000);
    },
  });
  new Gauge({
    name: "pagerduty_voys_roster_state",
    help: "1 for the roster's current state (cold, fresh, stale, expired), 0 for the others.",
    labelNames: ["state"],
    registers: [registry],
    collect() {
      const h = health();
      if (h) for (const state of ROSTER_STATES) this.set({ state }, h.state === state ? 1 : 0);
    },
  });
}

/** Creates the server's metrics on a new prom-client `Registry` (never the global one). */
export function createMetrics(options: MetricsOptions = {}): ServerMetrics {
  const registry = new Registry();
  let readHealth: (() => RosterHealth) | undefined;
  const calls = createCallMetrics(registry);
  const pagerduty = new Counter({
    name: "pagerduty_voys_pagerduty_requests_total",
    help: "Requests made to the PagerDuty API, by endpoint and result.",
    labelNames: ["endpoint", "result"],
    registers: [registry],
  });
  const pagerdutyDuration = new Histogram({
    name: "pagerduty_voys_pagerduty_request_duration_seconds",
    help: "Duration of requests to the PagerDuty API, by endpoint.",
    labelNames: ["endpoint"],
    buckets: [0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
    registers: [registry],
  });
  const refreshes = new Counter({
    name: "pagerduty_voys_roster_refreshes_total",
    help: "Roster refreshes by result (ok, error).",
    labelNames: ["result"],
    registers: [registry],
  });
  const redisFallbacks = new Counter({
    name: "pagerduty_voys_redis_fallbacks_total",
    help: "Picks (counter) and sticky lookups (sticky) answered from memory because Redis failed.",
    labelNames: ["store"],
    registers: [registry],
  });
  const refusals = new Counter({
    name: "pagerduty_voys_refused_requests_total",
    help: "Requests refused (bad secret, address not allowed, unknown path, bad request), by reason.",
    labelNames: ["reason"],
    registers: [registry],
  });
  const reloads = new Counter({
    name: "pagerduty_voys_config_reloads_total",
    help: "Configuration reloads (SIGHUP) by result: ok, invalid (kept the running one), failed.",
    labelNames: ["result"],
    registers: [registry],
  });
  for (const result of ["ok", "invalid", "failed"]) reloads.inc({ result }, 0);
  const strategyFailures = new Counter({
    name: "pagerduty_voys_strategy_failures_total",
    help: "Strategy picks that failed (error, timeout, invalid_pick), by route and strategy; the call got the fallback or a NAK.",
    labelNames: ["route", "strategy", "reason"],
    registers: [registry],
  });
  rosterGauges(registry, () => readHealth?.());
  if (options.defaultMetrics !== false) collectDefaultMetrics({ register: registry });
  return {
    name: "prometheus",
    registry,
    observeCall(route, outcome, seconds) {
      calls.record(route, outcome, seconds);
    },
    declareRoutes(routes) {
      for (const route of routes) for (const outcome of CALL_OUTCOMES) calls.declare(route, outcome);
    },
    onPagerDutyRequest(event) {
      pagerduty.inc({ endpoint: event.endpoint, result: event.result });
      pagerdutyDuration.observe({ endpoint: event.endpoint }, event.durationMs / 1000);
    },
    onRosterRefresh(event) {
      refreshes.inc({ result: event.ok ? "ok" : "error" });
    },
    onRedisFallback(store) {
      redisFallbacks.inc({ store });
    },
    onRefusal(reason) {
      refusals.inc({ reason });
    },
    onConfigReload(result) {
      reloads.inc({ result });
    },
    onStrategyFailure(route, strategy, reason) {
      strategyFailures.inc({ route, strategy, reason });
    },
    watchRoster(roster) {
      readHealth = () => roster.health();
    },
  };
}
