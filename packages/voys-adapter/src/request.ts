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

const VARIABLE_FIELDS = Object.keys(VOYS_VARIABLES) as (keyof typeof VOYS_VARIABLES)[];

/** The parameter holding the shared secret. */
export const SECRET_KEY_PARAMETER = "secret_key";

// Every occurrence of a parameter in one source; `undefined` marks an occurrence that is not a
// string or number (a JSON object, say).
function occurrencesIn(name: string, source: VoysBody | undefined): (string | undefined)[] {
  if (source instanceof URLSearchParams) return source.getAll(name);
  if (source === null || typeof source !== "object") return [];
  if (!Object.hasOwn(source, name)) return [];
  const value = source[name];
  return (Array.isArray(value) ? value : [value]).map((item) =>
    typeof item === "string" ? item : typeof item === "number" ? String(item) : undefined,
  );
}

function occurrences(name: string, query: VoysBody, body: VoysBody | undefined): (string | undefined)[] {
  const found = occurrencesIn(name, query);
  return found.concat(occurrencesIn(name, body));
}

function firstValue(name: string, query: VoysBody, body: VoysBody | undefined): string | undefined {
  for (const value of occurrences(name, query, body)) {
    const trimmed = value?.trim();
    if (trimmed) return trimmed;
  }
  return undefined;
}

/**
 * Reads the Voys variables from a query string (as `URLSearchParams`, or already parsed into an object
 * whose repeated keys hold arrays, as Fastify's `request.query`) and an optional parsed body (form
 * fields or JSON).
 * Empty values count as absent; the first non-empty occurrence wins, the query string first.
 * `secret_key` is reported as given (not trimmed) and flagged when it occurs more than once.
 */
export function parseVoysRequest(query: VoysBody, body?: VoysBody): VoysRequest {
  const secrets = occurrences(SECRET_KEY_PARAMETER, query, body);
  const request: {
    secretKey: string | undefined;
    secretKeyRepeated: boolean;
    callerId?: string;
    did?: string;
    code?: string;
    callerName?: string;
  } = { secretKey: secrets[0], secretKeyRepeated: secrets.length > 1 };
  for (const field of VARIABLE_FIELDS) {
    const value = firstValue(VOYS_VARIABLES[field], query, body);
    if (value !== undefined) request[field] = value;
  }
  return request;
}
