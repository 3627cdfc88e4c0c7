import { statSync } from "node:fs";
import { optionFields as f, HOP_COUNT_REFUSED, integer, patterned } from "@pagerduty-voys/server/schema";
import { z } from "zod";
import { strategyText } from "./file-schema.js";

/** Text → integer through the server's integer block (same range, same message). */
function intText(block: z.ZodNumber) {
  return z
    .string()
    .regex(/^\d{1,15}$/, { error: `expected ${describeInt(block)}` })
    .transform(Number)
    .pipe(block);
}

function describeInt(block: z.ZodNumber): string {
  return `an integer from ${block.minValue ?? 0} to ${block.maxValue ?? Number.MAX_SAFE_INTEGER}`;
}

/** A comma-separated list, entries trimmed, empty entries dropped. */
function commaList<T extends z.ZodType<unknown, string>>(item: T, expected: string) {
  return z
    .string()
    .transform((text) =>
      text
        .split(",")
        .map((entry) => entry.trim())
        .filter((entry) => entry !== ""),
    )
    .pipe(z.array(item).min(1, { error: `expected ${expected}` }));
}

const sentinel = z
  .string()
  .regex(/^(\[[0-9A-Fa-f:.]+\]|[^\s:[\]]+):\d{1,5}$/, {
    error: "expected host:port entries such as 10.0.0.5:26379",
  })
  .transform((entry) => {
    const at = entry.lastIndexOf(":");
    return { host: entry.slice(0, at).replace(/^\[|\]$/g, ""), port: Number(entry.slice(at + 1)) };
  })
  .pipe(z.object({ host: f.host, port: f.port.min(1, { error: "expected a port from 1 to 65535" }) }));

const directory = z.string().refine(
  (path) => {
    try {
      return statSync(path).isDirectory();
    } catch {
      return false;
    }
  },
  { error: "expected an existing directory" },
);

const secrets = z
  .string()
  .transform((text) => text.split(/\s+/).filter((entry) => entry !== ""))
  .pipe(z.array(f.secret).min(1, { error: "expected at least one secret" }));

const trustProxy = z
  .string()
  .refine((text) => !/^\s*\d+\s*$/.test(text), { error: HOP_COUNT_REFUSED, abort: true })
  .pipe(commaList(f.trustProxyEntry, "a list of proxy IPs/CIDRs, loopback, linklocal or uniquelocal"));

const httpUrl = f.httpUrl.transform((url) => url.replace(/\/+$/, ""));

/**
 * Every environment setting (and seed file) as text → value, built from the server's blocks so that
 * what passes here passes `buildServer`. Keys are variable names; empty values were dropped before.
 */
export const envSchema = z.object({
  PAGERDUTY_API_KEY: patterned(
    /^[\x21-\x7e]{1,1024}$/,
    "a PagerDuty REST API key (read-only is enough), without spaces",
  ).optional(),
  WEBHOOK_SECRET_KEY: secrets.optional(),
  PAGERDUTY_ESCALATION_POLICY_ID: f.policyId.optional(),
  PAGERDUTY_ESCALATION_LEVEL: intText(f.level).optional(),
  PAGERDUTY_API_URL: httpUrl.optional(),
  PAGERDUTY_REFRESH_SECONDS: intText(integer(1, 86_400)).optional(),
  PAGERDUTY_LOOKAHEAD_HOURS: intText(integer(1, 2_160)).optional(),
  PAGERDUTY_TIMEOUT_MS: intText(integer(10, 120_000)).optional(),
  PAGERDUTY_USER_CACHE_SECONDS: intText(integer(0, 86_400)).optional(),
  ROSTER_STALE_SECONDS: intText(integer(1, 86_400)).optional(),
  COLD_START_WAIT_MS: intText(f.coldStartWaitMs).optional(),
  HOST: f.host.optional(),
  PORT: intText(f.port).optional(),
  ROUTING_STRATEGY: strategyText.optional(),
  STICKY_MINUTES: intText(f.stickyMinutes).optional(),
  HUNT_SECONDS: intText(f.huntSeconds).optional(),
  PAGERDUTY_INCIDENTS: f.incidents.optional(),
  PAGERDUTY_ROUTING_KEY: f.routingKey.optional(),
  PAGERDUTY_EVENTS_URL: httpUrl.optional(),
  STATE_DIRECTORY: directory.optional(),
  FALLBACK_NUMBER: f.e164.optional(),
  REDIS_URL: f.redisUrl.optional(),
  REDIS_SENTINELS: commaList(sentinel, "a list of host:port").optional(),
  REDIS_SENTINEL_NAME: f.keyPrefix.optional(),
  REDIS_PASSWORD: f.redisPassword.optional(),
  REDIS_DB: intText(f.redisDb).optional(),
  REDIS_KEY_PREFIX: f.keyPrefix.optional(),
  ALLOWED_IPS: commaList(f.ipOrCidr, "at least one IP address or CIDR").optional(),
  TRUST_PROXY: trustProxy.optional(),
  LOG_LEVEL: f.logLevel.optional(),
});

/** The parsed environment settings. */
export type EnvSettings = z.output<typeof envSchema>;
