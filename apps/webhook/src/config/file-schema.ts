import {
  expecting,
  optionFields as f,
  formatChoices,
  patterned,
  routeSetIssues,
  strictMapping,
} from "@pagerduty-voys/server/schema";
import { z } from "zod";

const BUILT_IN = f.strategyName.options;

/** A strategy as written in settings: a built-in name or the path of an ES module (.mjs/.js). */
export const strategyText = z
  .string({ error: `expected ${formatChoices([...BUILT_IN, "a module path ending in .mjs or .js"])}` })
  .regex(
    new RegExp(
      `^(${BUILT_IN.map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")}|\\S.*\\.m?js)$`,
    ),
    {
      error: `expected ${formatChoices([...BUILT_IN, "a module path ending in .mjs or .js"])}`,
    },
  )
  .meta({ description: `${BUILT_IN.join(", ")}, or an ES module path (absolute or relative to CONFIG_DIR)` });

const quotedE164 = (example: string) =>
  patterned(/^\+[1-9]\d{6,14}$/, `an E.164 number such as "${example}" (quoted)`);

/** One route of config.yaml (snake_case keys as written). */
const fileRouteSchema = strictMapping(
  {
    name: f.routeName.meta({ description: "URL-safe name; served at /voys-webhook/<name>" }),
    escalation_policy_id: f.policyId.meta({ description: "PagerDuty escalation policy id" }),
    escalation_level: f.level.optional().meta({ description: "escalation level called (default 1)" }),
    strategy: strategyText.optional(),
    strategy_options: f.strategyOptions
      .optional()
      .meta({ description: "options handed to a strategy module" }),
    fallback_number: quotedE164("+31201234567")
      .optional()
      .meta({ description: "number answered when nobody is reachable" }),
    dids: z
      .array(quotedE164("+31208888888"), { error: "expected a list of E.164 numbers" })
      .optional()
      .meta({ description: "called numbers that select this route on /voys-webhook" }),
    codes: z
      .array(f.code, { error: 'expected a list of quoted codes such as ["1", "2"]' })
      .min(1, { error: "expected at least one code (or leave codes out)" })
      .optional()
      .meta({ description: "IVR codes (quoted digits, * and #) that select this route" }),
    sticky_minutes: f.stickyMinutes.optional(),
    hunt_seconds: f.huntSeconds
      .optional()
      .meta({ description: "a repeat call within this time reaches someone not yet tried" }),
    incidents: f.incidents
      .optional()
      .meta({ description: "PagerDuty incidents: off (default), missed or all" }),
    routing_key: f.routingKey.optional().meta({ description: "Events API v2 integration key of this route" }),
  },
  "a route mapping",
);

/** config.yaml: the one schema its JSON Schema is generated from. */
export const configFileSchema = strictMapping({
  routes: z.array(fileRouteSchema, expecting("a list of routes")).superRefine(
    (routes, ctx) => {
      if (!Array.isArray(routes)) return;
      for (const issue of routeSetIssues(routes, []))
        ctx.addIssue({ code: "custom", message: issue.message, path: [...issue.path] });
    },
    { when: () => true },
  ),
}).meta({
  title: "pagerduty-voys-webhook config.yaml",
  description: "Routes of pagerduty-voys-webhook; see the README's configuration section.",
});

/** A route of config.yaml as validated. */
export type FileRoute = z.output<typeof fileRouteSchema>;
