import { readFileSync } from "node:fs";
import { join } from "node:path";
import { parseDocument } from "yaml";
import { isE164, isPagerDutyId, isRouteName, STRATEGY_NAMES, type StrategyName } from "./parse-value.js";
import { childPath, integer, list, object, oneOf, text } from "./schema.js";
import { describeFsError } from "./seed-files.js";
import { ROUTES_FILE } from "./settings.js";

/** One route as written in config.yaml (defaults not applied yet). */
export interface RouteInput {
  /** URL-safe name; served at /voys-webhook/<name>. */
  readonly name: string;
  /** PagerDuty escalation policy id. */
  readonly policyId: string;
  /** Escalation level; undefined → 1. */
  readonly level?: number;
  /** Strategy; undefined → ROUTING_STRATEGY. */
  readonly strategy?: StrategyName;
  /** Fallback number; undefined → FALLBACK_NUMBER. */
  readonly fallbackNumber?: string;
  /** Called numbers (E.164) that select this route on plain /voys-webhook. */
  readonly dids?: readonly string[];
  /** Sticky callers window in minutes. */
  readonly stickyMinutes?: number;
}

/** What reading config.yaml gave: absent, routes, or problems (`file: path: message`). */
export type RoutesFileResult =
  | { readonly status: "absent"; readonly path: string }
  | { readonly status: "ok"; readonly path: string; readonly routes: readonly RouteInput[] }
  | { readonly status: "invalid"; readonly path: string; readonly problems: readonly string[] };

const routeSchema = object({
  name: {
    check: text("a URL-safe name (letters, digits, - _ .; at most 63 characters)", isRouteName),
    required: true,
    describe: "a URL-safe name; served at /voys-webhook/<name>",
  },
  escalation_policy_id: {
    check: text("a PagerDuty escalation policy id such as PABC123", isPagerDutyId),
    required: true,
    describe: "a PagerDuty escalation policy id",
  },
  escalation_level: { check: integer(1) },
  strategy: { check: oneOf(STRATEGY_NAMES, "random or round-robin") },
  fallback_number: { check: text('an E.164 number such as "+31201234567" (quoted)', isE164) },
  dids: {
    check: list(text('an E.164 number such as "+31208888888" (quoted)', isE164), "a list of E.164 numbers"),
  },
  sticky_minutes: { check: integer(1, 10_080) },
});

const fileSchema = object({
  routes: { check: list(routeSchema, "a list of routes"), required: true, describe: "a list of routes" },
});

/** Validates parsed YAML against the routes schema; problems are `path: message`. */
export function validateRoutesDocument(doc: unknown): { routes?: RouteInput[]; problems: string[] } {
  const problems: string[] = [];
  const parsed = fileSchema(doc ?? {}, "", problems);
  problems.push(...uniquenessProblems(rawRoutes(doc)));
  if (parsed?.routes === undefined || problems.length > 0) return { problems };
  const routes = parsed.routes.map(
    (raw): RouteInput => ({
      name: raw.name as string,
      policyId: raw.escalation_policy_id as string,
      level: raw.escalation_level,
      strategy: raw.strategy,
      fallbackNumber: raw.fallback_number,
      dids: raw.dids,
      stickyMinutes: raw.sticky_minutes,
    }),
  );
  return { routes, problems };
}

type RawRoute = { name?: string; dids: Array<[did: string, index: number]> };

/** Names and DIDs of the raw routes that are well-formed enough to compare (the schema reports the rest). */
function rawRoutes(doc: unknown): RawRoute[] {
  const routes = (doc as { routes?: unknown } | null)?.routes;
  if (!Array.isArray(routes)) return [];
  return routes.map((route) => {
    const { name, dids } = (route ?? {}) as { name?: unknown; dids?: unknown };
    return {
      ...(typeof name === "string" && isRouteName(name) ? { name } : {}),
      dids: Array.isArray(dids)
        ? dids.flatMap(
            (did, at): Array<[string, number]> => (typeof did === "string" && isE164(did) ? [[did, at]] : []),
          )
        : [],
    };
  });
}

function uniquenessProblems(routes: readonly RawRoute[]): string[] {
  const problems: string[] = [];
  const names = new Map<string, number>();
  const dids = new Map<string, number>();
  routes.forEach((route, index) => {
    const path = childPath("routes", index);
    const previous = route.name === undefined ? undefined : names.get(route.name.toLowerCase());
    if (previous !== undefined)
      problems.push(`${path}.name: "${route.name}" is already used by routes[${previous}]`);
    else if (route.name !== undefined) names.set(route.name.toLowerCase(), index);
    for (const [did, didIndex] of route.dids) {
      const owner = dids.get(did);
      if (owner === undefined) dids.set(did, index);
      else {
        const by = owner === index ? "this route" : `routes[${owner}]`;
        problems.push(`${path}.dids[${didIndex}]: this number is already listed by ${by}`);
      }
    }
  });
  return problems;
}

/** Reads and validates `configDir/config.yaml`; never throws. */
export function readRoutesFile(configDir: string): RoutesFileResult {
  const path = join(configDir, ROUTES_FILE);
  let source: string;
  try {
    source = readFileSync(path, "utf8");
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === "ENOENT" || code === "ENOTDIR") return { status: "absent", path };
    return { status: "invalid", path, problems: [`${path}: cannot read: ${describeFsError(error)}`] };
  }
  const document = parseDocument(source, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    const problems = document.errors.map((error) => `${path}: ${yamlErrorText(error)}`);
    return { status: "invalid", path, problems };
  }
  const { routes, problems } = validateRoutesDocument(document.toJS());
  if (routes === undefined)
    return { status: "invalid", path, problems: problems.map((p) => `${path}: ${p}`) };
  return { status: "ok", path, routes };
}

function yamlErrorText(error: {
  message: string;
  linePos?: [{ line: number; col: number }, ...unknown[]];
}): string {
  const firstLine = (error.message.split("\n")[0] ?? error.message).replace(
    / at line \d+, column \d+:?$/,
    "",
  );
  const at = error.linePos?.[0];
  return at === undefined
    ? `invalid YAML: ${firstLine}`
    : `line ${at.line}, column ${at.col}: invalid YAML: ${firstLine}`;
}
