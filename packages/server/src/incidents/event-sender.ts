import { performance } from "node:perf_hooks";
import { realTimers } from "@pagerduty-voys/core";
import type { EventSendResult, PagerDutyEvent } from "@pagerduty-voys/pagerduty-source";
import type { EventAttempt, EventSender, EventSenderOptions } from "./event-sender-types.js";

interface Entry {
  readonly event: PagerDutyEvent;
  readonly at: Date;
  /** File on disk; undefined until written, null when it could not be. */
  file: string | null | undefined;
  /** The write to disk, started when the event was queued. */
  saved: Promise<void> | undefined;
}

const RETRY_AFTER_CAP_MS = 300_000;
const INITIAL_BACKOFF_MS = 500;

/** Creates the sender; call `start()` once (it reads the spool). */
export function createEventSender(options: EventSenderOptions): EventSender {
  const timers = options.timers ?? realTimers;
  const queueSize = options.queueSize ?? 1_000;
  const maxBackoffMs = options.maxBackoffMs ?? 10_000;
  const log = options.logger;
  const queue: Entry[] = [];
  let running: Promise<void> | undefined;
  let waitTimer: unknown;
  let failures = 0;
  let overflowing = false;
  let spoolFailing = false;
  let closing = false;
  let stopped = false;
  let inFlight: AbortController | undefined;

  const report = (attempt: Omit<EventAttempt, "queueDepth" | "failures">): void => {
    try {
      options.onAttempt?.({ ...attempt, failures, queueDepth: queue.length });
    } catch {
      // A metrics hook must never stop the sender.
    }
  };
  const delayFor = (result: Extract<EventSendResult, { kind: "retry" }>, tookMs: number): number => {
    if (result.retryAfterMs !== undefined) return Math.min(result.retryAfterMs, RETRY_AFTER_CAP_MS);
    const backoff = Math.min(maxBackoffMs, INITIAL_BACKOFF_MS * 2 ** Math.min(failures - 1, 30));
    // An attempt that hung until its timeout counts towards the wait (in whole seconds), so that
    // attempts start at least every `maxBackoffMs` even while PagerDuty does not answer at all.
    return Math.max(0, backoff - Math.floor(tookMs / 1_000) * 1_000);
  };
  const persist = async (entry: Entry): Promise<void> => {
    if (options.spool === undefined || entry.file !== undefined) return;
    entry.file = null;
    try {
      entry.file = await options.spool.save(entry.event, entry.at);
      spoolFailing = false;
    } catch (error) {
      if (!spoolFailing)
        log.error({ err: errorText(error) }, "could not keep an event on disk; sending it from memory");
      spoolFailing = true;
    }
  };
  const forget = async (entry: Entry): Promise<void> => {
    if (options.spool !== undefined && typeof entry.file === "string")
      await options.spool.remove(entry.file).catch((error: unknown) => {
        log.warn({ err: errorText(error) }, "could not remove a delivered event's file");
      });
  };
  const settle = async (entry: Entry, result: EventSendResult): Promise<boolean> => {
    if (result.kind === "retry") {
      failures += 1;
      if (failures === 1)
        log.warn(
          { status: result.status, reason: result.reason },
          "PagerDuty Events API failed; retrying with backoff",
        );
      return false;
    }
    queue.shift();
    await forget(entry);
    if (result.kind === "rejected") {
      log.error(
        {
          status: result.status,
          message: result.message,
          errors: result.errors,
          dedupKey: entry.event.dedup_key,
        },
        "PagerDuty refused an event; dropped",
      );
    } else if (failures > 0) {
      log.info({ failedAttempts: failures }, "PagerDuty Events API accepts events again");
    }
    failures = 0;
    report({ result: result.kind, status: result.status });
    return true;
  };

  async function drain(): Promise<void> {
    while (queue.length > 0 && !stopped) {
      const entry = queue[0] as Entry;
      await entry.saved;
      if (stopped) return;
      inFlight = new AbortController();
      const started = performance.now();
      const result = await options.client.send(entry.event, inFlight.signal);
      inFlight = undefined;
      if (stopped) return;
      if ((await settle(entry, result)) || result.kind !== "retry") continue;
      const delayMs = closing ? undefined : delayFor(result, performance.now() - started);
      report({ result: "retried", status: result.status, delayMs });
      if (delayMs === undefined) return; // Closing: what is left stays on disk for the next start.
      waitTimer = timers.setTimeout(() => {
        waitTimer = undefined;
        kick();
      }, delayMs);
      unref(waitTimer);
      return;
    }
  }
  function kick(): void {
    if (running !== undefined || waitTimer !== undefined || stopped || queue.length === 0) return;
    running = drain()
      .catch((error: unknown) => log.error({ err: errorText(error) }, "event sender failed"))
      .finally(() => {
        running = undefined;
        if (!closing && waitTimer === undefined && queue.length > 0) kick();
      });
  }

  return {
    get depth() {
      return queue.length;
    },
    enqueue(event, at) {
      if (closing && options.spool !== undefined && !stopped) {
        // Shutting down: no new send, but on disk for the next start.
        const entry: Entry = { event, at, file: undefined, saved: undefined };
        entry.saved = persist(entry);
        queue.push(entry);
        return true;
      }
      if (closing || queue.length >= queueSize) {
        if (!overflowing)
          log.error(
            { queueSize, closing },
            closing
              ? "PagerDuty event after shutdown began; dropped"
              : "PagerDuty event queue full; events are dropped until it drains",
          );
        overflowing = true;
        report({ result: "dropped" });
        return false;
      }
      if (queue.length < queueSize / 2) overflowing = false;
      const entry: Entry = { event, at, file: undefined, saved: undefined };
      // On disk before the first send, but never on the caller's time: the write runs meanwhile.
      entry.saved = persist(entry);
      queue.push(entry);
      kick();
      return true;
    },
    async start() {
      if (options.spool === undefined) return;
      const left = await options.spool.load((file, error) =>
        log.warn({ file, err: errorText(error) }, "unreadable event file set aside"),
      );
      if (left.length > 0)
        log.info({ events: left.length }, "re-queued events left undelivered by an earlier run");
      queue.unshift(
        ...left.map((spooled) => ({
          event: spooled.event,
          at: new Date(),
          file: spooled.file,
          saved: undefined,
        })),
      );
      kick();
    },
    async close() {
      closing = true;
      if (waitTimer !== undefined) {
        timers.clearTimeout(waitTimer);
        waitTimer = undefined;
        kick();
      }
      const pending = running;
      if (pending !== undefined) {
        let bound: NodeJS.Timeout | undefined;
        const gaveUp = new Promise<void>((resolve) => {
          bound = setTimeout(resolve, options.closeWaitMs ?? 2_000);
        });
        await Promise.race([pending, gaveUp]);
        clearTimeout(bound);
      }
      stopped = true;
      inFlight?.abort();
      await Promise.allSettled(queue.map((entry) => entry.saved));
      if (queue.length > 0) {
        const kept = options.spool !== undefined;
        log.warn(
          { events: queue.length, kept },
          kept
            ? "events not yet delivered stay on disk for the next start"
            : "events not yet delivered are lost",
        );
      }
    },
  };
}

function unref(handle: unknown): void {
  const fn = (handle as { unref?: unknown } | null)?.unref;
  if (typeof fn === "function") fn.call(handle);
}

function errorText(error: unknown): string {
  return error instanceof Error ? `${error.name}: ${error.message}` : String(error);
}
