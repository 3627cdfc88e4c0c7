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
  /** A call back within the route's hunt window: the caller's attempt and the level reached. */
  readonly hunt?: { readonly attempt: number; readonly level: number } | undefined;
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

// pino loggers answer isLevelEnabled; other Fastify-compatible loggers are assumed to log everything.
function isEnabled(log: FastifyBaseLogger, level: string): boolean {
  const check = (log as { isLevelEnabled?: (level: string) => boolean }).isLevelEnabled;
  return check === undefined || check.call(log, level);
}

/** The request an audit line is about: its id, and its client address, resolved only when logged. */
interface AuditRequest {
  readonly id: string;
  clientAddress(): string | undefined;
}

/**
 * Writes the one audit line of a webhook call (`info`, or `warn` for refusals and NAKs), with the
 * destination and caller masked, and the request id and client address when `request` is given.
 */
export function writeAudit(log: FastifyBaseLogger, fields: AuditFields, request?: AuditRequest): void {
  const level = WARN_OUTCOMES.has(fields.outcome) ? "warn" : "info";
  // Masking costs more than the rest of the call; skip it when the line would be dropped anyway.
  if (!isEnabled(log, level)) return;
  // One object literal of a fixed shape (undefined fields are left out of the JSON): building it
  // by spreading and adding keys cost more than serialising it.
  const audit = {
    route: fields.route,
    outcome: fields.outcome,
    status: fields.status,
    latencyMs: fields.latencyMs,
    reason: fields.reason,
    level: fields.level,
    strategy: fields.strategy,
    rosterState: fields.rosterState,
    hunt: fields.hunt,
    responderId: fields.responderId,
    responderName: fields.responderName,
    destination: fields.destination === undefined ? undefined : maskDestination(fields.destination),
    caller: fields.caller === undefined ? undefined : maskNumber(fields.caller),
    reqId: request?.id,
    remoteAddress: request?.clientAddress(),
  };
  log[level]({ audit }, "webhook call");
}
