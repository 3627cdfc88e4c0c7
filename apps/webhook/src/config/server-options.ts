import type { BuildServerOptions, RouteConfig } from "@pagerduty-voys/server";
import type { RouteSettings, WebhookConfig } from "./types.js";

/** What the app adds to a config when building the server (tests pass a log stream or a clock). */
export type ServerExtras = Pick<BuildServerOptions, "logStream" | "source" | "now">;

const defined = <T extends object>(value: T): T =>
  Object.fromEntries(Object.entries(value).filter(([, v]) => v !== undefined)) as T;

function routeOptions(route: RouteSettings): RouteConfig {
  return defined({
    name: route.name,
    policyId: route.policyId,
    level: route.level,
    strategy: route.strategy as RouteConfig["strategy"],
    strategyOptions: route.strategyOptions,
    fallbackNumber: route.fallbackNumber,
    dids: [...route.dids],
    codes: route.codes.length === 0 ? undefined : [...route.codes],
    stickyMinutes: route.stickyMinutes,
    huntSeconds: route.huntSeconds,
    incidents: route.incidents === "off" ? undefined : route.incidents,
    routingKey: route.routingKey,
  });
}

/**
 * Maps the validated config to @pagerduty-voys/server's buildServer options (arrays copied, not
 * frozen). Fields of the turn-2 contract (several secrets, strategy modules, sentinels) are passed
 * in the contract's shapes; the casts go once the server's option types carry them.
 */
export function toServerOptions(config: WebhookConfig, extras: ServerExtras = {}): BuildServerOptions {
  const redis = config.redis;
  const options: BuildServerOptions = {
    secretKey: typeof config.secretKey === "string" ? config.secretKey : [...config.secretKey],
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
    routes: config.routes.map(routeOptions),
    routingStrategy: config.routingStrategy as BuildServerOptions["routingStrategy"],
    coldStartWaitMs: config.coldStartWaitMs,
    logLevel: config.logLevel,
    ...extras,
  };
  if (config.routes.some((route) => route.incidents !== "off") || config.events.stateDirectory !== undefined)
    options.events = defined({ url: config.events.url, stateDirectory: config.events.stateDirectory });
  if (redis !== undefined) {
    options.redis = defined({
      url: redis.url,
      sentinels: redis.sentinels?.map((s) => ({ ...s })),
      sentinelName: redis.sentinelName,
      password: redis.password,
      db: redis.db,
      keyPrefix: redis.keyPrefix,
    });
  }
  if (config.allowedIps !== undefined) options.allowedIps = [...config.allowedIps];
  if (config.trustProxy !== undefined) options.trustProxy = [...config.trustProxy];
  return options;
}
