import type { Hunter, RoutingStrategy } from "@pagerduty-voys/core";
import { normalizeVoysNumber } from "@pagerduty-voys/voys-adapter";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";

/** The name of the route that plain `/voys-webhook` serves when no DID matches. */
const DEFAULT_ROUTE_NAME = "default";

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
  /** IVR codes (Voys `{code}`, as sent) that select this route on plain `/voys-webhook`. */
  readonly codes?: readonly string[] | undefined;
  /** Routes calls back within the hunt window to someone not yet tried; unset: no hunting. */
  readonly hunter?: Hunter | undefined;
  /** Which calls become PagerDuty events, and with which routing key; unset: none. */
  readonly incidents?: { readonly mode: "off" | "missed" | "all"; readonly routingKey: string } | undefined;
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
   * first route, in order, that has `dids` and/or `codes` and whose every such list contains the
   * call's value (`did` normalised to E.164, `code` as sent), else the `default` route, else undefined.
   */
  resolve(
    name: string | undefined,
    did: string | undefined,
    code?: string | undefined,
  ): WebhookRoute | undefined;
}

/** Characters and length of an IVR code (digits, `*`, `#`; 1–20). */
const IVR_CODE_PATTERN = /^[0-9*#]{1,20}$/;

// What a route selects on: undefined means "any" (the route has no such list). A call without the
// value (or with a DID that is no number) is in no set.
interface Selector {
  readonly dids: ReadonlySet<string | undefined> | undefined;
  readonly codes: ReadonlySet<string | undefined> | undefined;
}

function selectorOf(route: Pick<WebhookRoute, "dids" | "codes">): Selector | undefined {
  const dids = route.dids ?? [];
  const codes = route.codes ?? [];
  if (dids.length === 0 && codes.length === 0) return undefined;
  return {
    dids: dids.length === 0 ? undefined : new Set(dids.flatMap((did) => normalizeVoysNumber(did) ?? [])),
    codes: codes.length === 0 ? undefined : new Set(codes),
  };
}

// Every (did, code) pair a route selects, "*" for "any", with the config path that names it.
function pairsOf(
  route: Pick<WebhookRoute, "dids" | "codes">,
  at: string,
): [pair: string, path: string, what: string][] {
  const dids = (route.dids ?? []).map((did, j) => [normalizeVoysNumber(did), `${at}.dids[${j}]`] as const);
  const codes = (route.codes ?? []).map((code, k) => [code, `${at}.codes[${k}]`] as const);
  const didList = dids.length === 0 ? [["*", undefined] as const] : dids;
  const codeList = codes.length === 0 ? [["*", undefined] as const] : codes;
  const pairs: [string, string, string][] = [];
  for (const [did, didPath] of didList) {
    if (did === undefined) continue;
    for (const [code, codePath] of codeList) {
      const what = [did === "*" ? "" : did, code === "*" ? "" : `code ${code}`]
        .filter(Boolean)
        .join(" with ");
      pairs.push([`${did} ${code}`, didPath ?? codePath ?? at, what]);
    }
  }
  return pairs;
}

function itemProblems(route: Pick<WebhookRoute, "dids" | "codes">, at: string): string[] {
  const problems: string[] = [];
  if (route.codes !== undefined && !Array.isArray(route.codes))
    return [`${at}.codes: expected a list of IVR codes (quoted strings)`];
  (route.dids ?? []).forEach((did, j) => {
    if (normalizeVoysNumber(did) === undefined)
      problems.push(`${at}.dids[${j}]: expected an international number such as +31208888888`);
  });
  (route.codes ?? []).forEach((code, j) => {
    if (typeof code !== "string" || !IVR_CODE_PATTERN.test(code))
      problems.push(`${at}.codes[${j}]: expected 1 to 20 of the characters 0-9, * and # (a quoted string)`);
  });
  return problems;
}

/**
 * Route-table problems as `path: message`: duplicate names, unreadable DIDs or codes, and a route
 * whose DID and code combination an earlier route already selects (two routes may share a DID
 * when their codes differ).
 */
export function routeTableProblems(
  routes: readonly Pick<WebhookRoute, "name" | "dids" | "codes">[],
  path = "routes",
): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  const pairs = new Map<string, string>();
  routes.forEach((route, i) => {
    const seen = names.get(route.name);
    if (seen !== undefined)
      problems.push(`${path}[${i}].name: "${route.name}" is already used by ${path}[${seen}]`);
    else names.set(route.name, i);
    const items = itemProblems(route, `${path}[${i}]`);
    problems.push(...items);
    if (items.some((problem) => problem.endsWith("(quoted strings)"))) return;
    if ((route.dids ?? []).length === 0 && (route.codes ?? []).length === 0) return;
    for (const [pair, at, what] of pairsOf(route, `${path}[${i}]`)) {
      const owner = pairs.get(pair);
      if (owner === undefined) pairs.set(pair, route.name);
      else if (owner !== route.name) problems.push(`${at}: ${what} already selects route "${owner}"`);
    }
  });
  return problems;
}

/** Builds the lookup from names, DIDs and codes to routes; throws on a duplicate name or an unreadable DID. */
export function createRouteTable(routes: readonly WebhookRoute[]): RouteTable {
  const problems = routeTableProblems(routes);
  if (problems.length > 0)
    throw new ServerError(SERVER_ERROR_CODES.OPTIONS_INVALID, `invalid routes: ${problems.join("; ")}`, {
      problems,
    });
  const byName = new Map(routes.map((route) => [route.name, route] as const));
  const selective = routes.flatMap((route) => {
    const selector = selectorOf(route);
    return selector === undefined ? [] : [{ route, ...selector }];
  });
  const fallback = byName.get(DEFAULT_ROUTE_NAME);
  return {
    name: "route-table",
    routes: Object.freeze([...routes]),
    byName: (name) => byName.get(name),
    resolve(name, did, code) {
      if (name !== undefined) return byName.get(name);
      const number = normalizeVoysNumber(did);
      for (const entry of selective) {
        if (entry.dids !== undefined && !entry.dids.has(number)) continue;
        if (entry.codes !== undefined && !entry.codes.has(code)) continue;
        return entry.route;
      }
      return fallback;
    },
  };
}
