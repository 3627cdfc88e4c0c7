import type { IncomingMessage, ServerResponse } from "node:http";
import { type Answer, pdError } from "./fake-answer.js";
import { ENQUEUE_PATH, type FakeEventsState, handleEnqueue } from "./fake-events.js";
import { type ActiveFault, faultAnswer, faultApplies } from "./fake-faults.js";
import { route } from "./fake-routes.js";
import type { StoredScenario } from "./fake-scenario.js";
import type { FakeRequest } from "./fake-types.js";

const RATE_LIMIT_PER_MINUTE = 960;

/** A request log entry whose status the fake fills in when it answers. */
type RecordedRequest = { -readonly [K in keyof FakeRequest]: FakeRequest[K] };

/** The fake's mutable state, shared by the server and the handler. */
export interface FakeState {
  /** Accepted API key. */
  readonly token: string;
  /** The fake's clock. */
  readonly now: () => Date;
  /** Base URL for `self` links. */
  base: string;
  /** Current scenario. */
  scenario: StoredScenario;
  /** Current fault. */
  fault: ActiveFault | null;
  /** Delay before each answer. */
  latencyMs: number;
  /** Request log. */
  requests: RecordedRequest[];
  /** Requests being handled now. */
  inFlight: number;
  /** Most requests handled at once since the log was cleared. */
  maxInFlight: number;
  /** Pending latency timers (cleared on close). */
  readonly timers: Set<NodeJS.Timeout>;
  /** Requests counted in the current one-minute rate-limit window. */
  window: { start: number; count: number };
  /** The Events API v2: accepted events, its own fault, waiters. */
  readonly events: FakeEventsState;
}

/** Creates the request listener: log, fault, latency, auth, route, rate-limit headers. */
export function createHandler(state: FakeState): (req: IncomingMessage, res: ServerResponse) => void {
  return (req, res) => {
    const parsed = new URL(req.url ?? "/", "http://fake.invalid");
    const record: RecordedRequest = {
      method: req.method ?? "GET",
      path: parsed.pathname,
      query: parsed.searchParams,
      status: null,
      at: state.now(),
    };
    state.requests.push(record);
    track(state, res);
    if (record.path === ENQUEUE_PATH) {
      // The Events API is another host at PagerDuty: the REST faults do not apply to it.
      return handleEnqueue(state.events, req, res, record.at, (answer) =>
        later(state, () => send(res, record, answer)),
      );
    }
    req.resume();
    const fault = faultApplies(state.fault, record.path) ? state.fault : null;
    if (fault?.fault === "hang") return; // Never answered: the client gives up, or close() ends it.
    const answer = fault ? faultAnswer(fault) : answerNormally(state, req, record);
    later(state, () => send(res, record, answer));
  };
}

function answerNormally(state: FakeState, req: IncomingMessage, record: RecordedRequest): Answer {
  const answer =
    req.headers.authorization === `Token token=${state.token}`
      ? route(record.method, record.path, record.query, {
          base: state.base,
          scenario: state.scenario,
          now: record.at,
        })
      : pdError(401, "Unauthorized", 2006);
  return { ...answer, headers: { ...answer.headers, ...rateLimitHeaders(state, record.at) } };
}

// PagerDuty counts requests per key per minute; the fake uses fixed one-minute windows.
function rateLimitHeaders(state: FakeState, at: Date): Record<string, string> {
  const start = Math.floor(at.getTime() / 60_000) * 60_000;
  if (state.window.start !== start) state.window = { start, count: 0 };
  state.window.count += 1;
  return {
    "ratelimit-limit": String(RATE_LIMIT_PER_MINUTE),
    "ratelimit-remaining": String(Math.max(0, RATE_LIMIT_PER_MINUTE - state.window.count)),
    "ratelimit-reset": String(Math.ceil((start + 60_000 - at.getTime()) / 1000)),
  };
}

function track(state: FakeState, res: ServerResponse): void {
  state.inFlight += 1;
  state.maxInFlight = Math.max(state.maxInFlight, state.inFlight);
  res.once("close", () => {
    state.inFlight -= 1;
  });
}

function later(state: FakeState, fn: () => void): void {
  if (state.latencyMs <= 0) {
    fn();
    return;
  }
  const timer = setTimeout(() => {
    state.timers.delete(timer);
    fn();
  }, state.latencyMs);
  state.timers.add(timer);
}

function send(res: ServerResponse, record: RecordedRequest, answer: Answer): void {
  if (res.destroyed || res.writableEnded) return;
  record.status = answer.status;
  res.writeHead(answer.status, answer.headers);
  res.end(answer.body);
}
