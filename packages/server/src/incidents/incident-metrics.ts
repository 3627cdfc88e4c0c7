import { Counter, Gauge, type Registry } from "prom-client";
import type { EventAttempt, EventResult } from "./event-sender-types.js";

const EVENT_RESULTS: readonly EventResult[] = ["accepted", "rejected", "retried", "dropped"];

/** The metrics of hunting and incidents, on the server's registry. */
export interface IncidentMetrics {
  /** Counts one send attempt or dropped event (pass as the sender's `onAttempt`). */
  onAttempt(attempt: EventAttempt): void;
  /** Makes `pagerduty_voys_events_queue_depth` read this at each scrape. */
  watchDepth(depth: () => number): void;
  /** Counts a hunted call (a call back within the hunt window). */
  onHunt(route: string, attempt: number, level: number): void;
}

/** The `attempt` label: 2, 3, 4, then `5+`. */
function attemptBucket(attempt: number): string {
  return attempt >= 5 ? "5+" : String(attempt);
}

/** Registers `pagerduty_voys_events_total`, `pagerduty_voys_events_queue_depth` and `pagerduty_voys_hunted_calls_total`. */
export function createIncidentMetrics(registry: Registry): IncidentMetrics {
  let readDepth: () => number = () => 0;
  const events = new Counter({
    name: "pagerduty_voys_events_total",
    help: "PagerDuty Events API v2 sends by result (accepted, rejected, retried, dropped).",
    labelNames: ["result"],
    registers: [registry],
  });
  for (const result of EVENT_RESULTS) events.inc({ result }, 0);
  new Gauge({
    name: "pagerduty_voys_events_queue_depth",
    help: "Events waiting to be sent to PagerDuty.",
    registers: [registry],
    collect() {
      this.set(readDepth());
    },
  });
  const hunted = new Counter({
    name: "pagerduty_voys_hunted_calls_total",
    help: "Calls back within a route's hunt window, by route, attempt (2, 3, 4, 5+) and escalation level reached.",
    labelNames: ["route", "attempt", "level"],
    registers: [registry],
  });
  return {
    onAttempt: (attempt) => events.inc({ result: attempt.result }),
    watchDepth(depth) {
      readDepth = depth;
    },
    onHunt: (route, attempt, level) =>
      hunted.inc({ route, attempt: attemptBucket(attempt), level: String(level) }),
  };
}
