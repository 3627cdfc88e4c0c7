/** The variables Voys fills into a webhook URL template, plus the shared secret. */
export interface VoysRequest {
  /** The `secret_key` parameter, or undefined when absent (or not a string). */
  readonly secretKey: string | undefined;
  /** True when `secret_key` occurs more than once across the query string and the body. */
  readonly secretKeyRepeated: boolean;
  /** `{callerid}`: the caller's number as Voys sent it. */
  readonly callerId?: string;
  /** `{did}`: the number that was called. */
  readonly did?: string;
  /** `{code}`: digits the caller entered in an IVR. */
  readonly code?: string;
  /** `{callername}`: the caller's name, where known. */
  readonly callerName?: string;
}

/** A request body already parsed: form fields or a JSON object. */
export type VoysBody = URLSearchParams | Readonly<Record<string, unknown>>;

/** Parameter names of the Voys template variables, by the field they fill. */
export const VOYS_VARIABLES = {
  callerId: "callerid",
  did: "did",
  code: "code",
  callerName: "callername",
} as const;

/** The parameter holding the shared secret. */
export const SECRET_KEY_PARAMETER = "secret_key";

// A parameter's occurrence as text: strings and numbers; anything else (a JSON object, say) is no text.
function textOf(value: unknown): string | undefined {
  if (typeof value === "string") return value;
  return typeof value === "number" ? String(value) : undefined;
}

// What one source holds under `name`: undefined (or an empty array) when absent, an array when
// repeated. Only own properties count: `name` is never read from a parsed object's prototype.
function rawIn(name: string, source: VoysBody | undefined): unknown {
  if (source instanceof URLSearchParams) return source.getAll(name);
  if (source === null || typeof source !== "object") return undefined;
  return Object.hasOwn(source, name) ? source[name] : undefined;
}

function countOf(raw: unknown): number {
  if (raw === undefined) return 0;
  return Array.isArray(raw) ? raw.length : 1;
}

// The first occurrence, as given (see textOf).
function firstOf(raw: unknown): string | undefined {
  return textOf(Array.isArray(raw) ? raw[0] : raw);
}

// The first occurrence that is not empty once trimmed, trimmed.
function firstFilledOf(raw: unknown): string | undefined {
  if (!Array.isArray(raw)) return textOf(raw)?.trim() || undefined;
  for (const value of raw) {
    const trimmed = textOf(value)?.trim();
    if (trimmed) return trimmed;
  }
  return undefined;
}

// The value of a Voys variable: its first non-empty occurrence, the query string before the body.
function variable(name: string, query: VoysBody, body: VoysBody | undefined): string | undefined {
  return firstFilledOf(rawIn(name, query)) ?? firstFilledOf(rawIn(name, body));
}

/**
 * Reads the Voys variables from a query string (as `URLSearchParams`, or already parsed into an object
 * whose repeated keys hold arrays, as Fastify's `request.query`) and an optional parsed body (form
 * fields or JSON).
 * Empty values count as absent; the first non-empty occurrence wins, the query string first.
 * `secret_key` is reported as given (not trimmed) and flagged when it occurs more than once.
 */
export function parseVoysRequest(query: VoysBody, body?: VoysBody): VoysRequest {
  // Each variable by name, not in a loop over VOYS_VARIABLES, and without collecting occurrences
  // into arrays: this runs on every call, and V8 optimised the generic version only some of the time.
  const secretInQuery = rawIn(SECRET_KEY_PARAMETER, query);
  const secretInBody = rawIn(SECRET_KEY_PARAMETER, body);
  const request: {
    secretKey: string | undefined;
    secretKeyRepeated: boolean;
    callerId?: string;
    did?: string;
    code?: string;
    callerName?: string;
  } = {
    secretKey: firstOf(countOf(secretInQuery) > 0 ? secretInQuery : secretInBody),
    secretKeyRepeated: countOf(secretInQuery) + countOf(secretInBody) > 1,
  };
  const callerId = variable(VOYS_VARIABLES.callerId, query, body);
  if (callerId !== undefined) request.callerId = callerId;
  const did = variable(VOYS_VARIABLES.did, query, body);
  if (did !== undefined) request.did = did;
  const code = variable(VOYS_VARIABLES.code, query, body);
  if (code !== undefined) request.code = code;
  const callerName = variable(VOYS_VARIABLES.callerName, query, body);
  if (callerName !== undefined) request.callerName = callerName;
  return request;
}
