import { join } from "node:path";
import { formatIssues } from "@pagerduty-voys/server/schema";
import { parseDocument } from "yaml";
import { configFileSchema, type FileRoute } from "./file-schema.js";
import { MAX_YAML_BYTES, readConfigFile } from "./safe-read.js";
import { ROUTES_FILE } from "./settings.js";

/** Most YAML aliases a config.yaml may expand (an alias bomb stops at this). */
const MAX_YAML_ALIASES = 50;

/** What reading config.yaml gave: absent, routes, or problems (`file: path: message`). */
export type RoutesFileResult =
  | { readonly status: "absent"; readonly path: string }
  | { readonly status: "ok"; readonly path: string; readonly routes: readonly FileRoute[] }
  | { readonly status: "invalid"; readonly path: string; readonly problems: readonly string[] };

/** Drops keys whose value is null (`key:` with nothing after it counts as unset), one level into routes. */
function withoutNulls(doc: unknown): unknown {
  const routes = (doc as { routes?: unknown } | null)?.routes;
  if (!Array.isArray(routes)) return doc;
  const cleaned = routes.map((route: unknown) =>
    route !== null && typeof route === "object" && !Array.isArray(route)
      ? Object.fromEntries(Object.entries(route).filter(([, value]) => value !== null))
      : route,
  );
  return { ...(doc as object), routes: cleaned };
}

/** Validates a parsed YAML document with the config.yaml schema; problems are `path: message`. */
export function validateRoutesDocument(doc: unknown): { routes?: FileRoute[]; problems: string[] } {
  const result = configFileSchema.safeParse(withoutNulls(doc ?? {}));
  if (!result.success) return { problems: formatIssues(result.error.issues) };
  return { routes: result.data.routes, problems: [] };
}

/** Reads and validates `configDir/config.yaml` (regular file, at most 1 MiB, aliases bounded); never throws. */
export function readRoutesFile(configDir: string): RoutesFileResult {
  const file = readConfigFile(join(configDir, ROUTES_FILE), MAX_YAML_BYTES);
  const { path } = file;
  if (file.status === "absent") return { status: "absent", path };
  if (file.status === "problem") return { status: "invalid", path, problems: [`${path}: ${file.reason}`] };
  const document = parseDocument(file.text, { uniqueKeys: true, prettyErrors: true });
  if (document.errors.length > 0) {
    return { status: "invalid", path, problems: document.errors.map((e) => `${path}: ${yamlErrorText(e)}`) };
  }
  let doc: unknown;
  try {
    doc = document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    return {
      status: "invalid",
      path,
      problems: [`${path}: invalid YAML: ${reason} (at most ${MAX_YAML_ALIASES} alias expansions)`],
    };
  }
  const { routes, problems } = validateRoutesDocument(doc);
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
