import { performance } from "node:perf_hooks";
import {
  normalizeVoysNumber,
  parseVoysRequest,
  renderAck,
  renderNak,
  type VoysBody,
  type VoysRequest,
} from "@pagerduty-voys/voys-adapter";
import type { FastifyReply, FastifyRequest } from "fastify";
import { type AuditFields, writeAudit } from "./audit.js";
import type { SecretChecker } from "./auth.js";
import type { ClientAddressOf } from "./client-address.js";
import { sendPlain } from "./http-hardening.js";
import type { CallObserver } from "./incidents/call-observer.js";
import { type IncidentCall, incidentCaller } from "./incidents/incident-event.js";
import type { IpAllowlist } from "./ip-allowlist.js";
import type { ServerMetrics } from "./metrics.js";
import type { RefusalLog, RefusalReason } from "./refusal-log.js";
import { type CallDecision, type RouteCallDeps, routeCall } from "./route-call.js";
import type { RouteTable, WebhookRoute } from "./route-table.js";

/** A webhook request: `route` is set on `/voys-webhook/:route`. */
export type WebhookRequest = FastifyRequest<{ Params: { route?: string } }>;

/**
 * What the webhook handlers share: built once by the plugin. `table`, `secret` and `allowlist` are
 * replaced together, synchronously, by a reload; a call reads them before its first await.
 */
export interface WebhookContext extends RouteCallDeps {
  table: RouteTable;
  secret: SecretChecker;
  allowlist: IpAllowlist | undefined;
  /** True when the allowlist is checked by an `onRequest` hook (else the handler checks it). */
  readonly allowlistHooked: boolean;
  readonly clientAddressOf: ClientAddressOf;
  readonly refusals: RefusalLog;
  readonly metrics: ServerMetrics | undefined;
  /** Sees every routed, fallback and NAK call (hunt metric, incidents). */
  readonly observer?: CallObserver | undefined;
}

/** The client address of a webhook request, behind trusted proxies: always a real IP (or undefined). */
function clientAddress(ctx: WebhookContext, request: FastifyRequest): string | undefined {
  return ctx.clientAddressOf(request.socket.remoteAddress, request.headers["x-forwarded-for"]);
}

// Fastify has already parsed the query string into an object (repeated keys as arrays); parsing it
// again cost more than the routing decision itself.
function queryOf(request: FastifyRequest): VoysBody {
  return request.query as VoysBody;
}

type Audit = { -readonly [K in keyof AuditFields]: AuditFields[K] };

/** One call in progress: what answering it needs, its audit record, and when it started. */
interface Call {
  readonly ctx: WebhookContext;
  readonly request: WebhookRequest;
  readonly reply: FastifyReply;
  readonly audit: Audit;
  readonly started: number;
  /** The route once the secret was accepted (a recovery answers on it). */
  route?: WebhookRoute | undefined;
  authorised: boolean;
}

function startCall(ctx: WebhookContext, request: WebhookRequest, reply: FastifyReply, audit: Audit): Call {
  return { ctx, request, reply, audit, started: performance.now(), authorised: false };
}

function finish(call: Call, status: number, body: string): void {
  const { ctx, request, reply, audit, started } = call;
  const seconds = (performance.now() - started) / 1000;
  ctx.metrics?.observeCall(audit.route, audit.outcome, seconds);
  audit.status = status;
  audit.latencyMs = Math.round(seconds * 1e6) / 1e3;
  // Refusals without the secret are counted one by one but logged in summary: no client can make
  // us write a line per request. Calls with the secret keep their audit line.
  const refusal = refusalOf(audit);
  if (refusal === undefined)
    writeAudit(request.log, audit, { id: request.id, clientAddress: () => clientAddress(ctx, request) });
  else ctx.refusals.record(refusal, clientAddress(ctx, request));
  sendPlain(reply, status, body);
}

function refusalOf(audit: Audit): RefusalReason | undefined {
  if (audit.outcome === "forbidden") return "forbidden";
  if (audit.outcome !== "unauthorised") return undefined;
  if (audit.reason === "secret repeated") return "secret_repeated";
  return audit.reason === "secret missing" ? "secret_missing" : "secret_wrong";
}

function secretProblem(vars: VoysRequest): string {
  if (vars.secretKeyRepeated) return "secret repeated";
  return vars.secretKey === undefined ? "secret missing" : "secret wrong";
}

// Hands the call to the observer (hunt metric, incident events): memory only, nothing awaited.
function observe(
  ctx: WebhookContext,
  route: WebhookRoute,
  vars: VoysRequest,
  caller: string | undefined,
  decision: CallDecision,
  audit: Audit,
): void {
  if (ctx.observer === undefined || (route.incidents === undefined && route.hunter === undefined)) return;
  const hunt = decision.kind === "pick" && decision.hunt?.hunted ? decision.hunt : undefined;
  const call: IncidentCall = {
    route: route.name,
    caller: incidentCaller(vars.callerId, caller),
    did: vars.did,
    code: vars.code,
    outcome: audit.outcome === "ack" ? "ack" : audit.outcome === "fallback" ? "fallback" : "nak",
    reason: audit.reason,
    responder: decision.kind === "pick" ? decision.responder : undefined,
    destination: audit.destination,
    hunt: hunt && { attempt: hunt.attempt, level: hunt.level },
    at: ctx.now(),
  };
  ctx.observer.observe(route, call);
}

/**
 * Answers one webhook call (after the allowlist): secret, route, roster, strategy, audit line.
 * Never rejects: an exception anywhere ends in the route's fallback number or `503 status=NAK`.
 * Resolves once the answer is sent, with nothing: a resolved reply would make Fastify wait on it.
 */
export function answerCall(ctx: WebhookContext, request: WebhookRequest, reply: FastifyReply): Promise<void> {
  const call = startCall(ctx, request, reply, {
    route: "unknown",
    outcome: "unauthorised",
    status: 0,
    latencyMs: 0,
  });
  return routeAndAnswer(call).catch((error: unknown) => recover(call, error));
}

async function routeAndAnswer(call: Call): Promise<void> {
  const { ctx, request, reply, audit } = call;
  // Not `await refuseOutsider(…)`: a FastifyReply is thenable, and awaiting one gives undefined once
  // it is sent, so a refused call would go on to be routed.
  if (!ctx.allowlistHooked && refusedOutsider(ctx, request, reply)) return;
  // The body as Fastify parsed it: URLSearchParams (our form parser) or any JSON value, of which
  // parseVoysRequest reads only an object's own keys (an array, null or a string holds none).
  const vars = parseVoysRequest(queryOf(request), request.body as VoysBody | undefined);
  const route = ctx.table.resolve(request.params.route, vars.did, vars.code);
  audit.route = route?.name ?? "unknown";
  audit.caller = vars.callerId;
  if (!ctx.secret.accepts(vars)) {
    audit.reason = secretProblem(vars);
    finish(call, 401, renderNak());
    return;
  }
  call.authorised = true;
  call.route = route;
  if (route === undefined) {
    audit.outcome = "not_found";
    audit.reason = "no such route";
    finish(call, 404, renderNak());
    return;
  }
  const caller = normalizeVoysNumber(vars.callerId);
  const decision = await routeCall(route, caller, ctx, request.log);
  audit.level = route.level;
  audit.strategy = route.strategy.name;
  audit.rosterState = decision.rosterState;
  if (decision.kind === "pick") {
    audit.outcome = "ack";
    audit.responderId = decision.responder.id;
    audit.responderName = decision.responder.name;
    audit.destination = decision.phone;
    if (decision.hunt?.hunted) audit.hunt = { attempt: decision.hunt.attempt, level: decision.hunt.level };
    observe(ctx, route, vars, caller, decision, audit);
    finish(call, 200, renderAck(decision.phone));
    return;
  }
  audit.reason = decision.reason;
  answerNobody(call, route, () => observe(ctx, route, vars, caller, decision, audit));
}

function answerNobody(call: Call, route: WebhookRoute, observed?: () => void): void {
  const { audit } = call;
  if (route.fallbackNumber !== undefined) {
    audit.outcome = "fallback";
    audit.destination = route.fallbackNumber;
    observed?.();
    finish(call, 200, renderAck(route.fallbackNumber));
    return;
  }
  audit.outcome = "nak";
  observed?.();
  finish(call, 503, renderNak());
}

// The last resort of a call that threw (roster, strategy, anything): the fallback or a NAK, never a 500.
function recover(call: Call, error: unknown): void {
  const { ctx, request, reply, audit } = call;
  if (reply.sent) return;
  if (!call.authorised) {
    ctx.refusals.record("bad_request", clientAddress(ctx, request));
    sendPlain(reply, 503, renderNak());
    return;
  }
  request.log.error(
    { reqId: request.id, err: errorSummary(error), route: audit.route },
    "webhook call failed; answering with the fallback number or NAK",
  );
  audit.reason = "internal error";
  if (call.route !== undefined) {
    answerNobody(call, call.route);
    return;
  }
  audit.outcome = "nak";
  finish(call, 503, renderNak());
}

function errorSummary(error: unknown): { name: string; message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}) };
  }
  return { name: "NonError", message: String(error).slice(0, 200) };
}

/** The allowlist check (an `onRequest` hook): 403 `status=NAK` for callers outside it. */
export async function refuseOutsider(
  ctx: WebhookContext,
  request: WebhookRequest,
  reply: FastifyReply,
): Promise<FastifyReply | undefined> {
  return refusedOutsider(ctx, request, reply) ? reply : undefined;
}

// True when the caller is outside the allowlist and has been answered 403.
function refusedOutsider(ctx: WebhookContext, request: WebhookRequest, reply: FastifyReply): boolean {
  if (ctx.allowlist === undefined || ctx.allowlist.allows(clientAddress(ctx, request))) return false;
  const call = startCall(ctx, request, reply, {
    route: "unknown",
    outcome: "forbidden",
    status: 0,
    latencyMs: 0,
  });
  const { did, code } = parseVoysRequest(queryOf(request));
  call.audit.route = ctx.table.resolve(request.params.route, did, code)?.name ?? "unknown";
  finish(call, 403, renderNak());
  return true;
}
