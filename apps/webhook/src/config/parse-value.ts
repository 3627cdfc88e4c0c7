import { isIP } from "node:net";

/** The outcome of parsing one textual setting: a value, or why it was refused (never echoing secrets). */
export type Parsed<T> =
  | { readonly ok: true; readonly value: T }
  | { readonly ok: false; readonly reason: string };

const ok = <T>(value: T): Parsed<T> => ({ ok: true, value });
const fail = <T>(reason: string): Parsed<T> => ({ ok: false, reason });

/** The strategy names the server knows. */
export const STRATEGY_NAMES = ["random", "round-robin"] as const;
/** A routing strategy name. */
export type StrategyName = (typeof STRATEGY_NAMES)[number];

/** pino's level names plus `silent`. */
export const LOG_LEVELS = ["fatal", "error", "warn", "info", "debug", "trace", "silent"] as const;
/** A log level name. */
export type LogLevel = (typeof LOG_LEVELS)[number];

/** Parses a base-10 integer within `[min, max]` (no signs, decimals, exponents or spaces inside). */
export function parseInteger(text: string, min: number, max: number): Parsed<number> {
  if (!/^\d{1,15}$/.test(text)) return fail(`expected an integer from ${min} to ${max}`);
  const value = Number(text);
  if (value < min || value > max) return fail(`expected an integer from ${min} to ${max}`);
  return ok(value);
}

/** Parses one of a fixed set of names, case-sensitively. */
export function parseChoice<T extends string>(text: string, choices: readonly T[]): Parsed<T> {
  if ((choices as readonly string[]).includes(text)) return ok(text as T);
  return fail(`expected one of ${formatChoices(choices)}`);
}

/** `a, b or c`. */
function formatChoices(choices: readonly string[]): string {
  if (choices.length <= 1) return choices.join("");
  return `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`;
}

/** Parses an absolute http:// or https:// URL; returns it without a trailing slash. */
export function parseHttpUrl(text: string): Parsed<string> {
  const url = safeUrl(text);
  if (url === undefined || (url.protocol !== "http:" && url.protocol !== "https:") || url.hostname === "") {
    return fail("expected an http:// or https:// URL");
  }
  if (url.search !== "" || url.hash !== "") return fail("expected a URL without query string or fragment");
  return ok(text.replace(/\/+$/, ""));
}

/** Parses a redis:// or rediss:// URL (password and database in the URL are allowed). */
export function parseRedisUrl(text: string): Parsed<string> {
  const url = safeUrl(text);
  if (url === undefined || (url.protocol !== "redis:" && url.protocol !== "rediss:") || url.hostname === "") {
    return fail("expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0");
  }
  return ok(text);
}

function safeUrl(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

/** True for an E.164 number: `+`, a non-zero digit, 7 to 15 digits in all (as the Voys adapter checks). */
export function isE164(text: string): boolean {
  return /^\+[1-9]\d{6,14}$/.test(text);
}

/** Parses an E.164 phone number such as +31201234567. */
export function parseE164(text: string): Parsed<string> {
  return isE164(text) ? ok(text) : fail("expected an E.164 number such as +31201234567 (no spaces)");
}

/** True for a PagerDuty object id (letters and digits, e.g. PABC123). */
export function isPagerDutyId(text: string): boolean {
  return /^[A-Za-z0-9]{1,64}$/.test(text);
}

/** True for a route name usable as one URL path segment: letters, digits, `-`, `_`, `.`. */
export function isRouteName(text: string): boolean {
  return /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/.test(text);
}

/** True for a token without whitespace or control characters (API keys, secrets, key prefixes). */
export function isToken(text: string): boolean {
  return text.length > 0 && text.length <= 1024 && /^[\x21-\x7e]+$/.test(text);
}

/** Parses one IPv4/IPv6 address or CIDR (`10.0.0.0/8`, `2001:db8::/32`). */
function parseIpOrCidr(text: string): Parsed<string> {
  const slash = text.indexOf("/");
  const address = slash === -1 ? text : text.slice(0, slash);
  const family = isIP(address);
  if (family === 0) return fail(`"${text}" is not an IP address or CIDR`);
  if (slash === -1) return ok(text);
  const maxBits = family === 4 ? 32 : 128;
  const bits = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(bits) || Number(bits) > maxBits) {
    return fail(`"${text}" has an invalid prefix length (IPv${family}: 0 to ${maxBits})`);
  }
  return ok(text);
}

/** Parses a comma-separated list of addresses and CIDRs; reports every bad entry. */
export function parseIpList(text: string): Parsed<string[]> {
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  if (entries.length === 0) return fail("expected at least one IP address or CIDR");
  const reasons: string[] = [];
  const values: string[] = [];
  for (const entry of entries) {
    const parsed = parseIpOrCidr(entry);
    if (parsed.ok) values.push(parsed.value);
    else reasons.push(parsed.reason);
  }
  return reasons.length > 0 ? fail(reasons.join("; ")) : ok(values);
}

/** Names proxy-addr understands in a trust list. */
const PROXY_RANGE_NAMES = ["loopback", "linklocal", "uniquelocal"] as const;

/** Parses TRUST_PROXY: a hop count, or a list of proxy addresses, CIDRs and range names (`loopback`). */
export function parseTrustProxy(text: string): Parsed<number | string[]> {
  const expected =
    "expected a hop count from 1 to 32, or a list of proxy IPs/CIDRs (or loopback, linklocal, uniquelocal)";
  if (/^\d+$/.test(text)) {
    const hops = parseInteger(text, 1, 32);
    return hops.ok ? hops : fail(expected);
  }
  const entries = text
    .split(",")
    .map((entry) => entry.trim())
    .filter((entry) => entry !== "");
  const names = entries.filter((entry) => (PROXY_RANGE_NAMES as readonly string[]).includes(entry));
  const addresses = entries.filter((entry) => !names.includes(entry));
  if (addresses.length === 0) return names.length > 0 ? ok(names) : fail(expected);
  const list = parseIpList(addresses.join(","));
  return list.ok ? ok(entries) : fail(`${list.reason}; ${expected}`);
}

/** Parses a listen address: an IP address or a DNS host name. */
export function parseHost(text: string): Parsed<string> {
  if (isIP(text) !== 0) return ok(text);
  if (/^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(text)) {
    return ok(text);
  }
  return fail("expected an IP address (`::` for IPv6 and IPv4, `0.0.0.0` for IPv4 only) or a host name");
}
