import { normalizeVoysNumber } from "@pagerduty-voys/voys-adapter";
import { strictObject, type z } from "zod";

/** One problem: where (zod path) and what. */
export interface OptionIssue {
  /** Keys and indexes from the top of the validated value. */
  readonly path: readonly PropertyKey[];
  /** Reads after `path: `. */
  readonly message: string;
  /** Unknown keys (zod's `unrecognized_keys`), reported one line each. */
  readonly keys?: readonly string[];
}

/** Joins a path: `routes[1].dids[0]`, odd keys quoted (`["a b"]`), `(top level)` when empty. */
export function formatPath(path: readonly PropertyKey[]): string {
  let text = "";
  for (const key of path) {
    if (typeof key === "number") text += `[${key}]`;
    else if (/^[A-Za-z_][\w-]*$/.test(String(key))) text += text === "" ? String(key) : `.${String(key)}`;
    else text += `[${JSON.stringify(String(key).slice(0, 40))}]`;
  }
  return text === "" ? "(top level)" : text;
}

/** Every issue as `path: message` (one line per unknown key). */
export function formatIssues(issues: readonly OptionIssue[]): string[] {
  return issues.flatMap((issue) =>
    issue.keys !== undefined && issue.keys.length > 0
      ? issue.keys.map((key) => `${formatPath([...issue.path, key])}: ${issue.message}`)
      : [`${formatPath(issue.path)}: ${issue.message}`],
  );
}

/** Validates `value` with `schema`; `[]` when valid, else every problem as `path: message`. */
export function problemsOf(schema: z.ZodType, value: unknown): string[] {
  const result = schema.safeParse(value);
  return result.success ? [] : formatIssues(result.error.issues);
}

/** A mapping with known keys only; an unknown key reads `unknown key (allowed: …)`. */
export function strictMapping<S extends z.ZodRawShape>(shape: S, expected = "a mapping") {
  const allowed = Object.keys(shape).join(", ");
  return strictObject(shape, {
    error: (issue) =>
      issue.code === "unrecognized_keys" ? `unknown key (allowed: ${allowed})` : `expected ${expected}`,
  });
}

/** What the route-set rule compares. */
interface RouteKeys {
  readonly name?: unknown;
  readonly dids?: unknown;
  readonly codes?: unknown;
}

const strings = (value: unknown): string[] =>
  Array.isArray(value) ? value.filter((v): v is string => typeof v === "string") : [];

/**
 * The one route-set rule: names are unique ignoring case; two routes may list the same did only when
 * their codes differ (and the same code only when their dids differ). Issues have paths under `routes`.
 */
export function routeSetIssues(
  routes: readonly RouteKeys[],
  path: readonly PropertyKey[] = ["routes"],
): OptionIssue[] {
  const issues: OptionIssue[] = [];
  const names = new Map<string, number>();
  const selectors = new Map<string, number>();
  routes.forEach((route, i) => {
    const at = [...path, i];
    if (typeof route?.name === "string") {
      const seen = names.get(route.name.toLowerCase());
      if (seen === undefined) names.set(route.name.toLowerCase(), i);
      else
        issues.push({
          path: [...at, "name"],
          message: `"${route.name}" is already used by routes[${seen}] (names are compared ignoring case)`,
        });
    }
    const dids = Array.isArray(route?.dids) ? (route.dids as unknown[]) : [];
    const codes = strings(route?.codes);
    const codeKeys = codes.length === 0 ? ["*"] : [...new Set(codes)];
    dids.forEach((did, j) => {
      const number = typeof did === "string" ? normalizeVoysNumber(did) : undefined;
      if (number === undefined) return;
      for (const code of codeKeys) {
        const key = `${number} ${code}`;
        const owner = selectors.get(key);
        if (owner === undefined) selectors.set(key, i);
        else {
          const by = owner === i ? "this route" : `routes[${owner}]`;
          const withCode = code === "*" ? "" : ` with code "${code}"`;
          issues.push({
            path: [...at, "dids", j],
            message: `this number${withCode} is already listed by ${by}; two routes may share a did only with different codes`,
          });
          break;
        }
      }
    });
    if (dids.length === 0) {
      codes.forEach((code, j) => {
        const key = `* ${code}`;
        const owner = selectors.get(key);
        if (owner === undefined) selectors.set(key, i);
        else
          issues.push({
            path: [...at, "codes", j],
            message: `code "${code}" is already listed by ${owner === i ? "this route" : `routes[${owner}]`}`,
          });
      });
    }
  });
  return issues;
}
