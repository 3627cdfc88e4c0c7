import type { Redis, RedisOptions } from "ioredis";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import { silentLogger } from "./logger.js";
import type { Logger } from "./types.js";

/** Options of `createRedisClient`. */
export interface RedisClientOptions {
  /** ioredis `commandTimeout`: a command without a reply by then is rejected. Default 1 000. */
  readonly commandTimeoutMs?: number;
  /** ioredis `connectTimeout`. Default 2 000. */
  readonly connectTimeoutMs?: number;
  /** Ceiling of the reconnection delay (100 ms, 200 ms, … up to this). Default 2 000. */
  readonly maxReconnectDelayMs?: number;
  /** How long `createRedisClient` waits for a first connection before resolving anyway. Default 2 000. */
  readonly readyTimeoutMs?: number;
  /** Logs a client not connected after `readyTimeoutMs` (warn) and connection events (debug). */
  readonly logger?: Logger;
  /** Extra ioredis options, applied last (they can undo the fail-fast defaults: take care). */
  readonly redisOptions?: RedisOptions;
}

/** Where Redis is: a URL, or Redis Sentinel (`sentinels` + `sentinelName`); `password` and `db` apply to the master. */
export interface RedisConnection {
  /** `redis://` or `rediss://` URL (password and db may be in it). Not together with `sentinels`. */
  readonly url?: string | undefined;
  /** Sentinels to ask for the current master; the client follows a failover by itself. */
  readonly sentinels?: readonly { readonly host: string; readonly port: number }[] | undefined;
  /** The monitored master's name (`REDIS_SENTINEL_NAME`). Required with `sentinels`. */
  readonly sentinelName?: string | undefined;
  /** Password of the master (and replicas). */
  readonly password?: string | undefined;
  /** Database number. */
  readonly db?: number | undefined;
}

/** A description of `target` safe for logs: the URL with its password hidden, or the sentinels and name. */
export function describeRedisTarget(target: string | RedisConnection): string {
  if (typeof target === "string") return redactRedisUrl(target);
  if (target.sentinels !== undefined) {
    const hosts = target.sentinels.map((s) => `${s.host}:${s.port}`).join(",");
    return `sentinel ${target.sentinelName ?? "?"} via ${hosts}`;
  }
  return target.url === undefined ? "(no Redis URL)" : redactRedisUrl(target.url);
}

function checkConnection(target: string | RedisConnection): void {
  if (typeof target === "string" || target.sentinels === undefined) {
    checkRedisUrl(typeof target === "string" ? target : target.url);
    return;
  }
  const problems: string[] = [];
  if (target.url !== undefined) problems.push("url: not together with sentinels");
  if (!Array.isArray(target.sentinels) || target.sentinels.length === 0)
    problems.push("sentinels: expected at least one {host, port}");
  if (typeof target.sentinelName !== "string" || target.sentinelName === "")
    problems.push("sentinelName: required with sentinels");
  if (problems.length > 0) {
    throw new PdvError(
      CORE_ERROR_CODES.REDIS_INVALID_URL,
      `invalid Redis Sentinel settings: ${problems.join("; ")}`,
    );
  }
}

// A demoted master answers writes with READONLY until the client reconnects to the new one.
const reconnectOnReadonly = (error: Error): 1 | false => (error.message.startsWith("READONLY") ? 1 : false);

type IoredisModule = { Redis?: typeof Redis; default?: typeof Redis };

/** Loads ioredis (an optional peer dependency), or throws PDV_ERR_REDIS_MISSING saying what to install. */
export async function loadIoredis(
  importer: () => Promise<unknown> = () => import("ioredis"),
): Promise<typeof Redis> {
  let loaded: IoredisModule;
  try {
    loaded = (await importer()) as IoredisModule;
  } catch (error) {
    throw new PdvError(
      CORE_ERROR_CODES.REDIS_MISSING,
      "Redis support needs the optional peer dependency ioredis: install it (npm install ioredis)",
      { cause: error },
    );
  }
  const redisClass = loaded.Redis ?? loaded.default;
  if (typeof redisClass !== "function") {
    throw new PdvError(CORE_ERROR_CODES.REDIS_MISSING, "the installed ioredis exports no Redis class");
  }
  return redisClass;
}

/** The URL with its password (and user name) replaced by `***`, safe for logs and errors. */
export function redactRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = "***";
    if (parsed.username) parsed.username = "***";
    return parsed.toString();
  } catch {
    return "(unparseable URL)";
  }
}

/** Throws PDV_ERR_REDIS_INVALID_URL unless `url` is a `redis://` or `rediss://` URL. */
export function checkRedisUrl(url: unknown): void {
  let protocol: string | undefined;
  try {
    protocol = typeof url === "string" ? new URL(url).protocol : undefined;
  } catch {
    protocol = undefined;
  }
  if (protocol === "redis:" || protocol === "rediss:") return;
  const shown = typeof url === "string" ? redactRedisUrl(url) : String(url);
  throw new PdvError(
    CORE_ERROR_CODES.REDIS_INVALID_URL,
    `invalid Redis URL ${shown}: expected redis://[[user]:password@]host[:port][/db] or rediss://…`,
  );
}

function clientOptions(options: RedisClientOptions): RedisOptions {
  const maxDelay = options.maxReconnectDelayMs ?? 2_000;
  return {
    enableOfflineQueue: false, // while disconnected, commands fail at once and picks fall back
    maxRetriesPerRequest: 1,
    commandTimeout: options.commandTimeoutMs ?? 1_000,
    connectTimeout: options.connectTimeoutMs ?? 2_000,
    retryStrategy: (times: number) => Math.min(times * 100, maxDelay), // never gives up
    ...options.redisOptions,
  };
}

/**
 * Creates an ioredis client for `redis://` or `rediss://` URLs (password and db in the URL) that
 * fails fast while disconnected and reconnects by itself. Waits up to `readyTimeoutMs` for a first
 * connection, then resolves either way (Redis being down must not stop the webhook). The caller owns
 * the client: close it with `closeRedisClient`.
 */
export async function createRedisClient(
  target: string | RedisConnection,
  options: RedisClientOptions = {},
): Promise<Redis> {
  checkConnection(target);
  const RedisClass = await loadIoredis();
  const logger = options.logger ?? silentLogger;
  const url = describeRedisTarget(target);
  const client = newClient(RedisClass, target, clientOptions(options));
  let lastError: string | undefined;
  client.on("error", (error: Error) => {
    lastError = error.message;
    logger.debug({ redis: url, err: error.message }, "Redis connection error");
  });
  client.on("ready", () => logger.debug({ redis: url }, "Redis connection ready"));
  const ready = await waitForReady(client, options.readyTimeoutMs ?? 2_000);
  if (!ready) {
    logger.warn(
      { redis: url, err: lastError ?? "no answer" },
      "Redis not reachable yet; falling back to memory and reconnecting in the background",
    );
  }
  return client;
}

function newClient(RedisClass: typeof Redis, target: string | RedisConnection, common: RedisOptions): Redis {
  if (typeof target === "string") return new RedisClass(target, common);
  const auth = {
    ...(target.password === undefined ? {} : { password: target.password }),
    ...(target.db === undefined ? {} : { db: target.db }),
  };
  if (target.sentinels === undefined) return new RedisClass(target.url as string, { ...common, ...auth });
  return new RedisClass({
    reconnectOnError: reconnectOnReadonly,
    ...common,
    ...auth,
    sentinels: target.sentinels.map((s) => ({ host: s.host, port: s.port })),
    name: target.sentinelName as string,
    failoverDetector: true,
    sentinelRetryStrategy: (times: number) => Math.min(times * 100, 2_000),
  });
}

function waitForReady(client: Redis, timeoutMs: number): Promise<boolean> {
  if (client.status === "ready") return Promise.resolve(true);
  return new Promise<boolean>((resolve) => {
    const onReady = (): void => {
      clearTimeout(timer);
      resolve(true);
    };
    const timer = setTimeout(() => {
      client.off("ready", onReady);
      resolve(client.status === "ready");
    }, timeoutMs);
    timer.unref();
    client.once("ready", onReady);
  });
}
