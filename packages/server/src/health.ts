import type { RosterHealth } from "@pagerduty-voys/core";
import type { FastifyInstance } from "fastify";
import { sendPlain } from "./http-hardening.js";
import { serializeRequest } from "./logging.js";
import type { ServerMetrics } from "./metrics.js";

/** Readiness from the roster's health: ready only when fresh, else a short plain reason. */
export function readiness(health: RosterHealth): { ready: boolean; reason: string } {
  switch (health.state) {
    case "fresh":
      return { ready: true, reason: "ready" };
    case "cold":
      return { ready: false, reason: "roster cold" };
    case "stale":
      return {
        ready: false,
        reason: `roster stale (age ${health.ageMs === null ? "unknown" : Math.floor(health.ageMs / 1000)} s)`,
      };
    case "expired":
      return { ready: false, reason: "roster expired" };
    default:
      return { ready: false, reason: "roster unknown" };
  }
}

/**
 * Registers `/healthz` (alive: 200 `ok`) and `/readyz` (200 `ready` or 503 with the reason; 503
 * `shutting down` once `closing()` says so, so that a load balancer stops sending calls).
 */
export function registerHealthRoutes(
  app: FastifyInstance,
  roster: { health(): RosterHealth },
  closing: () => boolean = () => false,
): void {
  const options = { logSerializers: { req: serializeRequest } };
  app.get("/healthz", options, async (_request, reply) => sendPlain(reply, 200, "ok"));
  app.get("/readyz", options, async (_request, reply) => {
    if (closing()) return sendPlain(reply, 503, "shutting down");
    const { ready, reason } = readiness(roster.health());
    return sendPlain(reply, ready ? 200 : 503, reason);
  });
}

/** Registers `/metrics`: the Prometheus text of the server's own registry. */
export function registerMetricsRoute(app: FastifyInstance, metrics: ServerMetrics): void {
  app.get("/metrics", { logSerializers: { req: serializeRequest } }, async (_request, reply) => {
    const text = await metrics.registry.metrics();
    return reply
      .code(200)
      .header("content-type", metrics.registry.contentType)
      .header("cache-control", "no-store")
      .send(text);
  });
}
