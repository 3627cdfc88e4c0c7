import type { Server } from "node:http";
import { createRefreshingRoster, type OnCallSource, type Roster } from "@pagerduty-voys/core";
import { createPagerDutySource } from "@pagerduty-voys/pagerduty-source";
import Fastify, { type FastifyHttpOptions, type FastifyInstance, type FastifyServerOptions } from "fastify";
import { throwIfProblems } from "./errors.js";
import { handleClientError, handleError, handleFrameworkError, handleNotFound } from "./http-hardening.js";
import { huntAndIncidentProblems } from "./incidents/incident-options.js";
import { type Incidents, startIncidents } from "./incidents/incidents.js";
import {
  type BatchedDestination,
  createBatchedDestination,
  createLoggerOptions,
  QuietLogController,
} from "./logging.js";
import { createMetrics, type ServerMetrics } from "./metrics.js";
import { buildOptionProblems } from "./option-problems.js";
import type { BuildServerOptions } from "./options.js";
import { createSharedStores, createWebhookRoutes, type SharedStores } from "./strategies.js";
import { voysWebhook, WEBHOOK_BODY_LIMIT } from "./webhook-plugin.js";

/** Most bytes of request headers accepted (Node's default is 16 KiB as well; pinned here). */
export const MAX_HEADER_SIZE = 16 * 1024;
/** Longest `/voys-webhook/:route` name segment the router accepts. */
export const MAX_PARAM_LENGTH = 100;
/** Time a client has to send a whole request. */
export const REQUEST_TIMEOUT_MS = 10_000;
/** How long `app.close()` waits for the roster to stop (a hung PagerDuty request must not hold it). */
const ROSTER_STOP_WAIT_MS = 1_000;

function withoutUndefined<T extends object>(value: T): Partial<T> {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as Partial<T>;
}

function trustProxyOption(trustProxy: BuildServerOptions["trustProxy"]): FastifyServerOptions["trustProxy"] {
  if (trustProxy === undefined) return false;
  // Fastify 5 treats a bare number as "trust nobody"; a hop count is what HAProxy operators expect.
  if (typeof trustProxy === "number") return (_address: string, hop: number) => hop < trustProxy;
  return [...trustProxy];
}

function fastifyOptions(
  options: BuildServerOptions,
  stream: NodeJS.WritableStream | BatchedDestination,
): FastifyHttpOptions<Server> {
  return {
    logger: createLoggerOptions(options.logLevel ?? "info", stream),
    logController: new QuietLogController(),
    // No pino child per request (it cost a sixth of the throughput): lines that concern a request
    // carry `reqId` themselves, and the audit line is self-contained.
    childLoggerFactory: (logger) => logger,
    bodyLimit: WEBHOOK_BODY_LIMIT,
    http: { maxHeaderSize: MAX_HEADER_SIZE },
    requestTimeout: REQUEST_TIMEOUT_MS,
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH, ignoreTrailingSlash: true },
    trustProxy: trustProxyOption(options.trustProxy),
    frameworkErrors: handleFrameworkError,
    clientErrorHandler: handleClientError,
    return503OnClosing: true,
    forceCloseConnections: "idle",
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
    ...withoutUndefined({ ...options.roster, now: options.now }),
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

/**
 * Builds the whole webhook server, not listening yet: the PagerDuty source (or `options.source`),
 * one refreshing roster for every route's policy, each route's strategy (Redis-backed when
 * `options.redis` is set), the {@link voysWebhook} plugin, health and metrics. The roster starts
 * loading at once; `app.close()` stops it and closes Redis. Throws `PDV_ERR_SERVER_OPTIONS_INVALID`
 * listing every bad option.
 */
export async function buildServer(options: BuildServerOptions): Promise<FastifyInstance> {
  throwIfProblems("server options", [...buildOptionProblems(options), ...huntAndIncidentProblems(options)]);
  const destination = options.logStream === undefined ? createBatchedDestination() : undefined;
  const app = Fastify(fastifyOptions(options, options.logStream ?? (destination as BatchedDestination)));
  app.setNotFoundHandler(handleNotFound);
  app.setErrorHandler(handleError);
  const metrics = createMetrics();
  const roster = createRoster(options, createSource(options, app, metrics), app, metrics);
  let stores: SharedStores | undefined;
  let incidents: Incidents | undefined;
  app.addHook("onClose", async () => {
    await Promise.all([stopRoster(roster), incidents?.close()]);
    await stores?.close();
    destination?.close();
  });
  try {
    stores = await createSharedStores(options, app.log, metrics);
    incidents = await startIncidents(options, app.log, metrics);
    await app.register(voysWebhook, {
      roster,
      routes: createWebhookRoutes(options, stores, app.log.child({ component: "strategy" })),
      secretKey: options.secretKey,
      allowedIps: options.allowedIps,
      coldStartWaitMs: options.coldStartWaitMs,
      metrics,
      now: options.now,
      observer: incidents.observer,
    });
  } catch (error) {
    await app.close().catch(() => undefined);
    throw error;
  }
  if (options.secretKey.length < 16) app.log.warn({}, "the webhook secret is shorter than 16 characters");
  roster.start();
  return app;
}
