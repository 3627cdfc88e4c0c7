import { z } from "zod";
import { expecting, optionFields as f, HOP_COUNT_REFUSED, integer } from "./option-fields.js";
import { routeSetIssues } from "./option-issues.js";

const strategyObject = z.custom<{ pick: unknown }>(
  (value) =>
    value !== null && typeof value === "object" && typeof (value as { pick?: unknown }).pick === "function",
);
const routeStrategy = z.union([f.strategyName, f.strategyModule, strategyObject], {
  error: `expected ${f.strategyName.options.join(", ")}, a module { module, setting } or a strategy object with pick()`,
});
const always = (): boolean => true;
const noRoutingKey = "required when incidents is missed or all: set routingKey (PAGERDUTY_ROUTING_KEY)";

/** One `RouteConfig` of `buildServer`. */
export const routeConfigSchema = z
  .object(
    {
      name: f.routeName,
      policyId: f.policyId,
      level: f.level.optional(),
      strategy: routeStrategy.optional(),
      strategyOptions: f.strategyOptions.optional(),
      fallbackNumber: f.e164.optional(),
      dids: z.array(f.did, expecting("a list of numbers")).optional(),
      codes: z.array(f.code, expecting("a list of codes")).optional(),
      stickyMinutes: f.stickyMinutes.optional(),
      huntSeconds: f.huntSeconds.optional(),
      incidents: f.incidents.optional(),
      routingKey: f.routingKey.optional(),
    },
    expecting("a route object"),
  )
  .superRefine(
    (route, ctx) => {
      const incidents = (route as { incidents?: unknown } | undefined)?.incidents;
      if ((incidents === "missed" || incidents === "all") && route.routingKey === undefined)
        ctx.addIssue({ code: "custom", path: ["routingKey"], message: noRoutingKey });
    },
    { when: always },
  );

/** A list of routes: at least one, and the route-set rule. */
function routeListSchema<T extends z.ZodType>(route: T) {
  return z
    .array(route, expecting("a list of routes"))
    .min(1, { error: "expected at least one route" })
    .superRefine(
      (routes, ctx) => {
        if (!Array.isArray(routes)) return;
        for (const issue of routeSetIssues(routes as Parameters<typeof routeSetIssues>[0], []))
          ctx.addIssue({ code: "custom", message: issue.message, path: [...issue.path] });
      },
      { when: always },
    );
}

// Timer delays: setTimeout overflows above 2^31-1 ms (about 24.8 days).
const positiveMs = integer(1, 2_147_483_647).optional();
const oneSecret = z
  .string()
  .min(1, { error: "required, a non-empty secret" })
  .max(1024, { error: "expected a secret of at most 1024 characters" })
  .regex(/^[\x21-\x7e]*$/, { error: "expected a secret of printable characters without spaces" });
const secretKey = z.union([oneSecret, z.array(f.secret).min(1)], {
  error: (issue) =>
    issue.input === undefined || issue.input === ""
      ? "required, a non-empty secret (or a non-empty list of them)"
      : "expected a secret of printable characters without spaces, or a non-empty list of them",
});
const trustProxy = z
  .array(f.trustProxyEntry, {
    error: (issue) =>
      typeof issue.input === "number"
        ? HOP_COUNT_REFUSED
        : "expected a list of proxy addresses, CIDRs or range names",
  })
  .min(1, { error: "expected a non-empty list (leave it unset to ignore X-Forwarded-For)" });
const allowedIps = z
  .array(f.ipOrCidr, expecting("a list of IPs or CIDRs"))
  .min(1, { error: "expected a non-empty list of IPs or CIDRs (leave it unset to allow anyone)" });
const fn = z.custom<(...args: never[]) => unknown>((value) => typeof value === "function", {
  error: "expected a function",
});
const objectWith = (method: string) =>
  z.custom<object>(
    (value) =>
      value !== null &&
      typeof value === "object" &&
      typeof (value as Record<string, unknown>)[method] === "function",
    {
      error: `expected an object with ${method}()`,
    },
  );

/** `buildServer`'s options. */
export const buildServerOptionsSchema = z
  .object({
    secretKey,
    pagerduty: z.object(
      {
        apiKey: z.string(expecting("a PagerDuty API token")),
        apiUrl: f.httpUrl.optional(),
        requestTimeoutMs: positiveMs,
        userCacheTtlMs: integer(0, 2_147_483_647).optional(),
        userConcurrency: integer(1, 64).optional(),
      },
      expecting("a mapping with apiKey"),
    ),
    roster: z
      .object({
        refreshIntervalMs: positiveMs,
        // Up to 90 days (PAGERDUTY_LOOKAHEAD_HOURS=2160); the roster clamps it under PagerDuty's limit.
        lookaheadMs: integer(1, 90 * 86_400_000).optional(),
        staleAfterMs: positiveMs,
        refreshTimeoutMs: positiveMs,
      })
      .optional(),
    routes: routeListSchema(routeConfigSchema),
    routingStrategy: z
      .union([f.strategyName, f.strategyModule], {
        error: `expected ${f.strategyName.options.join(", ")} or a module { module, setting }`,
      })
      .optional(),
    redis: z
      .object({
        url: f.redisUrl.optional(),
        sentinels: z
          .array(z.object({ host: f.host, port: integer(1, 65_535) }), expecting("a list of { host, port }"))
          .min(1)
          .optional(),
        sentinelName: f.keyPrefix.optional(),
        password: f.redisPassword.optional(),
        db: f.redisDb.optional(),
        keyPrefix: f.keyPrefix.optional(),
        commandTimeoutMs: positiveMs,
      })
      .superRefine(
        (redis, ctx) => {
          if (redis === null || typeof redis !== "object") return;
          if (redis.url !== undefined && redis.sentinels !== undefined)
            ctx.addIssue({
              code: "custom",
              path: ["sentinels"],
              message: "url and sentinels together are refused: use one",
            });
          else if (redis.url === undefined && redis.sentinels === undefined)
            ctx.addIssue({
              code: "custom",
              path: ["url"],
              message: "required (a redis:// URL, or sentinels with sentinelName)",
            });
          else if (redis.sentinels !== undefined && redis.sentinelName === undefined)
            ctx.addIssue({
              code: "custom",
              path: ["sentinelName"],
              message: "required with sentinels (the monitored master's name)",
            });
        },
        { when: always },
      )
      .optional(),
    events: z
      .object({
        url: f.httpUrl.optional(),
        stateDirectory: z.string().min(1).optional(),
        requestTimeoutMs: positiveMs.optional(),
        queueSize: z.number().int().min(1).optional(),
      })
      .optional(),
    allowedIps: allowedIps.optional(),
    trustProxy: trustProxy.optional(),
    coldStartWaitMs: f.coldStartWaitMs.optional(),
    logLevel: f.logLevel.optional(),
    logStream: objectWith("write").optional(),
    source: objectWith("shifts").optional(),
    now: fn.optional(),
    random: fn.optional(),
  })
  .superRefine(
    (options, ctx) => {
      const apiKey = (options as { pagerduty?: { apiKey?: unknown } } | undefined)?.pagerduty?.apiKey;
      if (options?.source === undefined && typeof apiKey === "string" && apiKey.trim() === "")
        ctx.addIssue({
          code: "custom",
          path: ["pagerduty", "apiKey"],
          message: "required, a PagerDuty API token",
        });
    },
    { when: always },
  );

/** The `voysWebhook` plugin's options (ready-made roster and strategies). */
export const webhookOptionsSchema = z.object({
  roster: z.custom<object>(
    (value) => typeof (value as { activeAt?: unknown } | undefined)?.activeAt === "function",
    { error: "required, a Roster" },
  ),
  secretKey,
  routes: routeListSchema(
    z.object({
      name: f.routeName,
      policyId: f.policyId,
      level: f.level,
      strategy: objectWith("pick"),
      fallbackNumber: f.e164.optional(),
      dids: z.array(f.did).optional(),
      codes: z.array(f.code).optional(),
    }),
  ),
  allowedIps: allowedIps.optional(),
  coldStartWaitMs: f.coldStartWaitMs.optional(),
});
