import type { RosterState } from "@pagerduty-voys/core";
import type { FastifyBaseLogger } from "fastify";
import { maskNumber } from "./logging.js";
import type { CallOutcome } from "./metrics.js";

/** What one audit line says about a webhook call. Numbers are given whole and masked here. */
export interface AuditFields {
  /** Route name, or `unknown`. */
  readonly route: string;
  /** How the call ended. */
  readonly outcome: CallOutcome;
  /** HTTP status answered. */
  readonly status: number;
  /** Time to answer, in milliseconds. */
  readonly latencyMs: number;
  /** Why nobody (or nothing) was routed, when so. */
  readonly reason?: string | undefined;
  /** Escalation level of the route. */
  readonly level?: number | undefined;
  /** Strategy name. */
  readonly strategy?: string | undefined;
  /** Responder who got the call. */
  readonly responderId?: string | undefined;
  /** Their display name. */
  readonly responderName?: string | undefined;
  /** Number the call goes to (logged masked). */
  readonly destination?: string | undefined;
  /** Caller id as Voys sent it (logged masked). */
  readonly caller?: string | undefined;
  /** Roster state when the call was answered. */
  readonly rosterState?: RosterState | undefined;
}

const WARN_OUTCOMES: ReadonlySet<CallOutcome> = new Set(["unauthorised", "forbidden", "nak"]);

// Destinations are the same few numbers call after call: mask each once.
const maskedDestinations = new Map<string, string | undefined>();

function maskDestination(phone: string): string | undefined {
  let masked = maskedDestinations.get(phone);
  if (masked === undefined) {
    masked = maskNumber(phone);
    if (maskedDestinations.size >= 1_000) maskedDestinations.clear();
    maskedDestinations.set(phone, masked);
  }
  return masked;
}

/**
 * Writes the one audit line of a webhook call (`info`, or `warn` for refusals and NAKs), with the
 * destination and caller masked.
 */
export function writeAudit(log: FastifyBaseLogger, fields: AuditFields): void {
  const audit: Record<string, unknown> = { ...fields };
  if (fields.destination !== undefined) audit.destination = maskDestination(fields.destination);
  if (fields.caller !== undefined) audit.caller = maskNumber(fields.caller);
  if (WARN_OUTCOMES.has(fields.outcome)) log.warn({ audit }, "webhook call");
  else log.info({ audit }, "webhook call");
}
