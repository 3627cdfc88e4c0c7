/**
 * The building blocks of every setting's validation, shared by `buildServer` and the webhook app's
 * configuration (environment, seed files, config.yaml). zod 4 was chosen over TypeBox + ajv because
 * one declaration gives the TypeScript type, the check and its message, composes with transforms
 * (the app turns `"5839"` into 5839 through the same block) and exports JSON Schema
 * (`z.toJSONSchema`) for config.yaml. Every message reads after `path: `.
 */
import { STRATEGY_NAMES } from "@pagerduty-voys/core";
import { isE164, normalizeVoysNumber } from "@pagerduty-voys/voys-adapter";
import { z } from "zod";
import { parseCidr } from "./ip-allowlist.js";
import { LOG_LEVELS } from "./logging.js";

/** `a, b or c`. */
export function formatChoices(choices: readonly string[]): string {
  if (choices.length <= 1) return choices.join("");
  return `${choices.slice(0, -1).join(", ")} or ${choices[choices.length - 1]}`;
}

/** A zod error option: `required (…)` when the value is missing, `expected …` otherwise. */
export function expecting(
  expected: string,
  required = expected,
): { error: (issue: { input?: unknown }) => string } {
  return {
    error: (issue) => (issue.input === undefined ? `required (${required})` : `expected ${expected}`),
  };
}

/** A string matching `pattern`; every failure reads `expected <expected>`. */
export function patterned(pattern: RegExp, expected: string): z.ZodString {
  return z.string(expecting(expected)).regex(pattern, { error: `expected ${expected}` });
}

/** An integer in `[min, max]`; every failure reads `expected an integer from min to max`. */
export function integer(min: number, max: number): z.ZodNumber {
  const message = `expected an integer from ${min} to ${max}`;
  return z
    .number(expecting(message.slice("expected ".length)))
    .int({ error: message })
    .min(min, { error: message })
    .max(max, { error: message });
}

/** One of a fixed list of strings. */
export function choice<T extends string>(values: readonly [T, ...T[]]): z.ZodEnum<{ [K in T]: K }> {
  return z.enum(values, expecting(`one of ${formatChoices(values)}`));
}

// Letters, digits, `-`, `_`, `.`; one URL path segment.
const ROUTE_NAME = /^[A-Za-z0-9][A-Za-z0-9._-]{0,62}$/;
/** A token without whitespace or control characters (API keys, secrets, key prefixes). */
const TOKEN = /^[\x21-\x7e]{1,1024}$/;
/** Characters a URL carries unencoded (RFC 3986 "unreserved"). */
export const URL_SAFE = /^[A-Za-z0-9._~-]*$/;
/** The named proxy ranges TRUST_PROXY accepts. */
export const PROXY_RANGE_NAMES = ["loopback", "linklocal", "uniquelocal"] as const;

const ipMessage = (entry: string): string =>
  /^::ffff:\d/i.test(entry)
    ? `"${entry}" is not an IP address or CIDR: an IPv4-mapped entry needs a prefix of 96 to 128; write the IPv4 form instead (${entry.slice(7)})`
    : `"${entry.slice(0, 60)}" is not an IP address or CIDR (IPv4 prefix 0 to 32, IPv6 0 to 128)`;

/** One IPv4/IPv6 address or CIDR, as the server's allowlist parses it ({@link parseCidr}). */
const ipOrCidr = z.string(expecting("an IP address or CIDR")).superRefine((entry, ctx) => {
  if (parseCidr(entry) === undefined) ctx.addIssue({ code: "custom", message: ipMessage(entry) });
});

/** A proxy address, CIDR (prefix ≥ 1) or range name. */
const trustProxyEntry = z
  .string(expecting("a proxy address, CIDR, loopback, linklocal or uniquelocal"))
  .superRefine((entry, ctx) => {
    if ((PROXY_RANGE_NAMES as readonly string[]).includes(entry)) return;
    const parsed = parseCidr(entry);
    if (parsed === undefined)
      ctx.addIssue({ code: "custom", message: `${ipMessage(entry)}; or loopback, linklocal, uniquelocal` });
    else if (parsed.prefix === 0)
      ctx.addIssue({
        code: "custom",
        message: `"${entry}" would trust every address: anyone could forge X-Forwarded-For; list the proxies`,
      });
  });

/** Why a hop count is refused (said wherever TRUST_PROXY is a number). */
export const HOP_COUNT_REFUSED =
  "a hop count is refused: anyone who reaches the port could forge X-Forwarded-For; list the proxies' addresses or CIDRs instead (e.g. 10.0.0.5, 10.0.0.0/8, loopback)";

/** Every shared block; the app composes its parsing of text settings on top of these. */
export const optionFields = {
  routeName: patterned(ROUTE_NAME, "a URL-safe name (letters, digits, - _ .; at most 63 characters)"),
  policyId: patterned(/^[A-Za-z0-9]{1,64}$/, "a PagerDuty escalation policy id such as PABC123"),
  level: integer(1, 100),
  e164: z
    .string(expecting('an E.164 number such as "+31201234567"'))
    .refine(isE164, { error: 'expected an E.164 number such as "+31201234567" (no spaces)' }),
  did: z
    .string(expecting('an international number such as "+31208888888"'))
    .refine((did) => normalizeVoysNumber(did) !== undefined, {
      error: 'expected an international number such as "+31208888888"',
    }),
  code: z
    .string({
      error: (issue) =>
        typeof issue.input === "number"
          ? `expected a quoted string such as "${issue.input}": an unquoted number loses its leading zeros; write codes in quotes`
          : 'expected a quoted string of digits, * and # such as "1" (1 to 20 characters)',
    })
    .regex(/^[0-9*#]{1,20}$/, {
      error: 'expected a quoted string of digits, * and # such as "1" (1 to 20 characters)',
    }),
  stickyMinutes: integer(1, 10_080),
  huntSeconds: integer(1, 86_400),
  incidents: choice(["off", "missed", "all"]),
  routingKey: patterned(
    /^[A-Za-z0-9]{32}$/,
    "a 32-character Events API v2 integration key (letters and digits)",
  ),
  strategyName: choice(STRATEGY_NAMES as unknown as readonly [string, ...string[]]),
  strategyModule: z.strictObject({
    module: patterned(/^\/.*\.(mjs|js)$/, "an absolute path of an ES module ending in .mjs or .js"),
    setting: z.string(expecting("the setting that named the module")).min(1),
  }),
  strategyOptions: z.record(
    z.string(),
    z.unknown(),
    expecting("a mapping of options for the strategy module"),
  ),
  secret: patterned(TOKEN, "a secret of printable characters without spaces"),
  httpUrl: z
    .string(expecting("an http:// or https:// URL"))
    .refine(isHttpBaseUrl, { error: "expected an http:// or https:// URL without query string or fragment" }),
  redisUrl: z
    .string(expecting("a redis:// or rediss:// URL"))
    .refine((text) => /^rediss?:$/.test(urlOf(text)?.protocol ?? "") && urlOf(text)?.hostname !== "", {
      error: "expected a redis:// or rediss:// URL such as redis://127.0.0.1:6379/0",
    }),
  redisPassword: z.string(expecting("a password")).min(1).max(1024),
  redisDb: integer(0, 1000),
  host: z.string(expecting("a host name or IP address")).refine(isHost, {
    error: "expected an IP address (`::` for IPv6 and IPv4, `0.0.0.0` for IPv4 only) or a host name",
  }),
  port: integer(0, 65_535),
  keyPrefix: patterned(/^[\x21-\x7e]{1,64}$/, "1 to 64 printable characters without spaces"),
  ipOrCidr,
  trustProxyEntry,
  logLevel: choice(LOG_LEVELS as unknown as readonly [string, ...string[]]),
  coldStartWaitMs: integer(0, 60_000),
} as const;

function urlOf(text: string): URL | undefined {
  try {
    return new URL(text);
  } catch {
    return undefined;
  }
}

function isHttpBaseUrl(text: string): boolean {
  const url = urlOf(text);
  return (
    url !== undefined &&
    (url.protocol === "http:" || url.protocol === "https:") &&
    url.hostname !== "" &&
    url.search === "" &&
    url.hash === "" &&
    !/\s/.test(text)
  );
}

function isHost(text: string): boolean {
  if (parseCidr(text) !== undefined && !text.includes("/")) return true;
  return /^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,62})(\.[A-Za-z0-9]([A-Za-z0-9-]{0,62}))*$/.test(text);
}
