import type { WebhookRoute } from "../route-table.js";
import type { EventSender } from "./event-sender-types.js";
import { type IncidentCall, incidentEvent } from "./incident-event.js";
import type { IncidentMetrics } from "./incident-metrics.js";

/** Sees every answered call (routed, fallback or NAK) after its decision; must stay cheap. */
export interface CallObserver {
  /** Counts hunts and queues the route's incident event, without waiting for anything. */
  observe(route: WebhookRoute, call: IncidentCall): void;
}

/** The observer of `buildServer`: the hunt metric, and events for routes with `incidents`. */
export function createCallObserver(metrics: IncidentMetrics, sender: EventSender | undefined): CallObserver {
  return {
    observe(route, call) {
      if (call.hunt !== undefined) metrics.onHunt(route.name, call.hunt.attempt, call.hunt.level);
      const incidents = route.incidents;
      if (sender === undefined || incidents === undefined || incidents.mode === "off") return;
      if (call.outcome === "ack" && incidents.mode !== "all") return;
      sender.enqueue(incidentEvent(call, incidents.routingKey), call.at);
    },
  };
}
