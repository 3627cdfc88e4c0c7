import { statSync } from "node:fs";
import { join } from "node:path";
import { createEnvReader, type EnvReader } from "./env-reader.js";
import { deepFreeze } from "./freeze.js";
import {
  isPagerDutyId,
  isToken,
  LOG_LEVELS,
  type Parsed,
  parseChoice,
  parseE164,
  parseHost,
  parseHttpUrl,
  parseInteger,
  parseIpList,
  parseRedisUrl,
  parseTrustProxy,
  STRATEGY_NAMES,
  type StrategyName,
} from "./parse-value.js";
import { buildRoutes } from "./routes.js";
import { readRoutesFile } from "./routes-file.js";
import type { ProcessIdentity } from "./seed-files.js";
import { DEFAULT_CONFIG_DIR, ROUTES_FILE, setting } from "./settings.js";
import type { LoadConfigOptions, LoadConfigResult, RouteSettings, WebhookConfig } from "./types.js";

/** loadConfig's options plus test seams. */
export interface LoadConfigInternals extends LoadConfigOptions {
  /** Identity used for the secret-file permission warning (defaults to the process's). */
  readonly identity?: ProcessIdentity;
}

/**
 * Reads, validates and freezes the configuration: environment variables win over the seed files
 * `api_key`, `secret_key`, `escalation_policy_id` in CONFIG_DIR; `config.yaml` there adds routes.
 * Never throws; every problem is listed, none prints a secret.
 */
export function loadConfig(options: LoadConfigInternals): LoadConfigResult {
  const dir = resolveConfigDir(options);
  const reader = createEnvReader({
    env: options.env,
    configDir: dir.usable,
    displayDir: dir.path,
    identity: options.identity,
  });
  if (dir.problem !== undefined) reader.problems.push(dir.problem);
  const config = readSettings(reader, dir.path, dir.usable);
  if (reader.problems.length > 0 || config === undefined) return { ok: false, errors: [...reader.problems] };
  return { ok: true, config: deepFreeze(config), warnings: [...reader.warnings] };
}

function resolveConfigDir(options: LoadConfigInternals): { path: string; usable?: string; problem?: string } {
  const fromEnv = options.env.CONFIG_DIR?.trim();
  const explicit = options.configDir ?? (fromEnv === "" ? undefined : fromEnv);
  const path = explicit ?? DEFAULT_CONFIG_DIR;
  try {
    if (statSync(path).isDirectory()) return { path, usable: path };
  } catch {
    // handled below
  }
  if (explicit === undefined) return { path };
  return { path, problem: `CONFIG_DIR: ${path} is not a directory that can be read; expected a directory` };
}

const token =
  (name: string) =>
  (text: string): Parsed<string> =>
    isToken(text) ? { ok: true, value: text } : { ok: false, reason: `expected ${setting(name).accepts}` };

const policyId = (text: string): Parsed<string> =>
  isPagerDutyId(text)
    ? { ok: true, value: text }
    : { ok: false, reason: `expected ${setting("PAGERDUTY_ESCALATION_POLICY_ID").accepts}` };

const int = (min: number, max: number) => (text: string) => parseInteger(text, min, max);

function readSettings(
  reader: EnvReader,
  configDir: string,
  usableDir: string | undefined,
): WebhookConfig | undefined {
  const apiKey = reader.seeded("PAGERDUTY_API_KEY", token("PAGERDUTY_API_KEY"));
  const secretKey = reader.seeded("WEBHOOK_SECRET_KEY", token("WEBHOOK_SECRET_KEY"));
  if (apiKey === undefined && reader.origins.PAGERDUTY_API_KEY === undefined)
    reader.missing("PAGERDUTY_API_KEY");
  if (secretKey === undefined && reader.origins.WEBHOOK_SECRET_KEY === undefined)
    reader.missing("WEBHOOK_SECRET_KEY");
  const routingStrategy = reader.optional(
    "ROUTING_STRATEGY",
    (t) => parseChoice(t, STRATEGY_NAMES),
    "random",
  );
  const routes = readRoutes(reader, configDir, usableDir, routingStrategy);
  const config: WebhookConfig = {
    secretKey: secretKey ?? "",
    pagerduty: readPagerDuty(reader, apiKey ?? ""),
    listen: {
      host: reader.optional("HOST", parseHost, "::"),
      port: reader.optional("PORT", int(0, 65_535), 5839),
      hostIsDefault: !reader.has("HOST"),
    },
    routingStrategy,
    routes: routes ?? [],
    redis: readRedis(reader),
    allowedIps: reader.maybe("ALLOWED_IPS", parseIpList),
    trustProxy: reader.maybe("TRUST_PROXY", parseTrustProxy),
    logLevel: reader.optional("LOG_LEVEL", (t) => parseChoice(t, LOG_LEVELS), "info"),
    coldStartWaitMs: reader.optional("COLD_START_WAIT_MS", int(0, 60_000), 2_000),
    configDir,
    origins: { ...reader.origins },
  };
  return routes === undefined ? undefined : config;
}

function readRoutes(
  reader: EnvReader,
  configDir: string,
  usableDir: string | undefined,
  routingStrategy: StrategyName,
): RouteSettings[] | undefined {
  const defaultPolicy = reader.seeded("PAGERDUTY_ESCALATION_POLICY_ID", policyId);
  const fallbackNumber = reader.maybe("FALLBACK_NUMBER", parseE164);
  const routesFile = usableDir === undefined ? undefined : readRoutesFile(usableDir);
  if (routesFile?.status === "invalid") reader.problems.push(...routesFile.problems);
  return buildRoutes(reader, {
    defaultPolicy,
    defaultPolicyFound: reader.origins.PAGERDUTY_ESCALATION_POLICY_ID !== undefined,
    fileRoutes: routesFile?.status === "ok" ? routesFile.routes : undefined,
    routesFileInvalid: routesFile?.status === "invalid",
    routesFilePath: routesFile?.path ?? join(configDir, ROUTES_FILE),
    routingStrategy,
    fallbackNumber,
  });
}

function readPagerDuty(reader: EnvReader, apiKey: string): WebhookConfig["pagerduty"] {
  return {
    apiKey,
    apiUrl: reader.optional("PAGERDUTY_API_URL", parseHttpUrl, "https://api.pagerduty.com"),
    requestTimeoutMs: reader.optional("PAGERDUTY_TIMEOUT_MS", int(10, 120_000), 5_000),
    userCacheTtlMs: reader.optional("PAGERDUTY_USER_CACHE_SECONDS", int(0, 86_400), 300) * 1000,
    refreshIntervalMs: reader.optional("PAGERDUTY_REFRESH_SECONDS", int(1, 86_400), 60) * 1000,
    lookaheadMs: reader.optional("PAGERDUTY_LOOKAHEAD_HOURS", int(1, 2_160), 24) * 3_600_000,
    staleAfterMs: reader.optional("ROSTER_STALE_SECONDS", int(1, 86_400), 300) * 1000,
  };
}

function readRedis(reader: EnvReader): WebhookConfig["redis"] {
  const url = reader.maybe("REDIS_URL", parseRedisUrl);
  const keyPrefix = reader.optional("REDIS_KEY_PREFIX", prefixParser, "pagerduty-voys:");
  if (reader.has("REDIS_KEY_PREFIX") && !reader.has("REDIS_URL")) {
    reader.warnings.push("REDIS_KEY_PREFIX is set but REDIS_URL is not: state stays in memory");
  }
  return url === undefined ? undefined : { url, keyPrefix };
}

function prefixParser(text: string): Parsed<string> {
  return isToken(text) && text.length <= 64
    ? { ok: true, value: text }
    : { ok: false, reason: `expected ${setting("REDIS_KEY_PREFIX").accepts}` };
}
