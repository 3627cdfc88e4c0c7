import { maskPhoneNumber } from "@pagerduty-voys/core";
import { normalizeVoysNumber } from "@pagerduty-voys/voys-adapter";
import { type FastifyRequest, LogController } from "fastify";
import pino, { type Logger } from "pino";
import { validIp } from "./client-address.js";

/** Log levels accepted by `logLevel`. */
export const LOG_LEVELS: readonly string[] = Object.freeze([
  "fatal",
  "error",
  "warn",
  "info",
  "debug",
  "trace",
  "silent",
]);

/** Values under these paths are replaced with `[redacted]` wherever they are logged. */
const REDACTED_PATHS: readonly string[] = Object.freeze([
  "req.headers.authorization",
  "req.headers.cookie",
  "req.query",
  "req.body",
  "secret_key",
  "secretKey",
  "apiKey",
  "token",
  "err.config.headers.Authorization",
  "err.config.headers.authorization",
]);

/** The path of a URL without its query string (the query holds the secret). */
export function pathOf(url: string): string {
  const q = url.indexOf("?");
  return q === -1 ? url : url.slice(0, q);
}

interface LoggedRequest {
  readonly method?: string;
  readonly url?: string;
  readonly ip?: string;
}

/** Longest path logged; longer ones are cut and marked with `…`. */
const MAX_LOGGED_PATH = 64;

/**
 * A request path fit for logs: without its query string, at most {@link MAX_LOGGED_PATH}
 * characters, anything but printable ASCII replaced by `?`, and runs of 5 or more digits (phone
 * numbers, ids) masked as `#`.
 */
function loggablePath(url: string): string {
  const path = pathOf(url);
  const cut = path.length > MAX_LOGGED_PATH ? `${path.slice(0, MAX_LOGGED_PATH)}…` : path;
  return cut.replace(/[^\x20-\x7e…]/g, "?").replace(/\d{5,}/g, (digits) => "#".repeat(digits.length));
}

/** The `req` serializer: method, cleaned path (see {@link loggablePath}), client IP; nothing else. */
export function serializeRequest(request: LoggedRequest): {
  method?: string;
  path?: string;
  remoteAddress?: string;
} {
  return {
    method: request.method === undefined ? undefined : request.method.slice(0, 16),
    path: request.url === undefined ? undefined : loggablePath(request.url),
    remoteAddress: validIp(request.ip),
  };
}

/**
 * Masks a number for logs with core's `maskPhoneNumber`, after normalising what Voys sent
 * (`0031…`, `31…`) to E.164 where possible, with ASCII `*` for core's `•`: `+31 6*****111`.
 * (One non-ASCII character makes pino's write path measurably slower on every audit line.)
 * Overlong values are not logged at all.
 */
export function maskNumber(raw: string | undefined): string | undefined {
  if (raw === undefined || raw === "") return undefined;
  if (raw.length > 32) return "[masked]";
  return maskPhoneNumber(normalizeVoysNumber(raw) ?? raw).replaceAll("•", "*");
}

/** A log destination that gathers the lines of one event-loop turn and writes them at once. */
export interface BatchedDestination {
  /** Queues a line (pino calls this); after `close()`, writes it at once. */
  write(line: string): boolean;
  /** Writes what is queued now (also runs on process exit). */
  flush(): void;
  /** The same as `flush` (the name pino looks for). */
  flushSync(): void;
  /** Flushes, and writes every later line at once (the server's `onClose`). */
  close(): void;
}

// One exit hook for every live destination, so that many servers in one process add one listener.
const flushOnExit = new Set<() => void>();
let exitHookInstalled = false;

function registerForExit(flush: () => void): void {
  flushOnExit.add(flush);
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const pending of flushOnExit) pending();
  });
}

/**
 * Batches log lines per event-loop turn into one synchronous write to `target` (default: stdout
 * through pino's sync SonicBoom, which retries EAGAIN). Under load this turns one write system call
 * per audit line into one per turn; when idle, a line is written within the turn it was logged.
 * Nothing is lost on `process.exit()`: queued lines are written by an exit hook.
 */
export function createBatchedDestination(
  target: { write(data: string): unknown } = pino.destination({ dest: 1, sync: true }),
): BatchedDestination {
  let lines: string[] = [];
  let scheduled = false;
  let closed = false;
  const flush = (): void => {
    scheduled = false;
    if (lines.length === 0) return;
    const out = lines.join("");
    lines = [];
    target.write(out);
  };
  registerForExit(flush);
  return {
    write(line) {
      if (closed) {
        target.write(line);
        return true;
      }
      lines.push(line);
      if (!scheduled) {
        scheduled = true;
        setImmediate(flush);
      }
      return true;
    },
    flush,
    flushSync: flush,
    close() {
      closed = true;
      flush();
      flushOnExit.delete(flush);
    },
  };
}

/**
 * The server's logger: pino at `level` with our serializers and redaction, writing to `stream`
 * (`buildServer` passes `logStream`, or stdout through {@link createBatchedDestination}).
 */
export function createLogger(level: string, stream: NodeJS.WritableStream | BatchedDestination): Logger {
  return pino(
    {
      level,
      serializers: { req: serializeRequest },
      redact: { paths: [...REDACTED_PATHS], censor: "[redacted]" },
    },
    stream,
  );
}

/**
 * Fastify's per-request log lines, quietened: no "incoming request" line, "route not found" at debug.
 * There is no "request completed" line either: Fastify writes it only when it has a logger of its own,
 * and `buildServer` gives it none (see there); a webhook call has its audit line instead.
 */
export class QuietLogController extends LogController {
  constructor() {
    super({ disableRequestLogging: false });
  }

  override incomingRequest(): void {}

  override routeNotFound(request: FastifyRequest): void {
    request.log.debug({ reqId: request.id, req: request }, "route not found");
  }
}
