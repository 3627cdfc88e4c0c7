import type { BuildServerOptions, RouteConfig } from "../options.js";

/** Longest hunt window (one day). */
export const MAX_HUNT_SECONDS = 86_400;
/** The shape of an Events API v2 integration key. */
export const ROUTING_KEY_PATTERN = /^[A-Za-z0-9]{32}$/;
const INCIDENT_MODES: readonly string[] = ["off", "missed", "all"];

function routeProblems(route: RouteConfig, path: string): string[] {
  const problems: string[] = [];
  const hunt = route.huntSeconds;
  if (hunt !== undefined && !(Number.isInteger(hunt) && hunt >= 1 && hunt <= MAX_HUNT_SECONDS))
    problems.push(`${path}.huntSeconds: expected a whole number of seconds from 1 to ${MAX_HUNT_SECONDS}`);
  if (route.incidents !== undefined && !INCIDENT_MODES.includes(route.incidents))
    problems.push(`${path}.incidents: expected off, missed or all`);
  if (
    route.routingKey !== undefined &&
    (typeof route.routingKey !== "string" || !ROUTING_KEY_PATTERN.test(route.routingKey))
  )
    problems.push(
      `${path}.routingKey: expected a 32-character Events API v2 integration key (letters and digits)`,
    );
  if ((route.incidents === "missed" || route.incidents === "all") && route.routingKey === undefined)
    problems.push(
      `${path}.routingKey: incidents: ${route.incidents} needs a routing key (PAGERDUTY_ROUTING_KEY, the routing_key file, or the route's routing_key)`,
    );
  return problems;
}

function eventsProblems(events: BuildServerOptions["events"]): string[] {
  if (events === undefined) return [];
  const problems: string[] = [];
  if (events.url !== undefined) {
    let url: URL | undefined;
    try {
      url = new URL(events.url);
    } catch {
      url = undefined;
    }
    if (url === undefined || !["http:", "https:"].includes(url.protocol))
      problems.push("events.url: expected an http:// or https:// URL such as https://events.pagerduty.com");
  }
  if (
    events.stateDirectory !== undefined &&
    (typeof events.stateDirectory !== "string" || events.stateDirectory === "")
  )
    problems.push("events.stateDirectory: expected a directory path");
  for (const key of ["requestTimeoutMs", "queueSize"] as const) {
    const value = events[key];
    if (value !== undefined && !(Number.isInteger(value) && value >= 1))
      problems.push(`events.${key}: expected an integer ≥ 1`);
  }
  return problems;
}

/** Problems of the hunting and incidents options, as `path: message`. */
export function huntAndIncidentProblems(options: BuildServerOptions): string[] {
  const routes = Array.isArray(options.routes) ? options.routes : [];
  return [
    ...routes.flatMap((route, i) =>
      route !== null && typeof route === "object" ? routeProblems(route, `routes[${i}]`) : [],
    ),
    ...eventsProblems(options.events),
  ];
}

/** True when some route sends events. */
export function wantsIncidents(options: BuildServerOptions): boolean {
  return options.routes.some((route) => route.incidents === "missed" || route.incidents === "all");
}
