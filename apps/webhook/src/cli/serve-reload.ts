import { type ReloadInput, type ReloadResult, reloadServer } from "@pagerduty-voys/server";
import type { FastifyInstance } from "fastify";

/** Options of installReload. */
export interface ReloadOptions {
  /** Signals that reload (default SIGHUP, what systemd's `ExecReload=/bin/kill -HUP $MAINPID` sends). */
  readonly signals?: readonly NodeJS.Signals[];
  /** Hears each reload's result (tests). */
  readonly onReloaded?: (result: ReloadResult) => void;
}

/**
 * On SIGHUP: re-read the configuration with `load` (the same schema as start-up) and swap it into
 * the running server between two calls; an invalid one is logged with every `path: message` and the
 * running one stays (see `reloadServer`). Handling the signal is what keeps SIGHUP from stopping
 * the process. Returns an uninstaller.
 */
export function installReload(
  app: FastifyInstance,
  load: () => ReloadInput | Promise<ReloadInput>,
  options: ReloadOptions = {},
): () => void {
  const signals = options.signals ?? ["SIGHUP"];
  // Signals that arrive during a reload fold into one more reload after it: a burst of SIGHUPs
  // reads the files at most twice, and always once after the last signal.
  let running = false;
  let again = false;
  const run = (): void => {
    running = true;
    void reloadServer(app, load).then((result) => {
      options.onReloaded?.(result);
      running = false;
      if (again) {
        again = false;
        run();
      }
    });
  };
  const onSignal = (signal: NodeJS.Signals): void => {
    app.log.info({ event: "config-reload", signal }, `received ${signal}, reloading the configuration`);
    if (running) again = true;
    else run();
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
