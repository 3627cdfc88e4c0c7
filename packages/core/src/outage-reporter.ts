import { describeError } from "./errors.js";
import type { Logger } from "./types.js";

/** Logs a dependency going away once (warn) and coming back once (info), however many calls fail. */
export interface OutageReporter {
  /** Whether the dependency is considered down. */
  readonly down: boolean;
  /** Records a failed call; warns only on the first failure of an outage. */
  failed(error: unknown): void;
  /** Records a successful call; logs info only when it ends an outage. */
  succeeded(): void;
  /** Runs `operation` and records how it went: its result, or undefined when it failed. */
  attempt<T>(operation: () => Promise<T>): Promise<T | undefined>;
}

/** What the reporter says and where. */
export interface OutageReporterOptions {
  /** Where to log. */
  readonly logger: Logger;
  /** Fields added to both lines, e.g. `{ component: "redis-counter" }`. */
  readonly fields: object;
  /** The warn message, e.g. `Redis unavailable; round-robin falls back to memory`. */
  readonly downMessage: string;
  /** The info message, e.g. `Redis is back; round-robin uses it again`. */
  readonly upMessage: string;
  /** Code used when a failure has none. */
  readonly fallbackCode: string;
}

/** Creates an outage reporter (state per reporter: one warn per outage, one info per recovery). */
export function createOutageReporter(options: OutageReporterOptions): OutageReporter {
  let down = false;
  let failures = 0;
  const reporter: OutageReporter = {
    get down() {
      return down;
    },
    failed(error) {
      failures += 1;
      if (down) return;
      down = true;
      options.logger.warn(
        { ...options.fields, err: describeError(error, options.fallbackCode) },
        options.downMessage,
      );
    },
    succeeded() {
      if (!down) return;
      down = false;
      options.logger.info({ ...options.fields, failedCalls: failures }, options.upMessage);
      failures = 0;
    },
    async attempt(operation) {
      try {
        const result = await operation();
        reporter.succeeded();
        return result;
      } catch (error) {
        reporter.failed(error);
        return undefined;
      }
    },
  };
  return reporter;
}
