import { type Stats, statSync } from "node:fs";
import { isAbsolute, resolve } from "node:path";
import { optionFields } from "@pagerduty-voys/server/schema";
import type { EnvRead } from "./env-settings.js";
import type { FileRoute } from "./file-schema.js";
import type { RouteSettings, StrategySetting } from "./types.js";

/** The name of the route formed by PAGERDUTY_ESCALATION_POLICY_ID. */
export const DEFAULT_ROUTE = "default";

/** What buildRoutes combines. */
export interface RouteSources {
  /** The parsed environment. */
  readonly env: EnvRead;
  /** Routes of config.yaml, when it exists and is valid. */
  readonly fileRoutes: readonly FileRoute[] | undefined;
  /** True when config.yaml exists but is invalid (its problems are already recorded). */
  readonly routesFileInvalid: boolean;
  /** Path of config.yaml, for messages. */
  readonly routesFilePath: string;
  /** CONFIG_DIR: relative strategy modules are resolved against it. */
  readonly configDir: string;
  /** Problems go here. */
  readonly problems: string[];
  /** Warnings go here. */
  readonly warnings: string[];
}

/**
 * A strategy setting: a built-in name as is, or a module path resolved against CONFIG_DIR to an
 * absolute path, with the setting that named it (for the server's errors). Records a problem when
 * the module file does not exist.
 */
export function resolveStrategy(
  text: string,
  configDir: string,
  settingName: string,
  problems: string[],
  prefix = "",
): StrategySetting {
  if ((optionFields.strategyName.options as readonly string[]).includes(text)) return text;
  const module = isAbsolute(text) ? text : resolve(configDir, text);
  let stats: Stats | undefined;
  try {
    stats = statSync(module);
  } catch {
    stats = undefined;
  }
  if (stats === undefined || !stats.isFile()) {
    problems.push(
      `${prefix}${settingName}: the strategy module ${module} ${stats === undefined ? "does not exist" : "is not a regular file"}${isAbsolute(text) ? "" : " (relative paths are resolved against CONFIG_DIR)"}`,
    );
  }
  return { module, setting: settingName };
}

/**
 * Every route: `default` from PAGERDUTY_ESCALATION_POLICY_ID (with PAGERDUTY_ESCALATION_LEVEL,
 * STICKY_MINUTES, HUNT_SECONDS, PAGERDUTY_INCIDENTS), then config.yaml's routes with
 * ROUTING_STRATEGY, FALLBACK_NUMBER and PAGERDUTY_ROUTING_KEY as defaults.
 */
export function buildRoutes(sources: RouteSources, routingStrategy: StrategySetting): RouteSettings[] {
  const { env, problems } = sources;
  const v = env.values;
  const globalKey = v.PAGERDUTY_ROUTING_KEY;
  const keyOf = (own: string | undefined) => ({
    routingKey: own ?? globalKey,
    routingKeyFrom:
      own !== undefined
        ? ("route" as const)
        : globalKey !== undefined
          ? ("PAGERDUTY_ROUTING_KEY" as const)
          : undefined,
  });
  const routes: RouteSettings[] = [];
  if (v.PAGERDUTY_ESCALATION_POLICY_ID !== undefined) {
    routes.push({
      name: DEFAULT_ROUTE,
      policyId: v.PAGERDUTY_ESCALATION_POLICY_ID,
      level: v.PAGERDUTY_ESCALATION_LEVEL ?? 1,
      strategy: routingStrategy,
      strategyOptions: undefined,
      fallbackNumber: v.FALLBACK_NUMBER,
      dids: [],
      codes: [],
      stickyMinutes: v.STICKY_MINUTES,
      huntSeconds: v.HUNT_SECONDS,
      incidents: v.PAGERDUTY_INCIDENTS ?? "off",
      ...keyOf(undefined),
      origin: "env",
    });
  } else {
    const defaultOnly = [
      "PAGERDUTY_ESCALATION_LEVEL",
      "STICKY_MINUTES",
      "HUNT_SECONDS",
      "PAGERDUTY_INCIDENTS",
    ];
    const set = defaultOnly.filter((name) => env.present(name));
    if (set.length > 0)
      sources.warnings.push(`${set.join(", ")} apply to the default route only, and there is none`);
  }
  (sources.fileRoutes ?? []).forEach((input, index) => {
    const at = `${sources.routesFilePath}: routes[${index}]`;
    if (input.name === DEFAULT_ROUTE && v.PAGERDUTY_ESCALATION_POLICY_ID !== undefined) {
      problems.push(
        `${at}.name: "default" is already the route of PAGERDUTY_ESCALATION_POLICY_ID (or the file escalation_policy_id); rename the route or unset the variable`,
      );
    }
    const strategy =
      input.strategy === undefined
        ? routingStrategy
        : resolveStrategy(
            input.strategy,
            sources.configDir,
            `routes[${index}].strategy`,
            problems,
            `${sources.routesFilePath}: `,
          );
    routes.push({
      name: input.name,
      policyId: input.escalation_policy_id,
      level: input.escalation_level ?? 1,
      strategy,
      strategyOptions: input.strategy_options,
      fallbackNumber: input.fallback_number ?? v.FALLBACK_NUMBER,
      dids: input.dids ?? [],
      codes: input.codes ?? [],
      stickyMinutes: input.sticky_minutes,
      huntSeconds: input.hunt_seconds,
      incidents: input.incidents ?? "off",
      ...keyOf(input.routing_key),
      origin: "config.yaml",
    });
  });
  if (routes.length === 0 && !env.present("PAGERDUTY_ESCALATION_POLICY_ID") && !sources.routesFileInvalid) {
    env.missing("PAGERDUTY_ESCALATION_POLICY_ID", `or define routes in ${sources.routesFilePath}`);
  }
  routes.forEach((route, index) => {
    if (route.incidents === "off" || route.routingKey !== undefined) return;
    const where =
      route.origin === "env"
        ? `PAGERDUTY_INCIDENTS is "${route.incidents}"`
        : `routes[${index - (routes[0]?.origin === "env" ? 1 : 0)}].incidents in ${sources.routesFilePath} is "${route.incidents}"`;
    env.missing(
      "PAGERDUTY_ROUTING_KEY",
      `${where}${route.origin === "env" ? "" : ", or give the route a routing_key"}`,
    );
  });
  return routes;
}
