import { createEventsClient } from "@pagerduty-voys/pagerduty-source";
import type { FastifyBaseLogger } from "fastify";
import type { ServerMetrics } from "../metrics.js";
import type { BuildServerOptions } from "../options.js";
import { type CallObserver, createCallObserver } from "./call-observer.js";
import { createEventSender } from "./event-sender.js";
import type { EventSender } from "./event-sender-types.js";
import { openEventSpool } from "./event-spool.js";
import { createIncidentMetrics } from "./incident-metrics.js";

/** Hunting metrics and incident events of one server, ready to observe calls. */
export interface Incidents {
  /** Pass to the webhook plugin. */
  readonly observer: CallObserver;
  /** The sender, when some route sends events. */
  readonly sender: EventSender | undefined;
  /** Gives pending sends at most about 2 s, then stops. */
  close(): Promise<void>;
}

/**
 * Sets up the hunt metric and, when a route has `incidents`, the Events API sender: its spool in
 * `events.stateDirectory` (events left by an earlier run are queued again) and its metrics.
 */
export async function startIncidents(
  options: BuildServerOptions,
  log: FastifyBaseLogger,
  serverMetrics: ServerMetrics,
): Promise<Incidents> {
  const metrics = createIncidentMetrics(serverMetrics.registry);
  let sender: EventSender | undefined;
  if (wantsIncidents(options)) {
    const events = options.events ?? {};
    const spool =
      events.stateDirectory === undefined ? undefined : await openEventSpool(events.stateDirectory);
    sender = createEventSender({
      client: createEventsClient({ url: events.url, requestTimeoutMs: events.requestTimeoutMs }),
      spool,
      timers: options.timers,
      logger: log.child({ component: "incidents" }),
      queueSize: events.queueSize,
      onAttempt: (attempt) => {
        metrics.onAttempt(attempt);
        events.onAttempt?.(attempt);
      },
    });
    const current = sender;
    metrics.watchDepth(() => current.depth);
    await sender.start();
  }
  return {
    observer: createCallObserver(metrics, sender),
    sender,
    close: async () => sender?.close(),
  };
}

/** True when some route sends incidents (`missed` or `all`). */
function wantsIncidents(options: BuildServerOptions): boolean {
  return options.routes.some((route) => route.incidents === "missed" || route.incidents === "all");
}
