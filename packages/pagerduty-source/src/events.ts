import { postJson } from "./transport.js";

/** Default base URL of the Events API v2 (EU: `https://events.eu.pagerduty.com`). */
export const DEFAULT_PAGERDUTY_EVENTS_URL = "https://events.pagerduty.com";

/** Severity of an Events API v2 event. */
export type EventSeverity = "critical" | "error" | "warning" | "info";

/** An Events API v2 event, as PagerDuty's `POST /v2/enqueue` takes it. */
export interface PagerDutyEvent {
  /** The 32-character integration key of a service's Events API v2 integration. */
  readonly routing_key: string;
  /** `trigger`, `acknowledge` or `resolve`. */
  readonly event_action: "trigger" | "acknowledge" | "resolve";
  /** Events with the same key fold into one open alert. */
  readonly dedup_key?: string;
  /** What happened. */
  readonly payload: {
    /** Title of the alert (at most 1024 characters). */
    readonly summary: string;
    /** Where it happened, e.g. a host name. */
    readonly source: string;
    /** How bad it is. */
    readonly severity: EventSeverity;
    /** ISO 8601 time of the event. */
    readonly timestamp?: string;
    /** Component of the source. */
    readonly component?: string;
    /** Logical group. */
    readonly group?: string;
    /** Class or type. */
    readonly class?: string;
    /** Free-form details shown on the alert. */
    readonly custom_details?: Readonly<Record<string, unknown>>;
  };
}

/** How one send ended. `retry` covers no answer, 429, 5xx and other unexpected statuses. */
export type EventSendResult =
  | { readonly kind: "accepted"; readonly status: number; readonly dedupKey: string | undefined }
  | {
      readonly kind: "rejected";
      readonly status: number;
      readonly message: string;
      readonly errors: string[];
    }
  | {
      readonly kind: "retry";
      readonly status: number | undefined;
      readonly reason: string;
      /** How long PagerDuty asked us to wait (`Retry-After`), when it said. */
      readonly retryAfterMs: number | undefined;
    };

/** Options of {@link createEventsClient}. */
export interface EventsClientOptions {
  /** Base URL; events go to `<url>/v2/enqueue`. Default {@link DEFAULT_PAGERDUTY_EVENTS_URL}. */
  readonly url?: string | undefined;
  /** Bound of one send (default 5000 ms). */
  readonly requestTimeoutMs?: number | undefined;
}

/** Sends Events API v2 events; never rejects. */
export interface EventsClient {
  /** Short name for logs. */
  readonly name: string;
  /** The full enqueue URL. */
  readonly enqueueUrl: string;
  /** Sends one event and says how it went. */
  send(event: PagerDutyEvent, signal?: AbortSignal): Promise<EventSendResult>;
}

/** Milliseconds of a `Retry-After` header (seconds or an HTTP date), or undefined. */
export function parseRetryAfter(raw: string | null | undefined, now = Date.now()): number | undefined {
  const value = raw?.trim();
  if (!value) return undefined;
  if (/^\d+(\.\d+)?$/.test(value)) return Math.ceil(Number(value) * 1000);
  const at = Date.parse(value);
  return Number.isNaN(at) ? undefined : Math.max(0, at - now);
}

function field(body: unknown, name: string): unknown {
  return body !== null && typeof body === "object" ? (body as Record<string, unknown>)[name] : undefined;
}

function describeFailure(raw: unknown): string {
  if (!(raw instanceof Error)) return "no answer";
  const cause = (raw as { cause?: { code?: unknown } }).cause;
  const code = typeof cause?.code === "string" ? ` (${cause.code})` : "";
  return raw.name === "AbortError" || raw.name === "TimeoutError" ? "no answer in time" : `no answer${code}`;
}

/** Creates the client of the Events API v2 (through the same pdjs transport as the REST calls). */
export function createEventsClient(options: EventsClientOptions = {}): EventsClient {
  const base = (options.url ?? DEFAULT_PAGERDUTY_EVENTS_URL).replace(/\/+$/, "");
  const enqueueUrl = `${base}/v2/enqueue`;
  const timeoutMs = options.requestTimeoutMs ?? 5_000;
  return {
    name: "pagerduty-events",
    enqueueUrl,
    async send(event, signal) {
      let answer: Awaited<ReturnType<typeof postJson>>;
      try {
        answer = await postJson(enqueueUrl, event, { timeoutMs, signal });
      } catch (raw) {
        return { kind: "retry", status: undefined, reason: describeFailure(raw), retryAfterMs: undefined };
      }
      const { status, body } = answer;
      if (status >= 200 && status < 300) {
        const dedupKey = field(body, "dedup_key");
        return { kind: "accepted", status, dedupKey: typeof dedupKey === "string" ? dedupKey : undefined };
      }
      if (status === 400 || status === 413 || status === 422) {
        const message = field(body, "message");
        const errors = field(body, "errors");
        return {
          kind: "rejected",
          status,
          message: typeof message === "string" ? message : `HTTP ${status}`,
          errors: Array.isArray(errors) ? errors.map(String) : [],
        };
      }
      return {
        kind: "retry",
        status,
        reason: status === 429 ? "rate limited" : `HTTP ${status}`,
        retryAfterMs: parseRetryAfter(answer.header("retry-after")),
      };
    },
  };
}
