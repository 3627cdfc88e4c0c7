import { type ChildProcess, spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

/** apps/webhook. */
export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built CLI the black-box tests run. */
const CLI = join(APP_DIR, "dist", "cli.js");

/** Environment of a child: PATH and HOME only, plus `env` (nothing of the test runner's leaks in). */
function childEnv(env: Record<string, string>): Record<string, string> {
  return { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/", ...env };
}

/** How a finished command went. */
export interface CommandResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

function requireCli(script: string): void {
  if (!existsSync(script))
    throw new Error(`${script} is missing: run \`pnpm --filter pagerduty-voys-webhook build\` first`);
}

/** Runs a node script to completion (killed after `timeoutMs`). */
export function runNode(
  script: string,
  args: string[],
  env: Record<string, string>,
  timeoutMs = 15_000,
): Promise<CommandResult> {
  requireCli(script);
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [script, ...args], {
      env: childEnv(env),
      stdio: ["ignore", "pipe", "pipe"],
    });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
    });
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    const timer = setTimeout(() => child.kill("SIGKILL"), timeoutMs);
    child.once("error", reject);
    child.once("close", (code, signal) => {
      clearTimeout(timer);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs the built CLI to completion. */
export function runCli(
  args: string[],
  env: Record<string, string>,
  timeoutMs?: number,
): Promise<CommandResult> {
  return runNode(CLI, args, env, timeoutMs);
}

/** A running `serve` child. */
export interface ServerProcess {
  readonly child: ChildProcess;
  /** The port it listens on (from its `listening` log line). */
  readonly port: number;
  /** Output so far. */
  output(): { stdout: string; stderr: string };
  /** Parsed JSON log lines so far. */
  logs(): Array<Record<string, unknown>>;
  /** Resolves when the process has exited. */
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  /** SIGKILLs it if still running (cleanup). */
  kill(): Promise<void>;
}

/**
 * Starts `node <script> serve` (the built CLI by default) with PORT=0 unless given, and resolves
 * once it logs its `listening` line; rejects with its output when it exits first.
 */
export function startServer(
  env: Record<string, string>,
  script = CLI,
  timeoutMs = 15_000,
): Promise<ServerProcess> {
  requireCli(script);
  const child = spawn(process.execPath, [script, "serve"], {
    env: childEnv({ PORT: "0", ...env }),
    stdio: ["ignore", "pipe", "pipe"],
  });
  let stdout = "";
  let stderr = "";
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    child.once("exit", (code, signal) => resolve({ code, signal }));
  });
  const logs = (): Array<Record<string, unknown>> =>
    stdout
      .split("\n")
      .filter((line) => line.startsWith("{"))
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`no listening line within ${timeoutMs} ms\n${stdout}\n${stderr}`));
    }, timeoutMs);
    child.stderr.on("data", (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.stdout.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const listening = logs().find((line) => line.event === "listening");
      if (listening === undefined) return;
      clearTimeout(timer);
      resolve({
        child,
        port: listening.port as number,
        output: () => ({ stdout, stderr }),
        logs,
        exited,
        async kill() {
          if (child.exitCode === null && child.signalCode === null) child.kill("SIGKILL");
          await exited;
        },
      });
    });
    exited.then(({ code }) => {
      clearTimeout(timer);
      reject(new Error(`the server exited with code ${code} before listening\n${stdout}\n${stderr}`));
    });
  });
}

/** Resolves with the exit, or rejects when it takes longer than `ms` (the contract's shutdown bound). */
export async function exitWithin(
  server: ServerProcess,
  ms: number,
): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`the process did not exit within ${ms} ms`)), ms);
  });
  try {
    return await Promise.race([server.exited, late]);
  } finally {
    clearTimeout(timer);
  }
}

/** GET over loopback; `host` is an IP literal (`127.0.0.1` or `::1`). */
export async function get(
  host: string,
  port: number,
  path: string,
): Promise<{ status: number; body: string; type: string | null }> {
  const authority = host.includes(":") ? `[${host}]` : host;
  const response = await fetch(`http://${authority}:${port}${path}`, { signal: AbortSignal.timeout(5_000) });
  return { status: response.status, body: await response.text(), type: response.headers.get("content-type") };
}
