import type { EnvReader } from "./env-reader.js";
import { parseInteger, type StrategyName } from "./parse-value.js";
import type { RouteInput } from "./routes-file.js";
import type { RouteSettings } from "./types.js";

/** What buildRoutes combines. */
export interface RouteSources {
  /** PAGERDUTY_ESCALATION_POLICY_ID (or its file), when valid. */
  readonly defaultPolicy: string | undefined;
  /** True when the variable or file was present (valid or not). */
  readonly defaultPolicyFound: boolean;
  /** Routes of config.yaml, when it exists and is valid. */
  readonly fileRoutes: readonly RouteInput[] | undefined;
  /** True when config.yaml exists but is invalid (its problems are already recorded). */
  readonly routesFileInvalid: boolean;
  /** Path of config.yaml, for messages. */
  readonly routesFilePath: string;
  /** ROUTING_STRATEGY. */
  readonly routingStrategy: StrategyName;
  /** FALLBACK_NUMBER. */
  readonly fallbackNumber: string | undefined;
}

/** The name of the route formed by PAGERDUTY_ESCALATION_POLICY_ID. */
export const DEFAULT_ROUTE = "default";

/**
 * Every route: `default` from PAGERDUTY_ESCALATION_POLICY_ID (with PAGERDUTY_ESCALATION_LEVEL and
 * STICKY_MINUTES), then config.yaml's routes with ROUTING_STRATEGY and FALLBACK_NUMBER as defaults.
 * Undefined when a problem was recorded.
 */
export function buildRoutes(reader: EnvReader, sources: RouteSources): RouteSettings[] | undefined {
  const before = reader.problems.length;
  const level = reader.optional("PAGERDUTY_ESCALATION_LEVEL", (t) => parseInteger(t, 1, 100), 1);
  const sticky = reader.maybe("STICKY_MINUTES", (t) => parseInteger(t, 1, 10_080));
  const routes: RouteSettings[] = [];
  if (sources.defaultPolicy !== undefined) {
    routes.push({
      name: DEFAULT_ROUTE,
      policyId: sources.defaultPolicy,
      level,
      strategy: sources.routingStrategy,
      fallbackNumber: sources.fallbackNumber,
      dids: [],
      stickyMinutes: sticky,
      origin: "env",
    });
  } else if (reader.has("PAGERDUTY_ESCALATION_LEVEL") || reader.has("STICKY_MINUTES")) {
    reader.warnings.push(
      "PAGERDUTY_ESCALATION_LEVEL and STICKY_MINUTES apply to the default route only, and there is none",
    );
  }
  (sources.fileRoutes ?? []).forEach((input, index) => {
    if (input.name === DEFAULT_ROUTE && sources.defaultPolicy !== undefined) {
      reader.problems.push(
        `${sources.routesFilePath}: routes[${index}].name: "default" is already the route of PAGERDUTY_ESCALATION_POLICY_ID (or the file escalation_policy_id); rename the route or unset the variable`,
      );
    }
    routes.push(fromFile(input, sources));
  });
  if (routes.length === 0 && !sources.defaultPolicyFound && !sources.routesFileInvalid) {
    reader.missing("PAGERDUTY_ESCALATION_POLICY_ID", `or define routes in ${sources.routesFilePath}`);
  }
  return reader.problems.length === before ? routes : undefined;
}

function fromFile(input: RouteInput, sources: RouteSources): RouteSettings {
  return {
    name: input.name,
    policyId: input.policyId,
    level: input.level ?? 1,
    strategy: input.strategy ?? sources.routingStrategy,
    fallbackNumber: input.fallbackNumber ?? sources.fallbackNumber,
    dids: input.dids ?? [],
    stickyMinutes: input.stickyMinutes,
    origin: "config.yaml",
  };
}
