import { createHmac, randomUUID } from "node:crypto";
import { hostname } from "node:os";
import type { Responder } from "@pagerduty-voys/core";
import type { PagerDutyEvent } from "@pagerduty-voys/pagerduty-source";

/** A call the incidents reporter may turn into an event. */
export interface IncidentCall {
  /** Route name. */
  readonly route: string;
  /** The caller's number in E.164 (or as sent when it is no number); undefined without `callerid`. */
  readonly caller: string | undefined;
  /** The called number as sent. */
  readonly did: string | undefined;
  /** The IVR code as sent. */
  readonly code: string | undefined;
  /** `ack` (routed), `fallback` or `nak`. */
  readonly outcome: "ack" | "fallback" | "nak";
  /** Why nobody was routed, when so. */
  readonly reason: string | undefined;
  /** Who got the call (routed calls). */
  readonly responder: Responder | undefined;
  /** The number dialled: the responder's, or the fallback. */
  readonly destination: string | undefined;
  /** With hunting: which attempt of the caller this was, and at which level it was routed. */
  readonly hunt: { readonly attempt: number; readonly level: number } | undefined;
  /** When the call came in. */
  readonly at: Date;
}

/**
 * The caller as an event names it: the number in E.164 when it normalises, else as sent when it
 * looks like a number at all (a national number); otherwise (`anonymous`, hidden) undefined, so
 * that such calls are not folded together.
 */
export function incidentCaller(raw: string | undefined, e164: string | undefined): string | undefined {
  if (e164 !== undefined) return e164;
  return raw !== undefined && /^\+?[0-9][0-9 ().-]{2,30}$/.test(raw) ? raw : undefined;
}

/** Where events say they come from (PagerDuty's `payload.source`). */
const EVENT_SOURCE = `pagerduty-voys-webhook on ${hostname()}`;

/**
 * The dedup key of a call: one caller's calls on one route share a key, so that their repeated
 * attempts fold into one alert; the number is hashed (keyed with the routing key) rather than shown.
 * Calls without a caller id each get a key of their own.
 */
export function dedupKeyFor(
  call: Pick<IncidentCall, "route" | "caller">,
  kind: "missed" | "routed",
  routingKey: string,
): string {
  if (call.caller === undefined) return `pdv:${call.route}:${kind}:anonymous:${randomUUID()}`;
  const digest = createHmac("sha256", routingKey).update(`${call.route}\u0000${call.caller}`).digest("hex");
  return `pdv:${call.route}:${kind}:${digest.slice(0, 32)}`;
}

const REASONS: Readonly<Record<string, string>> = {
  "nobody on call": "nobody on call",
  "no phones": "nobody on call has a phone number",
  "roster cold": "on-call roster not loaded yet",
  "roster expired": "on-call roster out of date",
  "strategy failed": "routing failed",
};

function summaryOf(call: IncidentCall): string {
  const from = call.caller === undefined ? "an unknown number (no caller id)" : call.caller;
  if (call.outcome === "ack") {
    const who = call.responder?.name ?? "the on-call responder";
    return `Call from ${from} on route ${call.route} routed to ${who}`;
  }
  const why = REASONS[call.reason ?? ""] ?? call.reason ?? "nobody reachable";
  const how = call.outcome === "fallback" ? "; sent to the fallback number" : "";
  return `Missed call from ${from} on route ${call.route} (${why}${how}): call back`;
}

/** The Events API v2 trigger for a call: `critical` for a missed call, `info` for a routed one. */
export function incidentEvent(call: IncidentCall, routingKey: string): PagerDutyEvent {
  const missed = call.outcome !== "ack";
  const details: Record<string, unknown> = {
    route: call.route,
    caller: call.caller ?? null,
    did: call.did ?? null,
    code: call.code ?? null,
    outcome: call.outcome,
    reason: call.reason ?? null,
  };
  if (call.responder !== undefined) details.responder = { id: call.responder.id, name: call.responder.name };
  if (call.destination !== undefined) details.destination = call.destination;
  if (call.hunt !== undefined) details.hunt = call.hunt;
  return {
    routing_key: routingKey,
    event_action: "trigger",
    dedup_key: dedupKeyFor(call, missed ? "missed" : "routed", routingKey),
    payload: {
      summary: summaryOf(call).slice(0, 1024),
      source: EVENT_SOURCE,
      severity: missed ? "critical" : "info",
      timestamp: call.at.toISOString(),
      component: "voys-webhook",
      group: call.route,
      class: missed ? "missed call" : "routed call",
      custom_details: details,
    },
  };
}
