/**
 * A tiny schema for config.yaml: each check returns the value, or records `path: message` problems
 * and returns undefined. One schema validates types, ranges and unknown keys and reports them all.
 */
export type Check<T> = (value: unknown, path: string, problems: string[]) => T | undefined;

/** One field of an object schema. */
interface Field<T> {
  /** Validates the field's value. */
  readonly check: Check<T>;
  /** When true, a missing field is a problem. */
  readonly required?: boolean;
  /** Said after `required:` when the field is missing. */
  readonly describe?: string;
}

type Shape = Record<string, Field<unknown>>;
type Validated<S extends Shape> = { [K in keyof S]?: S[K] extends Field<infer T> ? T : never };

/** Joins a parent path and a key (`routes[0]` + `name` → `routes[0].name`; odd keys quoted: `["a b"]`). */
export function childPath(parent: string, key: string | number): string {
  if (typeof key === "number") return `${parent}[${key}]`;
  if (!/^[A-Za-z_][\w-]*$/.test(key)) return `${parent}[${JSON.stringify(key.slice(0, 40))}]`;
  return parent === "" ? key : `${parent}.${key}`;
}

/** A string accepted by `test`; `expected` completes "expected …". */
export function text(expected: string, test: (value: string) => boolean = () => true): Check<string> {
  return (value, path, problems) => {
    if (typeof value === "string" && test(value)) return value;
    problems.push(`${path}: expected ${expected}`);
    return undefined;
  };
}

/** An integer in `[min, max]`; the message says `expected an integer ≥ min` (and `≤ max` when bounded). */
export function integer(min: number, max = Number.MAX_SAFE_INTEGER): Check<number> {
  const bounds = max === Number.MAX_SAFE_INTEGER ? `≥ ${min}` : `from ${min} to ${max}`;
  return (value, path, problems) => {
    if (typeof value === "number" && Number.isInteger(value) && value >= min && value <= max) return value;
    problems.push(`${path}: expected an integer ${bounds}`);
    return undefined;
  };
}

/** One of a fixed list of strings. */
export function oneOf<T extends string>(choices: readonly T[], expected: string): Check<T> {
  return (value, path, problems) => {
    if (typeof value === "string" && (choices as readonly string[]).includes(value)) return value as T;
    problems.push(`${path}: expected ${expected}`);
    return undefined;
  };
}

/** A list whose every item passes `item`; undefined when the list or any item is invalid. */
export function list<T>(item: Check<T>, expected: string): Check<T[]> {
  return (value, path, problems) => {
    if (!Array.isArray(value)) {
      problems.push(`${path}: expected ${expected}`);
      return undefined;
    }
    const before = problems.length;
    const items = value.map((entry, index) => item(entry, childPath(path, index), problems));
    return problems.length === before ? (items as T[]) : undefined;
  };
}

/** A mapping with known keys only; reports unknown keys, missing required keys and every bad value. */
export function object<S extends Shape>(shape: S, expected = "a mapping"): Check<Validated<S>> {
  const known = Object.keys(shape);
  return (value, path, problems) => {
    if (value === null || typeof value !== "object" || Array.isArray(value)) {
      problems.push(`${path === "" ? "(top level)" : path}: expected ${expected}`);
      return undefined;
    }
    const input = value as Record<string, unknown>;
    const result: Record<string, unknown> = {};
    for (const key of Object.keys(input)) {
      if (!known.includes(key)) {
        problems.push(`${childPath(path, key)}: unknown key (allowed: ${known.join(", ")})`);
      }
    }
    for (const [key, field] of Object.entries(shape)) {
      const fieldPath = childPath(path, key);
      if (input[key] === undefined || input[key] === null) {
        if (field.required)
          problems.push(`${fieldPath}: required${field.describe ? ` (${field.describe})` : ""}`);
        continue;
      }
      const checked = field.check(input[key], fieldPath, problems);
      if (checked !== undefined) result[key] = checked;
    }
    return result as Validated<S>;
  };
}
