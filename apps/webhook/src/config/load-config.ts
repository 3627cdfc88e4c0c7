import { statSync } from "node:fs";
import { join } from "node:path";
import { buildServerOptionsSchema, problemsOf } from "@pagerduty-voys/server/schema";
import { readEnvSettings } from "./env-settings.js";
import { deepFreeze } from "./freeze.js";
import { buildRoutes, resolveStrategy } from "./routes.js";
import { readRoutesFile } from "./routes-file.js";
import { secretWarnings } from "./secret-warnings.js";
import { currentIdentity, type ProcessIdentity, secretFileWarnings } from "./seed-files.js";
import { toServerOptions } from "./server-options.js";
import { DEFAULT_CONFIG_DIR, ROUTES_FILE, SETTINGS } from "./settings.js";
import type { LoadConfigOptions, LoadConfigResult, WebhookConfig } from "./types.js";

/** loadConfig's options plus test seams. */
export interface LoadConfigInternals extends LoadConfigOptions {
  /** Identity used for the secret-file permission warning (defaults to the process's). */
  readonly identity?: ProcessIdentity;
}

/**
 * Reads, validates and freezes the configuration: environment variables win over the seed files
 * `api_key`, `secret_key`, `escalation_policy_id`, `routing_key` in CONFIG_DIR; `config.yaml` there
 * adds routes. Every value goes through the one zod schema (the server's blocks), and the result is
 * checked against `buildServer`'s own schema, so what passes here starts. Never throws; every
 * problem is listed as `path: message`, none prints a secret.
 */
export function loadConfig(options: LoadConfigInternals): LoadConfigResult {
  const dir = resolveConfigDir(options);
  const env = readEnvSettings(options.env, dir.usable, dir.path);
  const { problems } = env;
  const warnings: string[] = [];
  if (dir.problem !== undefined) problems.unshift(dir.problem);
  if (dir.usable !== undefined) {
    const secretFiles = SETTINGS.filter((s) => s.secret && s.file !== undefined).map((s) => s.file as string);
    warnings.push(...secretFileWarnings(dir.usable, secretFiles, options.identity ?? currentIdentity()));
  }
  const v = env.values;
  if (!env.present("PAGERDUTY_API_KEY")) env.missing("PAGERDUTY_API_KEY");
  if (!env.present("WEBHOOK_SECRET_KEY")) env.missing("WEBHOOK_SECRET_KEY");
  const routingStrategy =
    v.ROUTING_STRATEGY === undefined
      ? "random"
      : resolveStrategy(v.ROUTING_STRATEGY, dir.path, "ROUTING_STRATEGY", problems);
  const routesFile = dir.usable === undefined ? undefined : readRoutesFile(dir.usable);
  if (routesFile?.status === "invalid") problems.push(...routesFile.problems);
  const routes = buildRoutes(
    {
      env,
      fileRoutes: routesFile?.status === "ok" ? routesFile.routes : undefined,
      routesFileInvalid: routesFile?.status === "invalid",
      routesFilePath: routesFile?.path ?? join(dir.path, ROUTES_FILE),
      configDir: dir.path,
      problems,
      warnings,
    },
    routingStrategy,
  );
  if (v.REDIS_URL !== undefined && v.REDIS_SENTINELS !== undefined)
    problems.push("REDIS_SENTINELS: REDIS_URL and REDIS_SENTINELS together are refused: set one of them");
  if (
    v.REDIS_SENTINELS !== undefined &&
    v.REDIS_SENTINEL_NAME === undefined &&
    !env.present("REDIS_SENTINEL_NAME")
  )
    env.missing("REDIS_SENTINEL_NAME", "required with REDIS_SENTINELS");
  const redisSet = v.REDIS_URL !== undefined || v.REDIS_SENTINELS !== undefined;
  const redisOnly = ["REDIS_KEY_PREFIX", "REDIS_SENTINEL_NAME", "REDIS_PASSWORD", "REDIS_DB"].filter((n) =>
    env.present(n),
  );
  if (!redisSet && redisOnly.length > 0)
    warnings.push(
      `${redisOnly.join(", ")} ${redisOnly.length === 1 ? "is" : "are"} set but neither REDIS_URL nor REDIS_SENTINELS: state stays in memory`,
    );
  if (problems.length > 0) return { ok: false, errors: [...problems] };
  const config: WebhookConfig = {
    secretKey:
      v.WEBHOOK_SECRET_KEY?.length === 1 ? (v.WEBHOOK_SECRET_KEY[0] ?? "") : (v.WEBHOOK_SECRET_KEY ?? []),
    pagerduty: {
      apiKey: v.PAGERDUTY_API_KEY ?? "",
      apiUrl: v.PAGERDUTY_API_URL ?? "https://api.pagerduty.com",
      requestTimeoutMs: v.PAGERDUTY_TIMEOUT_MS ?? 5_000,
      userCacheTtlMs: (v.PAGERDUTY_USER_CACHE_SECONDS ?? 300) * 1000,
      refreshIntervalMs: (v.PAGERDUTY_REFRESH_SECONDS ?? 60) * 1000,
      lookaheadMs: (v.PAGERDUTY_LOOKAHEAD_HOURS ?? 24) * 3_600_000,
      staleAfterMs: (v.ROSTER_STALE_SECONDS ?? 300) * 1000,
    },
    events: {
      url: v.PAGERDUTY_EVENTS_URL ?? "https://events.pagerduty.com",
      stateDirectory: v.STATE_DIRECTORY,
    },
    listen: { host: v.HOST ?? "::", port: v.PORT ?? 5839, hostIsDefault: !env.present("HOST") },
    routingStrategy,
    routes,
    redis: redisSet
      ? {
          url: v.REDIS_URL,
          sentinels: v.REDIS_SENTINELS,
          sentinelName: v.REDIS_SENTINEL_NAME,
          password: v.REDIS_PASSWORD,
          db: v.REDIS_DB,
          keyPrefix: v.REDIS_KEY_PREFIX ?? "pagerduty-voys:",
        }
      : undefined,
    allowedIps: v.ALLOWED_IPS,
    trustProxy: v.TRUST_PROXY,
    logLevel: v.LOG_LEVEL ?? "info",
    coldStartWaitMs: v.COLD_START_WAIT_MS ?? 2_000,
    configDir: dir.path,
    origins: { ...env.origins },
  };
  // The server's own schema: a value this file accepts but buildServer would refuse is a bug here.
  const serverProblems = problemsOf(buildServerOptionsSchema, toServerOptions(config));
  if (serverProblems.length > 0)
    return { ok: false, errors: serverProblems.map((p) => `server options: ${p}`) };
  warnings.push(...secretWarnings(config));
  return { ok: true, config: deepFreeze(config), warnings };
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
