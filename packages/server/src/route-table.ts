import type { RoutingStrategy } from "@pagerduty-voys/core";
import { normalizeVoysNumber } from "@pagerduty-voys/voys-adapter";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";

/** The name of the route that plain `/voys-webhook` serves when no DID matches. */
export const DEFAULT_ROUTE_NAME = "default";

/** A route ready to serve: its strategy is already built (sticky callers included). */
export interface WebhookRoute {
  /** Name in the URL (`/voys-webhook/<name>`), logs and metrics. */
  readonly name: string;
  /** PagerDuty escalation policy id. */
  readonly policyId: string;
  /** Escalation level whose responders get the calls (1 = first responder). */
  readonly level: number;
  /** How one responder and number are chosen. */
  readonly strategy: RoutingStrategy;
  /** E.164 number answered when nobody is reachable; unset → 503 `status=NAK`. */
  readonly fallbackNumber?: string | undefined;
  /** Called numbers (Voys `{did}`) that select this route on plain `/voys-webhook`. */
  readonly dids?: readonly string[] | undefined;
}

/** Finds the route of a call. */
export interface RouteTable {
  /** Short name for logs. */
  readonly name: string;
  /** Every route, in configuration order. */
  readonly routes: readonly WebhookRoute[];
  /** The route by name, or undefined. */
  byName(name: string): WebhookRoute | undefined;
  /**
   * The route of a call: by `name` when the path names one (undefined when unknown); otherwise the
   * route whose `dids` contain `did` (normalised to E.164), else the `default` route, else undefined.
   */
  resolve(name: string | undefined, did: string | undefined): WebhookRoute | undefined;
}

/** Route-table problems as `path: message` (duplicate names, duplicate or unreadable DIDs). */
export function routeTableProblems(
  routes: readonly Pick<WebhookRoute, "name" | "dids">[],
  path = "routes",
): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  const dids = new Map<string, string>();
  routes.forEach((route, i) => {
    const seen = names.get(route.name);
    if (seen !== undefined)
      problems.push(`${path}[${i}].name: "${route.name}" is already used by ${path}[${seen}]`);
    else names.set(route.name, i);
    (route.dids ?? []).forEach((did, j) => {
      const normalised = normalizeVoysNumber(did);
      if (normalised === undefined) {
        problems.push(`${path}[${i}].dids[${j}]: expected an international number such as +31208888888`);
        return;
      }
      const owner = dids.get(normalised);
      if (owner !== undefined && owner !== route.name) {
        problems.push(`${path}[${i}].dids[${j}]: ${normalised} already selects route "${owner}"`);
      }
      dids.set(normalised, route.name);
    });
  });
  return problems;
}

/** Builds the lookup from names and DIDs to routes; throws on a duplicate name or an unreadable DID. */
export function createRouteTable(routes: readonly WebhookRoute[]): RouteTable {
  const problems = routeTableProblems(routes);
  if (problems.length > 0)
    throw new ServerError(SERVER_ERROR_CODES.OPTIONS_INVALID, `invalid routes: ${problems.join("; ")}`, {
      problems,
    });
  const byName = new Map(routes.map((route) => [route.name, route] as const));
  const byDid = new Map<string, WebhookRoute>();
  for (const route of routes) {
    for (const did of route.dids ?? []) {
      const normalised = normalizeVoysNumber(did);
      if (normalised !== undefined) byDid.set(normalised, route);
    }
  }
  const fallback = byName.get(DEFAULT_ROUTE_NAME);
  return {
    name: "route-table",
    routes: Object.freeze([...routes]),
    byName: (name) => byName.get(name),
    resolve(name, did) {
      if (name !== undefined) return byName.get(name);
      if (did !== undefined && byDid.size > 0) {
        const normalised = normalizeVoysNumber(did);
        const route = normalised === undefined ? undefined : byDid.get(normalised);
        if (route !== undefined) return route;
      }
      return fallback;
    },
  };
}
