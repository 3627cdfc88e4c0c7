import type { Server } from "node:http";
import { createRefreshingRoster, type OnCallSource, type Roster } from "@pagerduty-voys/core";
import { createPagerDutySource } from "@pagerduty-voys/pagerduty-source";
import Fastify, { type FastifyBaseLogger, type FastifyHttpOptions, type FastifyInstance } from "fastify";
import { secretList } from "./auth.js";
import { createClientAddressOf } from "./client-address.js";
import { trackConnections } from "./connection-drain.js";
import { SERVER_ERROR_CODES, ServerError, throwIfProblems } from "./errors.js";
import {
  createClientErrorHandler,
  createErrorHandler,
  createFrameworkErrorHandler,
  createNotFoundHandler,
  createRefusalSink,
  type RefusalSink,
} from "./http-hardening.js";
import { type Incidents, startIncidents } from "./incidents/incidents.js";
import {
  type BatchedDestination,
  createBatchedDestination,
  createLogger,
  QuietLogController,
} from "./logging.js";
import { createMetrics, type ServerMetrics } from "./metrics.js";
import { buildOptionProblems } from "./option-problems.js";
import type { BuildServerOptions } from "./options.js";
import { createRefusalLog, type RefusalLog } from "./refusal-log.js";
import { registerReloadable } from "./reload.js";
import { createSwappableSource } from "./source-swap.js";
import { createSharedStores, createWebhookRoutes, type SharedStores } from "./strategies.js";
import { voysWebhook, WEBHOOK_BODY_LIMIT, type WebhookReload } from "./webhook-plugin.js";

/** Most bytes of request headers accepted (Node's default is 16 KiB as well; pinned here). */
const MAX_HEADER_SIZE = 16 * 1024;
/** Longest `/voys-webhook/:route` name segment the router accepts. */
const MAX_PARAM_LENGTH = 100;
/** Time a client has to send a whole request. */
const REQUEST_TIMEOUT_MS = 10_000;
/** How long `app.close()` waits for the roster to stop (a hung PagerDuty request must not hold it). */
const ROSTER_STOP_WAIT_MS = 1_000;
/** Default of `shutdownDrainMs`. */
const DEFAULT_SHUTDOWN_DRAIN_MS = 1_000;

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function fastifyOptions(log: FastifyBaseLogger, refusals: RefusalSink): FastifyHttpOptions<Server> {
  return {
    // No logger of Fastify's own: with one, Fastify listens for the end of every response to log
    // "request completed", which we never log, and that cost a twentieth of a webhook call. Each
    // request logs through ours instead, and `app.log` is ours (set in buildServer).
    logger: false,
    logController: new QuietLogController(),
    // Our logger itself, no pino child per request (it cost a sixth of the throughput): lines that
    // concern a request carry `reqId` themselves, and the audit line is self-contained.
    childLoggerFactory: () => log,
    bodyLimit: WEBHOOK_BODY_LIMIT,
    http: { maxHeaderSize: MAX_HEADER_SIZE },
    requestTimeout: REQUEST_TIMEOUT_MS,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    // X-Forwarded-For is read by our own resolver (client-address.ts): Fastify's (proxy-addr) takes
    // an entry that is not an IP address as the client address.
    trustProxy: false,
    frameworkErrors: createFrameworkErrorHandler(refusals),
    clientErrorHandler: createClientErrorHandler(refusals),
    // While closing, calls still get real answers, with `Connection: close` (see connection-drain.ts).
    return503OnClosing: false,
  };
}

function createSource(
  options: BuildServerOptions,
  app: FastifyInstance,
  metrics: ServerMetrics,
): OnCallSource {
  if (options.source !== undefined) return options.source;
  return createPagerDutySource({
    ...withoutUndefined({
      apiUrl: options.pagerduty.apiUrl,
      requestTimeoutMs: options.pagerduty.requestTimeoutMs,
      userCacheTtlMs: options.pagerduty.userCacheTtlMs,
      userConcurrency: options.pagerduty.userConcurrency,
      now: options.now,
    }),
    apiKey: options.pagerduty.apiKey,
    logger: app.log.child({ component: "pagerduty" }),
    onRequest: (event) => metrics.onPagerDutyRequest(event),
  });
}

function createRoster(
  options: BuildServerOptions,
  source: OnCallSource,
  app: FastifyInstance,
  metrics: ServerMetrics,
): Roster {
  const policyIds = [...new Set(options.routes.map((route) => route.policyId))];
  return createRefreshingRoster({
    ...withoutUndefined({ ...options.roster, now: options.now, timers: options.timers }),
    source,
    policyIds,
    logger: app.log.child({ component: "roster" }),
    onRefresh: (event) => metrics.onRosterRefresh(event),
  });
}

async function stopRoster(roster: Roster): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const gaveUp = new Promise<void>((resolve) => {
    timer = setTimeout(resolve, ROSTER_STOP_WAIT_MS);
    timer.unref();
  });
  await Promise.race([roster.stop().catch(() => undefined), gaveUp]);
  clearTimeout(timer);
}

function warnShortSecrets(app: FastifyInstance, secretKey: BuildServerOptions["secretKey"]): void {
  if (secretList(secretKey).some((secret) => secret.length < 16)) {
    app.log.warn({}, "a webhook secret is shorter than 16 characters");
  }
}

/**
 * Builds the whole webhook server, not listening yet: the PagerDuty source (or `options.source`),
 * one refreshing roster for every route's policy, each route's strategy (Redis-backed when
 * `options.redis` is set), the {@link voysWebhook} plugin, health and metrics. The roster starts
 * loading at once; `app.close()` serves kept-alive connections for `shutdownDrainMs` (answers with
 * `Connection: close`), then stops the roster and closes Redis. Refusals are logged in summary.
 * `reloadServer(app, load)` swaps in a new configuration.
 * Throws `PDV_ERR_SERVER_OPTIONS_INVALID` listing every bad option.
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  throwIfProblems("server options", buildOptionProblems(options));
  const destination = options.logStream === undefined ? createBatchedDestination() : undefined;
  const clientAddressOf = createClientAddressOf(options.trustProxy);
  let refusals: RefusalLog | undefined;
  const sink = createRefusalSink(() => refusals, clientAddressOf);
  const log = createLogger(
    options.logLevel ?? "info",
    options.logStream ?? (destination as BatchedDestination),
  );
  const app = Fastify(fastifyOptions(log, sink));
  // Fastify's own lines (the listening address, client errors) and ours go through one logger.
  app.log = log;
  const drain = trackConnections(app.server, options.shutdownDrainMs ?? DEFAULT_SHUTDOWN_DRAIN_MS);
  app.setNotFoundHandler(createNotFoundHandler(sink));
  app.setErrorHandler(createErrorHandler(sink));
  const metrics = createMetrics();
  refusals = createRefusalLog({
    log: app.log,
    timers: options.timers,
    onRefusal: (reason) => metrics.onRefusal(reason),
  });
  const source = createSwappableSource(createSource(options, app, metrics));
  const roster = createRoster(options, source, app, metrics);
  let pagerduty = pagerdutyIdentity(options);
  let stores: SharedStores | undefined;
  let incidents: Incidents | undefined;
  let reloadPlugin: WebhookReload | undefined;
  let closing = false;
  app.addHook("preClose", async () => {
    closing = true;
    await drain();
  });
  app.addHook("onClose", async () => {
    refusals?.close();
    await Promise.all([stopRoster(roster), incidents?.close()]);
    await stores?.close();
    destination?.close();
  });
  try {
    stores = await createSharedStores(options, app.log, metrics);
    incidents = await startIncidents(options, app.log, metrics);
    await app.register(voysWebhook, {
      roster,
      routes: await createWebhookRoutes(options, stores, app.log.child({ component: "strategy" })),
      secretKey: options.secretKey,
      allowedIps: options.allowedIps,
      trustProxy: options.trustProxy,
      coldStartWaitMs: options.coldStartWaitMs,
      metrics,
      now: options.now,
      timers: options.timers,
      refusals,
      isClosing: () => closing,
      onReloader: (reload) => {
        reloadPlugin = reload;
      },
      observer: incidents.observer,
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  warnShortSecrets(app, options.secretKey);
  const sharedStores = stores;
  registerReloadable(app, {
    metrics,
    log: app.log,
    async apply(next) {
      throwIfProblems("server options", buildOptionProblems(next));
      if (reloadPlugin === undefined) {
        throw new ServerError(SERVER_ERROR_CODES.RELOAD_FAILED, "the webhook plugin is not registered");
      }
      const routes = await createWebhookRoutes(next, sharedStores, app.log.child({ component: "strategy" }));
      if (
        options.source === undefined &&
        next.source === undefined &&
        pagerdutyIdentity(next) !== pagerduty
      ) {
        // A changed api_key (or URL) is tried once first: a refused key refuses the whole reload.
        const ids = [...new Set(next.routes.map((route) => route.policyId))];
        const timeoutMs = (next.pagerduty.requestTimeoutMs ?? 5_000) * 2;
        const now = (options.now ?? (() => new Date()))();
        await source
          .replace(createSource(next, app, metrics), ids, now, timeoutMs)
          .catch((error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            throw new ServerError(
              SERVER_ERROR_CODES.RELOAD_FAILED,
              `PagerDuty refused the new api_key or URL (${reason})`,
              { cause: error },
            );
          });
        pagerduty = pagerdutyIdentity(next);
      }
      reloadPlugin({ routes, secretKey: next.secretKey, allowedIps: next.allowedIps });
      setPolicies(roster, next);
      warnShortSecrets(app, next.secretKey);
    },
  });
  roster.start();
  return app;
}

// What identifies the PagerDuty account a source reads: a change means a new source.
function pagerdutyIdentity(options: BuildServerOptions): string {
  return JSON.stringify([options.pagerduty?.apiKey, options.pagerduty?.apiUrl]);
}

function setPolicies(roster: Roster, options: BuildServerOptions): void {
  const ids = [...new Set(options.routes.map((route) => route.policyId))];
  // Core's refreshing roster has setPolicyIds; a roster without it keeps its policies.
  (roster as Roster & { setPolicyIds?: (ids: readonly string[]) => void }).setPolicyIds?.(ids);
}
