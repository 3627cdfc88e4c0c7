import type { Logger, Timers } from "@pagerduty-voys/core";
import type { EventsClient, PagerDutyEvent } from "@pagerduty-voys/pagerduty-source";
import type { EventSpool } from "./event-spool.js";

/** How a send attempt (or an event that never got one) ended, as counted in `pagerduty_voys_events_total`. */
export type EventResult = "accepted" | "rejected" | "retried" | "dropped";

/** One settled send attempt, or a dropped event. */
export interface EventAttempt {
  /** The result label. */
  readonly result: EventResult;
  /** HTTP status, when PagerDuty answered. */
  readonly status?: number | undefined;
  /** Consecutive failed attempts so far (0 after a success). */
  readonly failures: number;
  /** With `retried`: how long until the next attempt. */
  readonly delayMs?: number | undefined;
  /** Events still waiting after this one. */
  readonly queueDepth: number;
}

/** Options of {@link createEventSender}. */
export interface EventSenderOptions {
  /** Sends one event. */
  readonly client: EventsClient;
  /** Keeps each event on disk until accepted; undefined: memory only. */
  readonly spool?: EventSpool | undefined;
  /** Timers for the retry waits. */
  readonly timers?: Timers | undefined;
  /** Where failures are logged (never an event's summary: it holds a caller's number). */
  readonly logger: Logger;
  /** Most events waiting; more are dropped (default 1000). */
  readonly queueSize?: number | undefined;
  /** Longest wait between attempts while PagerDuty does not answer (default 10000 ms). */
  readonly maxBackoffMs?: number | undefined;
  /** Longest time `close()` gives pending sends (default 2000 ms, on Node's timers). */
  readonly closeWaitMs?: number | undefined;
  /** Called after every attempt settles and for every dropped event. */
  readonly onAttempt?: ((attempt: EventAttempt) => void) | undefined;
}

/** Sends events in the background, one at a time, in order, retrying until PagerDuty takes them. */
export interface EventSender {
  /** Events waiting (the one being sent included). */
  readonly depth: number;
  /** Queues an event without waiting for anything; false when the queue was full and it was dropped. */
  enqueue(event: PagerDutyEvent, at: Date): boolean;
  /** Re-queues the events left on disk by an earlier run, and starts sending. */
  start(): Promise<void>;
  /** Gives pending sends at most `closeWaitMs`, then stops; events not sent stay on disk (if any). */
  close(): Promise<void>;
}
