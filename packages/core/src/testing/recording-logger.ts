import type { Logger } from "../types.js";

/** One line a recording logger received. */
export interface LogLine {
  /** The level it was logged at. */
  readonly level: "debug" | "info" | "warn" | "error";
  /** The fields. */
  readonly fields: object;
  /** The message, if any. */
  readonly msg: string | undefined;
}

/** A `Logger` that keeps every line, for assertions such as "exactly one warn". */
export interface RecordingLogger extends Logger {
  /** Every line so far, oldest first. */
  readonly lines: LogLine[];
  /** The lines of one level. */
  at(level: LogLine["level"]): LogLine[];
  /** Forgets every line. */
  clear(): void;
}

/** Creates a logger that records instead of printing. */
export function createRecordingLogger(): RecordingLogger {
  const lines: LogLine[] = [];
  const record =
    (level: LogLine["level"]) =>
    (fields: object, msg?: string): void => {
      lines.push({ level, fields, msg });
    };
  return {
    lines,
    debug: record("debug"),
    info: record("info"),
    warn: record("warn"),
    error: record("error"),
    at: (level) => lines.filter((line) => line.level === level),
    clear: () => {
      lines.length = 0;
    },
  };
}
