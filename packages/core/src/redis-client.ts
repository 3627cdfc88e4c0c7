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
export async function createRedisClient(url: string, options: RedisClientOptions = {}): Promise<Redis> {
  checkRedisUrl(url);
  const RedisClass = await loadIoredis();
  const logger = options.logger ?? silentLogger;
  const client = new RedisClass(url, clientOptions(options));
  let lastError: string | undefined;
  client.on("error", (error: Error) => {
    lastError = error.message;
    logger.debug({ redis: redactRedisUrl(url), err: error.message }, "Redis connection error");
  });
  client.on("ready", () => logger.debug({ redis: redactRedisUrl(url) }, "Redis connection ready"));
  const ready = await waitForReady(client, options.readyTimeoutMs ?? 2_000);
  if (!ready) {
    logger.warn(
      { redis: redactRedisUrl(url), err: lastError ?? "no answer" },
      "Redis not reachable yet; falling back to memory and reconnecting in the background",
    );
  }
  return client;
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
