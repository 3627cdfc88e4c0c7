import type { FastifyBaseLogger, FastifyInstance } from "fastify";
import type { ServerMetrics } from "./metrics.js";
import type { BuildServerOptions } from "./options.js";

/** What a reload reads: new options, or every problem (`path: message`) of an invalid configuration. */
export type ReloadInput =
  | { readonly ok: true; readonly options: BuildServerOptions; readonly warnings?: readonly string[] }
  | { readonly ok: false; readonly errors: readonly string[] };

/** How a reload ended (also counted in `pagerduty_voys_config_reloads_total{result}`). */
export type ReloadResult =
  | { readonly result: "ok" }
  | { readonly result: "invalid"; readonly problems: readonly string[] }
  | { readonly result: "failed"; readonly error: string };

/** What `buildServer` registers so that {@link reloadServer} can reach it. */
export interface Reloadable {
  /** Validates and swaps in new options; throws with `problems` when they are invalid. */
  apply(options: BuildServerOptions): Promise<void>;
  readonly metrics: ServerMetrics;
  readonly log: FastifyBaseLogger;
}

const reloadables = new WeakMap<FastifyInstance, { target: Reloadable; queue: Promise<unknown> }>();

/** Makes `app` reloadable (called by `buildServer`). */
export function registerReloadable(app: FastifyInstance, target: Reloadable): void {
  reloadables.set(app, { target, queue: Promise.resolve() });
}

function problemsOf(error: unknown): readonly string[] | undefined {
  const problems = (error as { problems?: unknown } | null)?.problems;
  return Array.isArray(problems) && problems.length > 0 ? problems.map(String) : undefined;
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error).slice(0, 500);
  const code = (error as { code?: unknown }).code;
  return typeof code === "string" ? `${code}: ${error.message}` : error.message;
}

async function reloadOnce(
  target: Reloadable,
  load: () => ReloadInput | Promise<ReloadInput>,
): Promise<ReloadResult> {
  let outcome: ReloadResult;
  try {
    const input = await load();
    if (!input.ok) {
      outcome = { result: "invalid", problems: input.errors };
    } else {
      await target.apply(input.options);
      for (const warning of input.warnings ?? []) target.log.warn({ event: "config-warning" }, warning);
      outcome = { result: "ok" };
    }
  } catch (error) {
    const problems = problemsOf(error);
    outcome = problems ? { result: "invalid", problems } : { result: "failed", error: messageOf(error) };
  }
  target.metrics.onConfigReload(outcome.result);
  if (outcome.result === "ok") {
    target.log.info({ event: "config-reload", result: "ok" }, "configuration reloaded");
  } else if (outcome.result === "invalid") {
    target.log.error(
      { event: "config-reload", result: "invalid", problems: outcome.problems },
      `configuration reload refused, the running configuration stays: ${outcome.problems.join("; ")}`,
    );
  } else {
    target.log.error(
      { event: "config-reload", result: "failed", error: outcome.error },
      `configuration reload failed, the running configuration stays: ${outcome.error}`,
    );
  }
  return outcome;
}

/**
 * Reloads a server built by `buildServer`: `load` reads the configuration (as at start-up); valid
 * options replace the running routes, secrets, allowlist and policies between two calls; invalid
 * ones are logged with every `path: message` and the running configuration stays. Reloads run one
 * at a time, in order. Never rejects; counts each result in `pagerduty_voys_config_reloads_total`.
 */
export async function reloadServer(
  app: FastifyInstance,
  load: () => ReloadInput | Promise<ReloadInput>,
): Promise<ReloadResult> {
  const entry = reloadables.get(app);
  if (entry === undefined) return { result: "failed", error: "not a server built by buildServer" };
  const run = entry.queue.then(() => reloadOnce(entry.target, load));
  entry.queue = run.catch(() => undefined);
  return run;
}
