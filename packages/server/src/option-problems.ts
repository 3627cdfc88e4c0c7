import { isAbsolute } from "node:path";
import type { RoutingStrategy } from "@pagerduty-voys/core";
import { STRATEGY_NAMES } from "@pagerduty-voys/core";
import { isE164 } from "@pagerduty-voys/voys-adapter";
import { invalidProxyEntries } from "./client-address.js";
import { invalidCidrs } from "./ip-allowlist.js";
import { LOG_LEVELS } from "./logging.js";
import type { BuildServerOptions, RouteConfig } from "./options.js";
import { routeTableProblems, type WebhookRoute } from "./route-table.js";

const ROUTE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const POLICY_ID = /^[A-Za-z0-9_-]{1,64}$/;

type Check = (problems: string[]) => void;

function isPositiveInteger(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value > 0;
}

function optionalPositiveInteger(value: unknown, path: string, problems: string[]): void {
  if (value !== undefined && !isPositiveInteger(value)) problems.push(`${path}: expected an integer ≥ 1`);
}

function strategyProblem(value: unknown, path: string, allowObject: boolean): string | undefined {
  if (typeof value === "string") {
    return (STRATEGY_NAMES as readonly string[]).includes(value)
      ? undefined
      : `${path}: expected one of ${STRATEGY_NAMES.join(", ")}`;
  }
  const isStrategy =
    value !== null && typeof value === "object" && typeof (value as RoutingStrategy).pick === "function";
  if (allowObject && isStrategy) return undefined;
  const ref = value as { module?: unknown; setting?: unknown } | null;
  if (ref !== null && typeof ref === "object" && "module" in ref) {
    if (typeof ref.module !== "string" || !isAbsolute(ref.module))
      return `${path}.module: expected the absolute path of a strategy module`;
    if (typeof ref.setting !== "string" || ref.setting === "")
      return `${path}.setting: expected the name of the setting, e.g. routes[0].strategy`;
    return undefined;
  }
  return `${path}: expected ${STRATEGY_NAMES.join(" or ")}${allowObject ? " or a strategy object with pick()" : ""} or { module, setting }`;
}

function routeProblems(route: RouteConfig, path: string, problems: string[]): void {
  if (typeof route !== "object" || route === null) {
    problems.push(`${path}: expected a route object`);
    return;
  }
  if (typeof route.name !== "string" || !ROUTE_NAME.test(route.name)) {
    problems.push(`${path}.name: expected 1-64 letters, digits, "-", "_" or "."`);
  }
  if (typeof route.policyId !== "string" || !POLICY_ID.test(route.policyId)) {
    problems.push(`${path}.policyId: expected a PagerDuty escalation policy id such as PABC123`);
  }
  optionalPositiveInteger(route.level, `${path}.level`, problems);
  if (route.strategy !== undefined) {
    const problem = strategyProblem(route.strategy, `${path}.strategy`, true);
    if (problem) problems.push(problem);
  }
  if (
    route.fallbackNumber !== undefined &&
    (typeof route.fallbackNumber !== "string" || !isE164(route.fallbackNumber))
  ) {
    problems.push(`${path}.fallbackNumber: expected an E.164 number such as +31201234567`);
  }
  if (route.dids !== undefined && !Array.isArray(route.dids))
    problems.push(`${path}.dids: expected a list of numbers`);
  if (
    route.stickyMinutes !== undefined &&
    !(
      typeof route.stickyMinutes === "number" &&
      Number.isFinite(route.stickyMinutes) &&
      route.stickyMinutes > 0
    )
  ) {
    problems.push(`${path}.stickyMinutes: expected a number > 0`);
  }
}

function routesProblems(routes: readonly RouteConfig[] | readonly WebhookRoute[], problems: string[]): void {
  if (!Array.isArray(routes) || routes.length === 0) {
    problems.push("routes: expected at least one route");
    return;
  }
  routes.forEach((route, i) => {
    routeProblems(route as RouteConfig, `routes[${i}]`, problems);
  });
  const wellFormed = routes.every(
    (r) => typeof r?.name === "string" && (r.dids === undefined || Array.isArray(r.dids)),
  );
  if (wellFormed) problems.push(...routeTableProblems(routes));
}

function allowedIpsProblems(allowedIps: readonly string[] | undefined, problems: string[]): void {
  if (allowedIps === undefined) return;
  if (!Array.isArray(allowedIps) || allowedIps.length === 0) {
    problems.push("allowedIps: expected a non-empty list of IPs or CIDRs (leave it unset to allow anyone)");
    return;
  }
  for (const bad of invalidCidrs(allowedIps.map(String)))
    problems.push(`allowedIps: ${JSON.stringify(bad)} is not an IP or CIDR`);
}

function trustProxyProblems(trustProxy: BuildServerOptions["trustProxy"], problems: string[]): void {
  if (trustProxy === undefined) return;
  if (!Array.isArray(trustProxy) || trustProxy.length === 0) {
    problems.push(
      "trustProxy: expected a non-empty list of the proxies' IPs/CIDRs (or loopback, linklocal, uniquelocal); a hop count would let anyone who reaches the port forge X-Forwarded-For",
    );
    return;
  }
  const bad = invalidProxyEntries(trustProxy.map(String));
  for (const entry of bad) problems.push(`trustProxy: ${JSON.stringify(entry)} is not an IP or CIDR`);
}

function commonProblems(options: { secretKey: unknown; coldStartWaitMs?: unknown }): Check {
  return (problems) => {
    const secrets: unknown[] = Array.isArray(options.secretKey) ? options.secretKey : [options.secretKey];
    if (secrets.length === 0 || secrets.some((secret) => typeof secret !== "string" || secret.length === 0)) {
      problems.push("secretKey: required, a non-empty string");
    }
    const wait = options.coldStartWaitMs;
    if (
      wait !== undefined &&
      !(typeof wait === "number" && Number.isInteger(wait) && wait >= 0 && wait <= 60_000)
    ) {
      problems.push("coldStartWaitMs: expected an integer from 0 to 60000");
    }
  };
}

/** Every problem of `voysWebhook` options, as `path: message`. */
export function webhookOptionProblems(options: {
  readonly roster?: unknown;
  readonly routes: readonly WebhookRoute[];
  readonly secretKey: unknown;
  readonly allowedIps?: readonly string[] | undefined;
  readonly trustProxy?: readonly string[] | undefined;
  readonly coldStartWaitMs?: unknown;
}): string[] {
  const problems: string[] = [];
  if (typeof (options.roster as { activeAt?: unknown } | undefined)?.activeAt !== "function") {
    problems.push("roster: required, a Roster");
  }
  commonProblems(options)(problems);
  routesProblems(options.routes, problems);
  allowedIpsProblems(options.allowedIps, problems);
  trustProxyProblems(options.trustProxy, problems);
  return problems;
}

function pagerdutyProblems(options: BuildServerOptions, problems: string[]): void {
  const pd = options.pagerduty;
  if (options.source !== undefined) return;
  if (pd === undefined || typeof pd.apiKey !== "string" || pd.apiKey.trim() === "") {
    problems.push("pagerduty.apiKey: required, a PagerDuty API token");
  }
  if (pd?.apiUrl !== undefined && !/^https?:\/\/[^\s/?#]+(\/[^\s?#]*)?$/.test(pd.apiUrl)) {
    problems.push("pagerduty.apiUrl: expected an http(s) URL such as https://api.pagerduty.com");
  }
  optionalPositiveInteger(pd?.requestTimeoutMs, "pagerduty.requestTimeoutMs", problems);
  optionalPositiveInteger(pd?.userCacheTtlMs, "pagerduty.userCacheTtlMs", problems);
  optionalPositiveInteger(pd?.userConcurrency, "pagerduty.userConcurrency", problems);
}

function sentinelProblems(redis: NonNullable<BuildServerOptions["redis"]>, problems: string[]): void {
  if (redis.url !== undefined) problems.push("redis.url: not together with redis.sentinels");
  const sentinels = redis.sentinels;
  if (!Array.isArray(sentinels) || sentinels.length === 0)
    problems.push("redis.sentinels: expected host:port entries");
  else if (!sentinels.every((s) => typeof s?.host === "string" && s.host !== "" && isPort(s.port)))
    problems.push("redis.sentinels: expected every entry as { host, port } with a port from 1 to 65535");
  if (typeof redis.sentinelName !== "string" || redis.sentinelName === "")
    problems.push("redis.sentinelName: required with redis.sentinels");
}

function isPort(value: unknown): boolean {
  return typeof value === "number" && Number.isInteger(value) && value >= 1 && value <= 65_535;
}

function redisProblems(redis: BuildServerOptions["redis"], problems: string[]): void {
  if (redis === undefined) return;
  if (redis.sentinels !== undefined) sentinelProblems(redis, problems);
  else if (typeof redis.url !== "string" || !/^rediss?:\/\/\S+$/.test(redis.url)) {
    problems.push("redis.url: expected a redis:// or rediss:// URL");
  }
  if (redis.password !== undefined && typeof redis.password !== "string")
    problems.push("redis.password: expected a string");
  if (redis.db !== undefined && !(Number.isInteger(redis.db) && redis.db >= 0))
    problems.push("redis.db: expected an integer ≥ 0");
  if (redis.keyPrefix !== undefined && typeof redis.keyPrefix !== "string")
    problems.push("redis.keyPrefix: expected a string");
  optionalPositiveInteger(redis.commandTimeoutMs, "redis.commandTimeoutMs", problems);
}

/** Every problem of `buildServer` options, as `path: message`. */
export function buildOptionProblems(options: BuildServerOptions): string[] {
  const problems: string[] = [];
  commonProblems(options)(problems);
  pagerdutyProblems(options, problems);
  for (const key of ["refreshIntervalMs", "lookaheadMs", "staleAfterMs", "refreshTimeoutMs"] as const) {
    optionalPositiveInteger(options.roster?.[key], `roster.${key}`, problems);
  }
  routesProblems(options.routes, problems);
  if (options.routingStrategy !== undefined) {
    const problem = strategyProblem(options.routingStrategy, "routingStrategy", true);
    if (problem) problems.push(problem);
  }
  redisProblems(options.redis, problems);
  allowedIpsProblems(options.allowedIps, problems);
  trustProxyProblems(options.trustProxy, problems);
  if (options.logLevel !== undefined && !LOG_LEVELS.includes(options.logLevel)) {
    problems.push(`logLevel: expected one of ${LOG_LEVELS.join(", ")}`);
  }
  if (options.logStream !== undefined && typeof options.logStream?.write !== "function") {
    problems.push("logStream: expected a writable stream");
  }
  return problems;
}
