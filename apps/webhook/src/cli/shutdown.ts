/** What graceful shutdown needs from the server. */
export interface Closable {
  /** Stops accepting, finishes in-flight calls, stops the roster, closes Redis. */
  close(): Promise<unknown>;
  /** The server's logger. */
  readonly log: {
    info(obj: object, msg?: string): void;
    warn(obj: object, msg?: string): void;
    error(obj: object, msg?: string): void;
  };
}

/** Options of installShutdown. */
export interface ShutdownOptions {
  /** After this long the process exits anyway (a PagerDuty request or retry timer may hang). */
  readonly hardExitMs?: number;
  /** Exits the process (injectable for tests). */
  readonly exit?: (code: number) => void;
  /** Signals handled. */
  readonly signals?: readonly NodeJS.Signals[];
}

/**
 * On SIGTERM or SIGINT: close the server and exit 0; a hard, unref'd timer exits 0 anyway after
 * `hardExitMs` (default 4 s, within systemd's and the contract's 5 s). Returns an uninstaller.
 */
export function installShutdown(app: Closable, options: ShutdownOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  const signals = options.signals ?? ["SIGTERM", "SIGINT"];
  let closing = false;
  const onSignal = (signal: NodeJS.Signals): void => {
    if (closing) return;
    closing = true;
    app.log.info({ event: "shutdown", signal }, `received ${signal}, shutting down`);
    const timer = setTimeout(() => {
      app.log.warn({ event: "shutdown-forced" }, "shutdown took too long, exiting anyway");
      exit(0);
    }, options.hardExitMs ?? 4_000);
    timer.unref();
    app.close().then(
      () => {
        app.log.info({ event: "stopped" }, "stopped");
        exit(0);
      },
      (error: unknown) => {
        app.log.error({ event: "shutdown-error", err: error }, "error while shutting down");
        exit(0);
      },
    );
  };
  for (const signal of signals) process.on(signal, onSignal);
  return () => {
    for (const signal of signals) process.off(signal, onSignal);
  };
}
