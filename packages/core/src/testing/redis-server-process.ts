import { type ChildProcess, spawn } from "node:child_process";
import { once } from "node:events";
import { createConnection, createServer } from "node:net";
import { tmpdir } from "node:os";
import { setTimeout as sleep } from "node:timers/promises";
import { PdvError } from "../errors.js";
import { TESTING_ERROR_CODES } from "./errors.js";

/** Options of `startRedisServer`. */
export interface StartRedisServerOptions {
  /** The binary. Default: env `REDIS_SERVER_BIN`, else `redis-server` on the PATH. */
  readonly bin?: string;
  /** The port. Default: a free loopback port. */
  readonly port?: number;
  /** How long to wait for PING to answer. Default 10 000. */
  readonly startTimeoutMs?: number;
  /** Extra `redis-server` arguments, e.g. `["--requirepass", "secret"]`. */
  readonly args?: readonly string[];
}

/** A throwaway redis-server on 127.0.0.1, for tests. */
export interface RedisServerHandle {
  /** `redis://127.0.0.1:PORT`. */
  readonly url: string;
  /** The port it listens on (kept across restarts). */
  readonly port: number;
  /** Stops it (SIGTERM) and waits for the exit. */
  stop(): Promise<void>;
  /** Kills it (SIGKILL), like a crash, and waits for the exit. */
  kill(): Promise<void>;
  /** Starts it again on the same port (stopping it first if needed) and waits for PING. */
  restart(): Promise<void>;
  /** Freezes it (SIGSTOP): connections stay open, nothing answers. */
  pause(): Promise<void>;
  /** Thaws a paused server (SIGCONT). */
  resume(): Promise<void>;
}

const running = new Set<ChildProcess>();
let exitHookInstalled = false;

function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.once("exit", () => {
    for (const child of running) child.kill("SIGKILL");
  });
}

/** A port that was free on `host` (default 127.0.0.1) a moment ago (bound to port 0, then released). */
export async function findFreePort(host = "127.0.0.1"): Promise<number> {
  const server = createServer();
  server.listen(0, host);
  await once(server, "listening");
  const address = server.address();
  await new Promise<void>((resolve) => server.close(() => resolve()));
  if (address === null || typeof address === "string") {
    throw new PdvError(TESTING_ERROR_CODES.NO_FREE_PORT, "could not find a free port");
  }
  return address.port;
}

/** True when a Redis on 127.0.0.1:port answers PING (PONG, or NOAUTH with a password; raw RESP, no client). */
export function pingRedis(port: number, timeoutMs = 500): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = createConnection({ host: "127.0.0.1", port });
    let received = "";
    const finish = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => finish(false));
    socket.on("connect", () => socket.write("PING\r\n"));
    socket.on("data", (chunk) => {
      received += chunk.toString("latin1");
      if (received.includes("\r\n")) finish(received.startsWith("+PONG") || received.startsWith("-NOAUTH"));
    });
    socket.on("error", () => finish(false));
  });
}

/** Spawns redis-server on 127.0.0.1:port (no persistence); killed when this process exits. */
export function launch(bin: string, port: number, args: readonly string[]): ChildProcess {
  const base = ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"];
  const child = spawn(bin, [...base, "--dir", tmpdir(), "--daemonize", "no", ...args], {
    stdio: ["ignore", "pipe", "pipe"],
  });
  running.add(child);
  child.once("exit", () => running.delete(child));
  installExitHook();
  return child;
}

/** Resolves once the server answers PING; throws a clear error when it is missing, exits or stays silent. */
export async function waitForPing(
  child: ChildProcess,
  bin: string,
  port: number,
  timeoutMs: number,
): Promise<void> {
  let output = "";
  let spawnError: NodeJS.ErrnoException | undefined;
  const collect = (chunk: Buffer): void => {
    output = (output + chunk.toString("utf8")).slice(-2_000);
  };
  child.stdout?.on("data", collect);
  child.stderr?.on("data", collect);
  child.once("error", (error) => {
    spawnError = error;
  });
  const deadline = Date.now() + timeoutMs;
  while (Date.now() < deadline) {
    if (spawnError?.code === "ENOENT") throw missingBinary(bin, spawnError);
    if (spawnError || child.exitCode !== null || child.signalCode !== null) {
      throw failedStart(`redis-server exited before answering on port ${port}: ${output.trim()}`, spawnError);
    }
    if (await pingRedis(port)) return;
    await sleep(25);
  }
  child.kill("SIGKILL");
  throw failedStart(
    `redis-server did not answer PING on port ${port} within ${timeoutMs} ms: ${output.trim()}`,
  );
}

function missingBinary(bin: string, cause: unknown): PdvError {
  return new PdvError(
    TESTING_ERROR_CODES.REDIS_SERVER_MISSING,
    `redis-server not found (tried "${bin}"): install it (apt-get install -y redis-server, ` +
      "or brew install redis) or point REDIS_SERVER_BIN at the binary",
    { cause },
  );
}

function failedStart(message: string, cause?: unknown): PdvError {
  return new PdvError(TESTING_ERROR_CODES.REDIS_SERVER_FAILED, message, { cause });
}

/** Sends `signal` (thawing a paused server for SIGTERM) and waits for the exit; SIGKILL after 5 s. */
export async function terminate(
  child: ChildProcess | undefined,
  signal: "SIGTERM" | "SIGKILL",
): Promise<void> {
  if (!child || child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, "exit");
  child.kill(signal);
  if (signal === "SIGTERM") child.kill("SIGCONT"); // a paused server handles SIGTERM only once thawed
  const escalate = setTimeout(() => child.kill("SIGKILL"), 5_000);
  escalate.unref();
  await exited;
  clearTimeout(escalate);
}
