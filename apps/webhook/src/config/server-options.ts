import type { BuildServerOptions, RouteConfig } from "@pagerduty-voys/server";
import type { WebhookConfig } from "./types.js";

/** What the app adds to a config when building the server (tests pass a log stream or a clock). */
export type ServerExtras = Pick<BuildServerOptions, "logStream" | "source" | "now">;

/** Maps the validated config to @pagerduty-voys/server's buildServer options (arrays copied, not frozen). */
export function toServerOptions(config: WebhookConfig, extras: ServerExtras = {}): BuildServerOptions {
  const options: BuildServerOptions = {
    secretKey: config.secretKey,
    pagerduty: {
      apiKey: config.pagerduty.apiKey,
      apiUrl: config.pagerduty.apiUrl,
      requestTimeoutMs: config.pagerduty.requestTimeoutMs,
      userCacheTtlMs: config.pagerduty.userCacheTtlMs,
    },
    roster: {
      refreshIntervalMs: config.pagerduty.refreshIntervalMs,
      lookaheadMs: config.pagerduty.lookaheadMs,
      staleAfterMs: config.pagerduty.staleAfterMs,
    },
    routes: config.routes.map(
      (route): RouteConfig => ({
        name: route.name,
        policyId: route.policyId,
        level: route.level,
        strategy: route.strategy,
        ...(route.fallbackNumber === undefined ? {} : { fallbackNumber: route.fallbackNumber }),
        dids: [...route.dids],
        ...(route.stickyMinutes === undefined ? {} : { stickyMinutes: route.stickyMinutes }),
      }),
    ),
    routingStrategy: config.routingStrategy,
    coldStartWaitMs: config.coldStartWaitMs,
    logLevel: config.logLevel,
    ...extras,
  };
  if (config.redis !== undefined)
    options.redis = { url: config.redis.url, keyPrefix: config.redis.keyPrefix };
  if (config.allowedIps !== undefined) options.allowedIps = [...config.allowedIps];
  if (config.trustProxy !== undefined) {
    // A hop count is refused by the server's option check (h1's schema refuses it earlier).
    options.trustProxy =
      typeof config.trustProxy === "number" ? (config.trustProxy as never) : [...config.trustProxy];
  }
  return options;
}
