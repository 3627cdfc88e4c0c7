import { randomUUID } from "node:crypto";
import type { IncomingMessage, ServerResponse } from "node:http";
import { type Answer, json } from "./fake-answer.js";
import type { FakeEvent, FakeEventsFault } from "./fake-types.js";

/** Path of the Events API v2 on the fake (the same as PagerDuty's `events.pagerduty.com`). */
export const ENQUEUE_PATH = "/v2/enqueue";

const ACTIONS = ["trigger", "acknowledge", "resolve"];
const SEVERITIES = ["critical", "warning", "error", "info"];
const MAX_BODY_BYTES = 512 * 1024;

/** The Events API part of the fake's state. */
export interface FakeEventsState {
  /** Events accepted (202), oldest first. */
  events: FakeEvent[];
  /** The fault of the Events API, if any. */
  fault: { readonly fault: FakeEventsFault; readonly retryAfterSeconds: number } | null;
  /** Called after each accepted event. */
  readonly listeners: Set<() => void>;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

function blank(value: unknown): boolean {
  return typeof value !== "string" || value.trim() === "";
}

/** PagerDuty's checks of an event: every problem, in PagerDuty's wording. */
export function eventProblems(event: Record<string, unknown>): string[] {
  const problems: string[] = [];
  const key = event.routing_key;
  if (blank(key)) problems.push("'routing_key' is missing or blank");
  else if ((key as string).length !== 32)
    problems.push("Length of 'routing_key' is incorrect (should be 32 characters)");
  const action = event.event_action;
  if (blank(action)) problems.push("'event_action' is missing or blank");
  else if (!ACTIONS.includes(action as string))
    problems.push(
      "'event_action' is invalid (must be one of the following: 'trigger', 'acknowledge' or 'resolve')",
    );
  if (event.dedup_key !== undefined && typeof event.dedup_key !== "string")
    problems.push("'dedup_key' is invalid (must be a string)");
  if (action !== "trigger") {
    if (ACTIONS.includes(action as string) && blank(event.dedup_key))
      problems.push("'dedup_key' is missing or blank");
    return problems;
  }
  const payload = event.payload;
  if (!isObject(payload)) return [...problems, "'payload' is missing or blank"];
  if (blank(payload.summary)) problems.push("'payload.summary' is missing or blank");
  else if ((payload.summary as string).length > 1024)
    problems.push("'payload.summary' is too long (must be at most 1024 characters)");
  if (blank(payload.source)) problems.push("'payload.source' is missing or blank");
  if (blank(payload.severity)) problems.push("'payload.severity' is missing or blank");
  else if (!SEVERITIES.includes(payload.severity as string))
    problems.push(
      "'payload.severity' is invalid (must be one of the following: 'critical', 'warning', 'error' or 'info')",
    );
  if (
    payload.custom_details !== undefined &&
    !isObject(payload.custom_details) &&
    typeof payload.custom_details !== "string"
  )
    problems.push("'payload.custom_details' is invalid (must be an object)");
  return problems;
}

/** Answers one parsed body: 202 with the dedup key, or 400 with PagerDuty's error shape. */
function answerEvent(state: FakeEventsState, text: string, at: Date): Answer {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    return json(400, {
      status: "Unrecognized object",
      message: "Event object format is unrecognized",
      errors: ["JSON parse error"],
    });
  }
  if (!isObject(parsed)) {
    return json(400, {
      status: "Unrecognized object",
      message: "Event object format is unrecognized",
      errors: ["Event object must be a JSON object"],
    });
  }
  const errors = eventProblems(parsed);
  if (errors.length > 0)
    return json(400, { status: "invalid event", message: "Event object is invalid", errors });
  const dedupKey = typeof parsed.dedup_key === "string" ? parsed.dedup_key : randomUUID().replaceAll("-", "");
  state.events.push({ event: parsed, dedupKey, at });
  for (const listener of state.listeners) listener();
  return json(202, { status: "success", message: "Event processed", dedup_key: dedupKey });
}

// The answer of a fault that still reads the request, or undefined to answer normally.
function faultAnswer(fault: FakeEventsState["fault"]): Answer | undefined {
  switch (fault?.fault) {
    case "rate-limit": {
      const answer = json(429, {
        status: "throttle event",
        message: "Requests for this service are arriving too quickly. Please retry later.",
      });
      return { ...answer, headers: { ...answer.headers, "retry-after": String(fault.retryAfterSeconds) } };
    }
    case "error-500":
      return json(500, { status: "error", message: "Internal Server Error" });
    case "invalid":
      return json(400, {
        status: "invalid event",
        message: "Event object is invalid",
        errors: ["'routing_key' is invalid"],
      });
    default:
      return undefined;
  }
}

/** Handles `POST /v2/enqueue` (after logging): the Events API fault, else reads and answers the body. */
export function handleEnqueue(
  state: FakeEventsState,
  req: IncomingMessage,
  res: ServerResponse,
  at: Date,
  send: (answer: Answer) => void,
): void {
  const fault = state.fault;
  if (fault?.fault === "down") {
    req.socket.destroy();
    return;
  }
  if (fault?.fault === "hang") {
    req.resume();
    return;
  }
  if (req.method !== "POST") {
    req.resume();
    send(json(405, { status: "Method Not Allowed", message: "Use POST" }));
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on("data", (chunk: Buffer) => {
    size += chunk.length;
    if (size <= MAX_BODY_BYTES) chunks.push(chunk);
  });
  req.on("end", () => {
    if (size > MAX_BODY_BYTES) send(json(413, { status: "error", message: "Request Entity Too Large" }));
    else send(faultAnswer(fault) ?? answerEvent(state, Buffer.concat(chunks).toString("utf8"), at));
  });
  res.once("close", () => req.resume());
}
