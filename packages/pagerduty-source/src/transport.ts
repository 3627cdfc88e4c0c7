// The only module that imports @pagerduty/pdjs: swap the transport here and nothing else changes.
import { performance } from "node:perf_hooks";
import { api } from "@pagerduty/pdjs";
// pdjs does not re-export its types from the package root.
import type { APIParameters, APIResponse } from "@pagerduty/pdjs/build/src/api.js";
import { PAGERDUTY_ERROR_CODES as CODES, PagerDutyError } from "./errors.js";
import {
  abortedError,
  errorForStatus,
  type HeaderReader,
  type PagerDutyRequestResult,
  requestResultFor,
  toPagerDutyError,
} from "./failures.js";
import { type AgentChooser, watchedAgent } from "./response-watch.js";

/** Which PagerDuty endpoint a request went to (a label for metrics). */
export type PagerDutyEndpoint = "oncalls" | "users";

export type { PagerDutyRequestResult };

/** One finished PagerDuty request, as reported to `onRequest`. */
export interface PagerDutyRequestEvent {
  /** Endpoint label. */
  readonly endpoint: PagerDutyEndpoint;
  /** Outcome label. */
  readonly result: PagerDutyRequestResult;
  /** HTTP status, when PagerDuty answered. */
  readonly status?: number;
  /** Wall time of the request in milliseconds. */
  readonly durationMs: number;
}

/** Query parameters; arrays repeat the key (`escalation_policy_ids[]=A&escalation_policy_ids[]=B`). */
export type Query = Readonly<Record<string, string | readonly string[]>>;

/** Options of {@link createTransport}. */
export interface TransportOptions {
  /** PagerDuty REST API key (sent as `Authorization: Token token=…`, never logged). */
  readonly apiKey: string;
  /** Base URL, e.g. `https://api.pagerduty.com`. */
  readonly apiUrl: string;
  /** Per-request timeout in milliseconds. */
  readonly requestTimeoutMs: number;
  /** Called once per request that was sent. */
  readonly onRequest?: ((event: PagerDutyRequestEvent) => void) | undefined;
}

/** Sends GET requests to PagerDuty and resolves with the parsed JSON object, or rejects with a PagerDutyError. */
export interface Transport {
  /** GET `path` (already URL-encoded) with `query`; resolves with the JSON body (an object). */
  get(endpoint: PagerDutyEndpoint, path: string, query: Query, signal: AbortSignal): Promise<object>;
}

const ACCEPT = "application/vnd.pagerduty+json;version=2";

/** Builds the full URL pdjs needs: its `server` option always means https on a `.com` host. */
export function buildUrl(apiUrl: string, path: string, query: Query): string {
  const url = new URL(apiUrl.replace(/\/+$/, "") + path);
  for (const [key, value] of Object.entries(query)) {
    for (const item of typeof value === "string" ? [value] : value) url.searchParams.append(key, item);
  }
  return url.toString();
}

/** Creates the pdjs-backed transport. */
export function createTransport(options: TransportOptions): Transport {
  const report = (event: PagerDutyRequestEvent): void => {
    try {
      options.onRequest?.(event);
    } catch {
      // A metrics hook must never break a refresh.
    }
  };

  async function get(endpoint: PagerDutyEndpoint, path: string, query: Query, signal: AbortSignal) {
    const what = `GET ${path}`;
    if (signal.aborted) throw abortedError(what, signal.reason);
    const timeout = AbortSignal.timeout(Math.min(Math.ceil(options.requestTimeoutMs), 2 ** 31 - 1));
    const stop = new AbortController();
    let rateLimitHeaders: HeaderReader | undefined;
    const url = buildUrl(options.apiUrl, path, query);
    const onResponse = (res: {
      statusCode?: number;
      headers: Record<string, string | string[] | undefined>;
    }) => {
      if (res.statusCode !== 429) return;
      rateLimitHeaders = (name) => firstHeader(res.headers[name]);
      stop.abort();
    };
    const params = requestParams(
      options.apiKey,
      url,
      AbortSignal.any([signal, timeout, stop.signal]),
      watchedAgent(onResponse),
    );
    const started = performance.now();
    try {
      const response = await api(params);
      const body = interpret(what, response);
      report({ endpoint, result: "ok", status: response.status, durationMs: performance.now() - started });
      return body;
    } catch (raw) {
      const error = toPagerDutyError(raw, {
        what,
        signal,
        timeout,
        timeoutMs: options.requestTimeoutMs,
        rateLimitHeaders,
      });
      const event = {
        endpoint,
        result: requestResultFor(error.code),
        durationMs: performance.now() - started,
      };
      report(error.status === undefined ? event : { ...event, status: error.status });
      throw error;
    }
  }
  return { get };
}

function requestParams(apiKey: string, url: string, signal: AbortSignal, agent: AgentChooser): APIParameters {
  const params = {
    url,
    method: "GET",
    token: apiKey,
    tokenType: "token",
    headers: { Accept: ACCEPT, Authorization: `Token token=${apiKey}` },
    signal,
    // pdjs ignores `retryCount` (it always retries a 429 three times) and waits `retryTimeout`
    // (default 20 s) before each retry. The response watcher aborts as soon as a 429 head arrives,
    // so pdjs neither waits nor retries; retryTimeout 0 keeps it from waiting should that ever fail.
    // requestTimeout 0: otherwise pdjs arms a 30 s timer that nothing clears after a failure.
    retryTimeout: 0,
    requestTimeout: 0,
    redirect: "manual",
    // node-fetch (inside pdjs) calls this per request to choose the agent.
    agent,
  } satisfies APIParameters & { agent: unknown };
  return params;
}

function interpret(what: string, response: APIResponse): object {
  const header: HeaderReader = (name) => response.headers.get(name);
  if (!response.ok) throw errorForStatus(what, response.status, response.data, header);
  const data: unknown = response.data;
  if (typeof data === "object" && data !== null && !Array.isArray(data)) return data;
  throw new PagerDutyError(CODES.BAD_RESPONSE, `PagerDuty answered ${what} without a JSON object`, {
    status: response.status,
  });
}

function firstHeader(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value[0] : value;
}

/** What a JSON POST got back: the status, the parsed body (undefined when not JSON) and the headers. */
export interface PostAnswer {
  /** HTTP status. */
  readonly status: number;
  /** The parsed JSON body, or undefined. */
  readonly body: unknown;
  /** Reads a response header (case-insensitive). */
  readonly header: HeaderReader;
}

/**
 * POSTs `body` as JSON to a full `url` (http or https) through pdjs, without an API token, and
 * resolves with whatever status came back (a 429 at once, without pdjs' own waits and retries).
 * Rejects only when no answer came: connection refused or reset, timeout, abort.
 */
export async function postJson(
  url: string,
  body: object,
  options: { readonly timeoutMs: number; readonly signal?: AbortSignal | undefined },
): Promise<PostAnswer> {
  const stop = new AbortController();
  let limited: PostAnswer | undefined;
  const onResponse = (res: {
    statusCode?: number;
    headers: Record<string, string | string[] | undefined>;
  }) => {
    if (res.statusCode !== 429) return;
    limited = { status: 429, body: undefined, header: (name) => firstHeader(res.headers[name]) };
    stop.abort();
  };
  const timeout = AbortSignal.timeout(Math.min(Math.ceil(options.timeoutMs), 2 ** 31 - 1));
  const signals = [timeout, stop.signal, ...(options.signal ? [options.signal] : [])];
  const params = {
    url,
    method: "POST",
    data: body,
    token: "",
    // The routing key in the body authorises an event; pdjs' `Token token=` header is left empty.
    headers: { Accept: "application/json", Authorization: "" },
    signal: AbortSignal.any(signals),
    retryTimeout: 0,
    requestTimeout: 0,
    redirect: "manual",
    agent: watchedAgent(onResponse),
  } satisfies APIParameters & { agent: unknown };
  try {
    const response = await api(params);
    return { status: response.status, body: response.data, header: (name) => response.headers.get(name) };
  } catch (raw) {
    if (limited !== undefined) return limited;
    // pdjs rejects with the response itself when its body is not JSON (an HTML 502, say).
    const response = raw as Partial<APIResponse> | undefined;
    if (typeof response?.status === "number" && typeof response.headers?.get === "function") {
      const headers = response.headers;
      return { status: response.status, body: undefined, header: (name) => headers.get(name) };
    }
    throw raw;
  }
}
