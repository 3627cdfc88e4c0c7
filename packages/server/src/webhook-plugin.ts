import type { Roster } from "@pagerduty-voys/core";
import { renderNak } from "@pagerduty-voys/voys-adapter";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { createSecretChecker } from "./auth.js";
import { throwIfProblems } from "./errors.js";
import { registerHealthRoutes, registerMetricsRoute } from "./health.js";
import { handleError, sendPlain, type VoysRouteConfig } from "./http-hardening.js";
import type { CallObserver } from "./incidents/call-observer.js";
import { createIpAllowlist } from "./ip-allowlist.js";
import { serializeRequest } from "./logging.js";
import type { ServerMetrics } from "./metrics.js";
import { webhookOptionProblems } from "./option-problems.js";
import { createRouteTable, type WebhookRoute } from "./route-table.js";
import { answerCall, refuseOutsider, type WebhookContext, type WebhookRequest } from "./webhook-handler.js";

/** Paths the plugin serves the webhook on (GET and POST). */
export const WEBHOOK_PATHS = Object.freeze({ plain: "/voys-webhook", named: "/voys-webhook/:route" });
/** Largest webhook request body accepted (form or JSON), in bytes. */
export const WEBHOOK_BODY_LIMIT = 8 * 1024;
/** Default of `coldStartWaitMs`. */
export const DEFAULT_COLD_START_WAIT_MS = 2_000;

/** Options of the {@link voysWebhook} plugin: ready-made objects, no I/O of its own. */
export interface VoysWebhookOptions {
  /** The roster the calls are answered from (the plugin neither starts nor stops it). */
  readonly roster: Roster;
  /** The routes; a route named `default` serves plain `/voys-webhook` when no DID matches. */
  readonly routes: readonly WebhookRoute[];
  /** The shared secret Voys sends as `secret_key`. */
  readonly secretKey: string;
  /** IPs and CIDRs (IPv4, IPv6) allowed to call the webhook; unset: anyone. */
  readonly allowedIps?: readonly string[] | undefined;
  /** Longest wait of a call for the first roster load (default 2000 ms). */
  readonly coldStartWaitMs?: number | undefined;
  /** Metrics to feed; also serves `/metrics` when given. */
  readonly metrics?: ServerMetrics | undefined;
  /** Serve `/healthz` and `/readyz` (default true). */
  readonly health?: boolean | undefined;
  /** Clock (default `() => new Date()`). */
  readonly now?: (() => Date) | undefined;
  /** Sees every routed, fallback and NAK call after its decision (hunt metric, incidents). */
  readonly observer?: CallObserver | undefined;
}

function registerWebhookRoutes(app: FastifyInstance, ctx: WebhookContext): void {
  const config: VoysRouteConfig = { voysWebhook: true };
  // Even in someone else's app with default logging, no log line of these routes shows the query.
  const logSerializers = { req: serializeRequest };
  const allow = "GET, POST, OPTIONS";
  for (const url of [WEBHOOK_PATHS.plain, WEBHOOK_PATHS.named]) {
    app.route<{ Params: { route?: string } }>({
      method: ["GET", "POST"],
      url,
      config,
      logSerializers,
      exposeHeadRoute: false,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      // The hook only exists with an allowlist: a no-op async hook still costs every call.
      ...(ctx.allowlist === undefined
        ? {}
        : {
            onRequest: async (request: WebhookRequest, reply: FastifyReply) =>
              refuseOutsider(ctx, request, reply),
          }),
      handler: async (request, reply) => answerCall(ctx, request, reply),
    });
    // HEAD must not take a round-robin turn, and the other methods mean nothing here.
    app.route({
      method: ["HEAD", "PUT", "DELETE", "PATCH"],
      url,
      config,
      logSerializers,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      handler: async (_request, reply) => sendPlain(reply.header("allow", allow), 405, renderNak()),
    });
    app.route({
      method: "OPTIONS",
      url,
      config,
      logSerializers,
      bodyLimit: WEBHOOK_BODY_LIMIT,
      handler: async (_request, reply) =>
        reply.code(204).header("allow", allow).header("cache-control", "no-store").send(),
    });
  }
}

function formParser(
  _request: FastifyRequest,
  body: string | Buffer,
  done: (err: Error | null, body?: unknown) => void,
): void {
  done(null, new URLSearchParams(typeof body === "string" ? body : body.toString("utf8")));
}

const plugin: FastifyPluginAsync<VoysWebhookOptions> = async (app, options) => {
  throwIfProblems("voysWebhook options", webhookOptionProblems(options));
  const ctx: WebhookContext = {
    table: createRouteTable(options.routes),
    secret: createSecretChecker(options.secretKey),
    allowlist: options.allowedIps === undefined ? undefined : createIpAllowlist(options.allowedIps),
    roster: options.roster,
    metrics: options.metrics,
    now: options.now ?? (() => new Date()),
    coldStartWaitMs: options.coldStartWaitMs ?? DEFAULT_COLD_START_WAIT_MS,
    acks: new Map(),
    observer: options.observer,
  };
  ctx.metrics?.watchRoster(options.roster);
  ctx.metrics?.declareRoutes(options.routes.map((route) => route.name));
  app.setErrorHandler(handleError);
  if (!app.hasContentTypeParser("application/x-www-form-urlencoded")) {
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: WEBHOOK_BODY_LIMIT },
      formParser,
    );
  }
  registerWebhookRoutes(app, ctx);
  if (options.health !== false) registerHealthRoutes(app, options.roster);
  if (ctx.metrics !== undefined) registerMetricsRoute(app, ctx.metrics);
};

/**
 * The Fastify plugin serving the Voys webhook (GET and POST `/voys-webhook` and
 * `/voys-webhook/:route`), `/healthz`, `/readyz` and, with `metrics`, `/metrics`. Encapsulated:
 * its error handler and form parser apply to its own routes only; `prefix` works.
 */
export const voysWebhook: FastifyPluginAsync<VoysWebhookOptions> = fp(plugin, {
  name: "@pagerduty-voys/server",
  fastify: "5.x",
  encapsulate: true,
});
