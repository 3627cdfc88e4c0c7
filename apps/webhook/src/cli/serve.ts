import { createServer } from "node:net";
import { buildServer } from "@pagerduty-voys/server";
import { loadConfig } from "../config/load-config.js";
import { toServerOptions } from "../config/server-options.js";
import type { WebhookConfig } from "../config/types.js";
import { configProblemsOf } from "../errors.js";
import { type CliIo, printConfigErrors } from "./io.js";
import { installReload } from "./serve-reload.js";
import { installCrashHandlers, installShutdown } from "./shutdown.js";

type App = Awaited<ReturnType<typeof buildServer>>;

/**
 * `serve`: validate the configuration (exit 2 before listening when invalid), build the server,
 * listen on HOST:PORT and log the bound addresses; SIGTERM/SIGINT close it, SIGHUP reloads the
 * configuration, an uncaught error logs one fatal line and exits 1. Resolves with an exit code on
 * failure, or undefined while serving.
 */
export async function serve(io: CliIo): Promise<number | undefined> {
  const result = loadConfig({ env: io.env });
  if (!result.ok) {
    printConfigErrors(io, result.errors);
    return 2;
  }
  const { config } = result;
  let app: App;
  try {
    app = await buildServer(toServerOptions(config));
  } catch (error) {
    // Any options-invalid error (a strategy module that cannot load, options the config let through)
    // is a configuration problem: exit 2, so that systemd does not restart it in a loop.
    const problems = configProblemsOf(error);
    if (problems !== undefined) {
      printConfigErrors(io, problems);
      return 2;
    }
    io.stderr(`pagerduty-voys-webhook: cannot build the server: ${errorText(error)}\n`);
    return 1;
  }
  for (const warning of result.warnings) app.log.warn({ event: "config-warning" }, warning);
  installCrashHandlers(app.log);
  const uninstallReload = installReload(app, () => {
    const next = loadConfig({ env: io.env });
    return next.ok ? { ok: true, options: toServerOptions(next.config), warnings: next.warnings } : next;
  });
  const uninstallShutdown = installShutdown(app);
  const uninstall = (): void => {
    uninstallReload();
    uninstallShutdown();
  };
  try {
    await listen(app, config);
  } catch (error) {
    uninstall();
    app.log.error({ event: "listen-failed", err: error }, "cannot listen");
    await app.close().catch(() => undefined);
    io.stderr(
      `pagerduty-voys-webhook: cannot listen on ${config.listen.host} port ${config.listen.port}: ${errorText(error)}\n`,
    );
    return 1;
  }
  return undefined;
}

async function listen(app: App, config: WebhookConfig): Promise<void> {
  let host = config.listen.host;
  if (config.listen.hostIsDefault && !(await ipv6Available())) {
    app.log.warn({ event: "no-ipv6" }, "IPv6 is not available here: listening on 0.0.0.0 (IPv4 only)");
    host = "0.0.0.0";
  }
  await app.listen({ host, port: config.listen.port });
  const bound = app.addresses();
  const addresses = bound.map((a) =>
    typeof a === "string" ? a : a.family === "IPv6" ? `[${a.address}]:${a.port}` : `${a.address}:${a.port}`,
  );
  const port = bound.map((a) => (typeof a === "string" ? undefined : a.port)).find((p) => p !== undefined);
  const dualStack = host === "::" ? " (IPv6 and IPv4)" : "";
  app.log.info(
    { event: "listening", host, port, addresses },
    `listening on ${addresses.join(", ")}${dualStack}`,
  );
}

function ipv6Available(): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.once("error", (error: NodeJS.ErrnoException) => {
      resolve(error.code !== "EAFNOSUPPORT" && error.code !== "EADDRNOTAVAIL");
    });
    probe.listen({ host: "::", port: 0 }, () => probe.close(() => resolve(true)));
  });
}

/** An error's message (or code) for one line of output. */
function errorText(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as Error & { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${error.message}` : error.message;
}
