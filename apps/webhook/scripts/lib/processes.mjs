// Helpers shared by the demo and the benchmark: free ports, the built server as a child process.
import { spawn } from "node:child_process";
import { existsSync, mkdtempSync } from "node:fs";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { findFreePort } from "@pagerduty-voys/core/testing";

/** apps/webhook. */
export const APP_DIR = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
/** The built CLI. */
export const CLI = join(APP_DIR, "dist", "cli.js");

/** Fails with a clear message when the app has not been built. */
export function requireBuiltCli() {
  if (!existsSync(CLI))
    throw new Error(
      `${CLI} is missing: run \`pnpm build\` (or \`pnpm --filter pagerduty-voys-webhook build\`) first`,
    );
}

/** An empty CONFIG_DIR, so that nothing in /etc/pagerduty-voys-webhook leaks into a demo or a run. */
export function emptyConfigDir() {
  return mkdtempSync(join(tmpdir(), "pdv-empty-config-"));
}

/** Resolves true when `port` can be listened on at `host`. */
export function portIsFree(port, host = "::") {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ host, port }, () => probe.close(() => resolve(true)));
  });
}

/** A port that is free right now (dual stack): core's one free-port helper. */
export function freePort(host = "::") {
  return findFreePort(host);
}

/** Polls `url` until it answers 200, or rejects after `timeoutMs`. */
export async function waitForOk(url, timeoutMs = 15_000, isAlive = () => true) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (!isAlive()) throw new Error(`the server exited before ${url} answered`);
    try {
      const response = await fetch(url, { signal: AbortSignal.timeout(1_000) });
      await response.arrayBuffer();
      if (response.ok) return;
    } catch {
      // not up yet
    }
    if (Date.now() > deadline) throw new Error(`${url} did not answer 200 within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/**
 * Starts a node script as a child process with only PATH, HOME and `env` (the caller's own
 * PAGERDUTY_* or REDIS_URL must not leak in); `stop()` sends SIGTERM and waits (SIGKILL after 5 s).
 */
export function startNode(script, args, { env = {}, stdio = ["ignore", "inherit", "inherit"] } = {}) {
  const base = { PATH: process.env.PATH ?? "/usr/bin:/bin", HOME: process.env.HOME ?? "/" };
  const child = spawn(process.execPath, [script, ...args], { env: { ...base, ...env }, stdio });
  let exited = false;
  const exit = new Promise((resolve) => {
    child.once("exit", (code, signal) => {
      exited = true;
      resolve({ code, signal });
    });
  });
  return {
    child,
    exit,
    isAlive: () => !exited,
    async stop() {
      if (exited) return exit;
      child.kill("SIGTERM");
      const timer = setTimeout(() => child.kill("SIGKILL"), 5_000);
      const result = await exit;
      clearTimeout(timer);
      return result;
    },
  };
}
