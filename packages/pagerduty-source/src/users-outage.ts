import type { Logger } from "@pagerduty-voys/core";
import { isPagerDutyError } from "./errors.js";

/** What the `/users` outage tracker needs. */
export interface UsersOutageOptions {
  /** Where the outage, recovery and per-user lines go. */
  readonly logger: Logger | undefined;
  /** Monotonic milliseconds. */
  readonly monotonicNow: () => number;
  /** The jittered wait before retry number `attempt` (1 = first). */
  readonly delayMs: (attempt: number) => number;
}

/** One lookup's view of the outage: whether to send requests, and what happened to them. */
interface UsersRound {
  /** True when `/users` was down and its backoff is over: one request probes it first. */
  readonly probing: boolean;
  /** False while backing off, or once this round's requests failed without any success. */
  mayRequest(): boolean;
  /** A user's details arrived. */
  succeeded(id: string): void;
  /** PagerDuty answered without details (a 404): `/users` itself works. */
  answered(): void;
  /** A user's request failed (not fatally); `stale` tells whether cached details stand in. */
  failed(id: string, error: unknown, stale: boolean): void;
  /** Ends the round: starts or extends an outage, or ends one, and logs at most one line per event. */
  end(): void;
}

/** Tracks outages of `/users` across lookups. */
export interface UsersOutage {
  /** Begins a lookup that may request `missing` users. */
  startRound(missing: number): UsersRound;
}

interface Failure {
  readonly id: string;
  readonly error: unknown;
  readonly stale: boolean;
}

const describe = (error: unknown) => ({
  code: isPagerDutyError(error) ? error.code : "unknown",
  error: error instanceof Error ? error.message : String(error),
});

/**
 * Creates the tracker. A lookup whose requests all fail starts an outage: one warning, then no
 * user requests until the backoff (core's, or longer when PagerDuty asked) is over, then one probe.
 * The first lookup with a success ends it with one info line. Single users failing while others
 * succeed are warned about once each, until their details arrive again.
 */
export function createUsersOutage(options: UsersOutageOptions): UsersOutage {
  const { logger } = options;
  let down = false;
  let attempt = 0;
  let retryAt = 0;
  let failedRequests = 0;
  let downSince = 0;
  const warned = new Set<string>();

  return {
    startRound(missing) {
      const backingOff = down && options.monotonicNow() < retryAt;
      let successes = 0;
      const failures: Failure[] = [];
      return {
        probing: down && !backingOff,
        mayRequest: () => !backingOff && (successes > 0 || failures.length === 0),
        succeeded(id) {
          successes += 1;
          warned.delete(id);
        },
        answered() {
          successes += 1;
        },
        failed(id, error, stale) {
          failures.push({ id, error, stale });
        },
        end() {
          if (failures.length > 0 && successes === 0) return startOrExtend(failures, missing);
          if (successes === 0) return;
          if (down) {
            const fields = { failedRequests, downForMs: Math.round(options.monotonicNow() - downSince) };
            logger?.info(fields, "pagerduty: /users answers again; user details are fetched again");
            down = false;
            attempt = 0;
            failedRequests = 0;
          }
          for (const failure of failures) warnUser(failure);
        },
      };
    },
  };

  function startOrExtend(failures: readonly Failure[], missing: number): void {
    const [first] = failures;
    failedRequests += failures.length;
    attempt += 1;
    const asked = failures.map((f) => (f.error as { retryAfterMs?: unknown }).retryAfterMs);
    const hint = Math.max(0, ...asked.filter((ms): ms is number => typeof ms === "number"));
    const wait = Math.max(options.delayMs(attempt), hint);
    retryAt = options.monotonicNow() + wait;
    if (down || first === undefined) return;
    down = true;
    downSince = options.monotonicNow();
    logger?.warn(
      { userId: first.id, ...describe(first.error), stale: first.stale, users: missing, retryInMs: wait },
      "pagerduty: /users is failing; using cached user details and retrying with backoff",
    );
  }

  function warnUser(failure: Failure): void {
    if (warned.has(failure.id)) return;
    warned.add(failure.id);
    logger?.warn(
      { userId: failure.id, ...describe(failure.error), stale: failure.stale },
      failure.stale
        ? "pagerduty: user details unavailable, using the last known details"
        : "pagerduty: user details unavailable, this responder has no phone numbers until they can be fetched",
    );
  }
}
