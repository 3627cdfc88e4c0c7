/** Where a fatal error is logged (the server's pino logger). */
export interface FatalLog {
  fatal(obj: object, msg?: string): void;
}

/** Options of installCrashHandlers. */
export interface CrashOptions {
  /** Exits the process (injectable for tests). */
  readonly exit?: (code: number) => void;
}

function errorFields(error: unknown): { name: string; message: string; code?: string; stack?: string } {
  if (!(error instanceof Error)) return { name: "NonError", message: String(error).slice(0, 500) };
  const code = (error as Error & { code?: unknown }).code;
  return {
    name: error.name,
    message: error.message,
    ...(typeof code === "string" ? { code } : {}),
    ...(error.stack === undefined ? {} : { stack: error.stack }),
  };
}

/**
 * On an uncaught exception or an unhandled rejection: one `fatal` line, then exit 1, so that systemd
 * (`Restart=on-failure`) starts a clean process instead of one in an unknown state. Returns an
 * uninstaller.
 */
export function installCrashHandlers(log: FatalLog, options: CrashOptions = {}): () => void {
  const exit = options.exit ?? ((code: number) => process.exit(code));
  let crashed = false;
  const crash = (kind: "uncaughtException" | "unhandledRejection") => (error: unknown) => {
    if (crashed) return;
    crashed = true;
    try {
      log.fatal(
        { event: "crash", kind, err: errorFields(error) },
        `${kind}: exiting so that systemd restarts us`,
      );
    } finally {
      exit(1);
    }
  };
  const onException = crash("uncaughtException");
  const onRejection = crash("unhandledRejection");
  process.on("uncaughtException", onException);
  process.on("unhandledRejection", onRejection);
  return () => {
    process.off("uncaughtException", onException);
    process.off("unhandledRejection", onRejection);
  };
}

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
