import { errorBody } from "./fake-render.js";
import type { StoredScenario } from "./fake-scenario.js";

/** What the fake sends back. */
export interface Answer {
  /** HTTP status. */
  readonly status: number;
  /** Response headers. */
  readonly headers: Readonly<Record<string, string>>;
  /** Response body. */
  readonly body: string;
}

/** What a route needs to answer. */
export interface RouteContext {
  /** The fake's base URL, for `self` links. */
  readonly base: string;
  /** Current scenario. */
  readonly scenario: StoredScenario;
  /** The fake's clock at arrival. */
  readonly now: Date;
}

/** Content type of JSON answers. */
const JSON_TYPE = "application/json; charset=utf-8";

/** A JSON answer. */
export function json(status: number, value: unknown): Answer {
  return { status, headers: { "content-type": JSON_TYPE }, body: JSON.stringify(value) };
}

/** A PagerDuty JSON error answer. */
export function pdError(status: number, message: string, code: number, errors?: string[]): Answer {
  return { status, headers: { "content-type": JSON_TYPE }, body: errorBody(message, code, errors) };
}

/** 400 "Invalid Input Provided" (code 2001) with details. */
export function invalidInput(...errors: string[]): Answer {
  return pdError(400, "Invalid Input Provided", 2001, errors);
}

/** 404 "Not Found" (code 2100). */
export function notFound(): Answer {
  return pdError(404, "Not Found", 2100);
}
