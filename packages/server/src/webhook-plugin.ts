import type { Roster, Timers } from "@pagerduty-voys/core";
import { renderNak } from "@pagerduty-voys/voys-adapter";
import type { FastifyInstance, FastifyPluginAsync, FastifyReply, FastifyRequest } from "fastify";
import fp from "fastify-plugin";
import { createSecretChecker } from "./auth.js";
import { createClientAddressOf } from "./client-address.js";
import { throwIfProblems } from "./errors.js";
import { registerHealthRoutes, registerMetricsRoute } from "./health.js";
import { createErrorHandler, createRefusalSink, sendPlain, type VoysRouteConfig } from "./http-hardening.js";
import type { CallObserver } from "./incidents/call-observer.js";
import { createIpAllowlist } from "./ip-allowlist.js";
import { serializeRequest } from "./logging.js";
import type { ServerMetrics } from "./metrics.js";
import { webhookOptionProblems } from "./option-problems.js";
import { createRefusalLog, type RefusalLog } from "./refusal-log.js";
import { createRouteTable, type WebhookRoute } from "./route-table.js";
import { answerCall, refuseOutsider, type WebhookContext, type WebhookRequest } from "./webhook-handler.js";

/** Paths the plugin serves the webhook on (GET and POST). */
export const WEBHOOK_PATHS = Object.freeze({ plain: "/voys-webhook", named: "/voys-webhook/:route" });
/** Largest webhook request body accepted (form or JSON), in bytes. */
export const WEBHOOK_BODY_LIMIT = 8 * 1024;
/** Default of `coldStartWaitMs`. */
const DEFAULT_COLD_START_WAIT_MS = 2_000;

/** Options of the {@link voysWebhook} plugin: ready-made objects, no I/O of its own. */
export interface VoysWebhookOptions {
  /** The roster the calls are answered from (the plugin neither starts nor stops it). */
  readonly roster: Roster;
  /** The routes; a route named `default` serves plain `/voys-webhook` when no DID matches. */
  readonly routes: readonly WebhookRoute[];
  /** The shared secret Voys sends as `secret_key`; several during a rotation, each accepted. */
  readonly secretKey: string | readonly string[];
  /** IPs and CIDRs (IPv4, IPv6) allowed to call the webhook; unset: anyone. */
  readonly allowedIps?: readonly string[] | undefined;
  /**
   * Proxies whose `X-Forwarded-For` is believed (IPs, CIDRs, `loopback`, `linklocal`,
   * `uniquelocal`); unset: the socket address is the client. Leave Fastify's own `trustProxy` off.
   */
  readonly trustProxy?: readonly string[] | undefined;
  /** Timers of the refusal summaries (default Node's). */
  readonly timers?: Timers | undefined;
  /** Where refusals are counted and summarised (default: one of the plugin's own on `app.log`). */
  readonly refusals?: RefusalLog | undefined;
  /** True once the server is closing (`/readyz` then answers 503); default: the plugin's own `preClose`. */
  readonly isClosing?: (() => boolean) | undefined;
  /** Receives the function that swaps routes, secrets and allowlist at once (reload). */
  readonly onReloader?: ((reload: WebhookReload) => void) | undefined;
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

/** What a reload replaces in a running plugin. */
interface WebhookReloadOptions {
  /** The new routes. */
  readonly routes: readonly WebhookRoute[];
  /** The new secrets. */
  readonly secretKey: string | readonly string[];
  /** The new allowlist (unset: anyone). */
  readonly allowedIps?: readonly string[] | undefined;
}

/** Validates `next` (throws `PDV_ERR_SERVER_OPTIONS_INVALID`), then swaps it in between two calls. */
export type WebhookReload = (next: WebhookReloadOptions) => void;

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
      // The hook only exists with an allowlist: a no-op async hook still costs every call. (One
      // that a reload adds later is checked in the handler instead.)
      ...(!ctx.allowlistHooked
        ? {}
        : {
            onRequest: async (request: WebhookRequest, reply: FastifyReply) =>
              refuseOutsider(ctx, request, reply),
          }),
      // The call's own promise, not an async wrapper around it: that would cost two more microtask
      // turns per call.
      handler: (request, reply) => answerCall(ctx, request, reply),
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

function ownRefusalLog(app: FastifyInstance, options: VoysWebhookOptions): RefusalLog {
  const refusals = createRefusalLog({
    log: app.log,
    timers: options.timers,
    onRefusal: (reason) => options.metrics?.onRefusal(reason),
  });
  app.addHook("onClose", async () => refusals.close());
  return refusals;
}

function reloader(ctx: WebhookContext): WebhookReload {
  return (next) => {
    throwIfProblems("reloaded webhook options", webhookOptionProblems({ ...next, roster: ctx.roster }));
    const table = createRouteTable(next.routes);
    const secret = createSecretChecker(next.secretKey);
    const allowlist = next.allowedIps === undefined ? undefined : createIpAllowlist(next.allowedIps);
    ctx.metrics?.declareRoutes(next.routes.map((route) => route.name));
    // Synchronous: no call sees half of the old configuration and half of the new.
    ctx.table = table;
    ctx.secret = secret;
    ctx.allowlist = allowlist;
  };
}

const plugin: FastifyPluginAsync<VoysWebhookOptions> = async (app, options) => {
  throwIfProblems("voysWebhook options", webhookOptionProblems(options));
  const refusals = options.refusals ?? ownRefusalLog(app, options);
  const clientAddressOf = createClientAddressOf(options.trustProxy);
  const ctx: WebhookContext = {
    table: createRouteTable(options.routes),
    secret: createSecretChecker(options.secretKey),
    allowlist: options.allowedIps === undefined ? undefined : createIpAllowlist(options.allowedIps),
    allowlistHooked: options.allowedIps !== undefined,
    clientAddressOf,
    refusals,
    roster: options.roster,
    metrics: options.metrics,
    now: options.now ?? (() => new Date()),
    coldStartWaitMs: options.coldStartWaitMs ?? DEFAULT_COLD_START_WAIT_MS,
    observer: options.observer,
  };
  ctx.metrics?.watchRoster(options.roster);
  ctx.metrics?.declareRoutes(options.routes.map((route) => route.name));
  app.setErrorHandler(createErrorHandler(createRefusalSink(() => refusals, clientAddressOf)));
  if (!app.hasContentTypeParser("application/x-www-form-urlencoded")) {
    app.addContentTypeParser(
      "application/x-www-form-urlencoded",
      { parseAs: "string", bodyLimit: WEBHOOK_BODY_LIMIT },
      formParser,
    );
  }
  registerWebhookRoutes(app, ctx);
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
  });
  const isClosing = options.isClosing ?? (() => closing);
  if (options.health !== false) registerHealthRoutes(app, options.roster, isClosing);
  if (ctx.metrics !== undefined) registerMetricsRoute(app, ctx.metrics);
  options.onReloader?.(reloader(ctx));
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
