import { join } from "node:path";
import type { Parsed } from "./parse-value.js";
import { currentIdentity, type ProcessIdentity, readSeedFile, secretFileWarnings } from "./seed-files.js";
import { SETTINGS, setting } from "./settings.js";
import type { SettingOrigin } from "./types.js";

/** Reads settings from the environment (and seed files), collecting every problem and warning. */
export interface EnvReader {
  /** Problems found so far (each names the variable, and the file when there is one). */
  readonly problems: string[];
  /** Warnings found so far. */
  readonly warnings: string[];
  /** Origin of each seeded setting read. */
  readonly origins: Record<string, SettingOrigin>;
  /** True when the variable is set to a non-empty value. */
  has(name: string): boolean;
  /** The parsed value of an optional variable, or `fallback` when unset; records a problem when invalid. */
  optional<T>(name: string, parse: (text: string) => Parsed<T>, fallback: T): T;
  /** Like `optional`, undefined when unset. */
  maybe<T>(name: string, parse: (text: string) => Parsed<T>): T | undefined;
  /** The value from the variable, else its seed file in `configDir`; undefined (and no problem) when neither. */
  seeded<T>(name: string, parse: (text: string) => Parsed<T>): T | undefined;
  /** Records that a required seeded setting is missing, explaining where it may come from. */
  missing(name: string, hint?: string): void;
}

/** Options of createEnvReader. */
export interface EnvReaderOptions {
  /** The environment; values are trimmed and empty ones count as unset. */
  readonly env: Readonly<Record<string, string | undefined>>;
  /** Where seed files are read from, or undefined when no directory is usable. */
  readonly configDir: string | undefined;
  /** CONFIG_DIR as messages name it (even when it does not exist). */
  readonly displayDir: string;
  /** The running process's identity, for the permission warning. */
  readonly identity?: ProcessIdentity;
}

/** Creates an EnvReader over an environment and a config directory. */
export function createEnvReader(options: EnvReaderOptions): EnvReader {
  const problems: string[] = [];
  const warnings: string[] = [];
  const origins: Record<string, SettingOrigin> = {};
  const unreadable = new Map<string, string>();
  const identity = options.identity ?? currentIdentity();
  const get = (name: string): string | undefined => {
    const value = options.env[name]?.trim();
    return value === "" ? undefined : value;
  };
  const record = <T>(name: string, text: string, parsed: Parsed<T>, from?: string): T | undefined => {
    if (parsed.ok) return parsed.value;
    problems.push(problemText(name, text, parsed.reason, from));
    return undefined;
  };
  if (options.configDir !== undefined) {
    const secretFiles = SETTINGS.filter((spec) => spec.secret && spec.file !== undefined).map(
      (spec) => spec.file as string,
    );
    warnings.push(...secretFileWarnings(options.configDir, secretFiles, identity));
  }
  const reader: EnvReader = {
    problems,
    warnings,
    origins,
    has: (name) => get(name) !== undefined,
    optional: (name, parse, fallback) => reader.maybe(name, parse) ?? fallback,
    maybe(name, parse) {
      const text = get(name);
      return text === undefined ? undefined : record(name, text, parse(text));
    },
    seeded(name, parse) {
      const text = get(name);
      if (text !== undefined) {
        origins[name] = "env";
        return record(name, text, parse(text));
      }
      const file = setting(name).file;
      if (file === undefined || options.configDir === undefined) return undefined;
      const seed = readSeedFile(options.configDir, file);
      if (seed.status === "absent") return undefined;
      if (seed.status !== "ok") {
        unreadable.set(
          name,
          seed.status === "empty" ? `${seed.path} is empty` : `${seed.path}: ${seed.reason}`,
        );
        return undefined;
      }
      origins[name] = "file";
      return record(name, seed.value, parse(seed.value), seed.path);
    },
    missing(name, hint) {
      const spec = setting(name);
      const where =
        spec.file === undefined
          ? ""
          : ` or write it to ${join(options.displayDir, spec.file)}${unreadable.has(name) ? ` (${unreadable.get(name)})` : ""}`;
      problems.push(
        `${name} is required: set ${name}${where}; expected ${spec.accepts}${hint ? `; ${hint}` : ""}`,
      );
    },
  };
  return reader;
}

function problemText(name: string, text: string, reason: string, from?: string): string {
  const spec = setting(name);
  const source = from === undefined ? name : `${name} (from ${from})`;
  if (spec.secret) return `${source}: ${reason} (value not shown)`;
  if (!reason.startsWith("expected")) return `${source}: ${reason}`;
  const shown = text.length > 60 ? `${text.slice(0, 57)}...` : text;
  return `${source}: got ${JSON.stringify(shown)}; ${reason}`;
}
