import { join } from "node:path";
import { WEBHOOK_ERROR_CODES, WebhookAppError } from "../errors.js";
import { type EnvSettings, envSchema } from "./env-schema.js";
import { MAX_SECRET_BYTES, readConfigFile } from "./safe-read.js";
import { SETTINGS, type SettingSpec } from "./settings.js";
import type { SettingOrigin } from "./types.js";

/** The environment (and seed files) parsed by the env schema, with every problem found. */
export interface EnvRead {
  /** Valid values by variable name (invalid and unset ones are absent). */
  readonly values: EnvSettings;
  /** Problems, each starting with the variable's name. */
  readonly problems: string[];
  /** Where each seeded setting came from. */
  readonly origins: Record<string, SettingOrigin>;
  /** True when the variable or its file held a value (valid or not). */
  present(name: string): boolean;
  /** Records that a required setting is missing, saying where it may come from. */
  missing(name: string, hint?: string): void;
}

/**
 * The spec of one setting by variable name (throws on a typo: a programming error). Here rather than
 * in settings.ts, which `--help` loads, so that `--help` does not load core through the errors.
 */
export function setting(env: string): SettingSpec {
  const spec = SETTINGS.find((s) => s.env === env);
  if (spec === undefined) {
    throw new WebhookAppError(WEBHOOK_ERROR_CODES.SETTING_UNKNOWN, `unknown setting ${env}`);
  }
  return spec;
}

/**
 * Reads every setting: the variable (trimmed; empty = unset), else its seed file in `configDir`
 * (read safely: regular file, at most 64 KiB). Each value goes through its field of the env schema.
 */
export function readEnvSettings(
  env: Readonly<Record<string, string | undefined>>,
  configDir: string | undefined,
  displayDir: string,
): EnvRead {
  const problems: string[] = [];
  const origins: Record<string, SettingOrigin> = {};
  const values: Record<string, unknown> = {};
  const found = new Set<string>();
  const unreadable = new Map<string, string>();
  const shape = envSchema.shape as Record<string, { safeParse(text: string): ParseResult }>;
  for (const spec of SETTINGS) {
    const field = shape[spec.env];
    if (field === undefined) continue;
    const text = env[spec.env]?.trim();
    let value: { text: string; from?: string } | undefined;
    if (text !== undefined && text !== "") {
      value = { text };
      if (spec.file !== undefined) origins[spec.env] = "env";
    } else if (spec.file !== undefined && configDir !== undefined) {
      const file = readConfigFile(join(configDir, spec.file), MAX_SECRET_BYTES);
      if (file.status === "problem") {
        problems.push(`${spec.env}: ${file.path} ${file.reason}`);
        found.add(spec.env);
      } else if (file.status === "ok" && file.text.trim() === "") {
        unreadable.set(spec.env, `${file.path} is empty`);
      } else if (file.status === "ok") {
        value = { text: file.text.trim(), from: file.path };
        origins[spec.env] = "file";
      }
    }
    if (value === undefined) continue;
    found.add(spec.env);
    const parsed = field.safeParse(value.text);
    if (parsed.success) values[spec.env] = parsed.data;
    else for (const issue of parsed.error.issues) problems.push(envProblem(spec.env, value, issue.message));
  }
  return {
    values: values as EnvSettings,
    problems,
    origins,
    present: (name) => found.has(name),
    missing(name, hint) {
      const spec = setting(name);
      const where =
        spec.file === undefined
          ? ""
          : ` or write it to ${join(displayDir, spec.file)}${unreadable.has(name) ? ` (${unreadable.get(name)})` : ""}`;
      problems.push(
        `${name} is required: set ${name}${where}; expected ${spec.accepts}${hint ? `; ${hint}` : ""}`,
      );
    },
  };
}

type ParseResult =
  | { success: true; data: unknown }
  | { success: false; error: { issues: { message: string }[] } };

/** `NAME: got "text"; expected …`, never quoting a secret. */
function envProblem(name: string, value: { text: string; from?: string }, message: string): string {
  const spec = setting(name);
  const source = value.from === undefined ? name : `${name} (from ${value.from})`;
  if (spec.secret) return `${source}: ${message} (value not shown)`;
  if (!message.startsWith("expected")) return `${source}: ${message}`;
  const shown = value.text.length > 60 ? `${value.text.slice(0, 57)}...` : value.text;
  return `${source}: got ${JSON.stringify(shown)}; ${message}`;
}
