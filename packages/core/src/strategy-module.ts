import { stat } from "node:fs/promises";
import { isAbsolute, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { CORE_ERROR_CODES, PdvError } from "./errors.js";
import type { StrategyContext, StrategyFactory } from "./strategy-types.js";
import { realTimers, setUnrefTimeout, type Timers } from "./timers.js";
import type { RoutingStrategy } from "./types.js";

/** Options of {@link createModuleStrategy}. */
export interface ModuleStrategyOptions {
  /** Longest wait for the factory (a factory that never resolves must not hang start-up). Default 10 000. */
  readonly factoryTimeoutMs?: number;
  /** Timers for that bound. Default Node's. */
  readonly timers?: Timers;
}

/** A strategy module that could not be used; `file` and `reason` say which and why. */
export class StrategyModuleError extends PdvError {
  /** The module's path (or URL). */
  readonly file: string;
  /** Why, e.g. `exports no factory`. */
  readonly reason: string;

  /** Creates the error; the message is `strategy module <file> <reason>`. */
  constructor(file: string, reason: string, cause?: unknown) {
    super(CORE_ERROR_CODES.STRATEGY_MODULE_INVALID, `strategy module ${file} ${reason}`, { cause });
    this.file = file;
    this.reason = reason;
  }
}

function moduleUrl(module: string | URL): { href: string; file: string } {
  if (module instanceof URL) {
    return { href: module.href, file: module.protocol === "file:" ? fileURLToPath(module) : module.href };
  }
  const file = isAbsolute(module) ? module : resolve(module);
  return { href: pathToFileURL(file).href, file };
}

// Node caches modules by URL: a file changed since (a reload) gets a URL of its own, so it is read again.
async function versioned(href: string, file: string): Promise<string> {
  if (!href.startsWith("file:")) return href;
  try {
    const { mtimeMs, size } = await stat(file);
    return `${href}${href.includes("?") ? "&" : "?"}v=${Math.trunc(mtimeMs)}-${size}`;
  } catch {
    return href; // the import below reports the missing file
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Imports a strategy module and returns its factory: the default export, else the named export
 * `createStrategy` (a file changed since an earlier load is read again). Throws a {@link StrategyModuleError} when it cannot be loaded or has no factory.
 */
export async function loadStrategyFactory(module: string | URL): Promise<StrategyFactory> {
  const { href, file } = moduleUrl(module);
  let loaded: { default?: unknown; createStrategy?: unknown };
  try {
    loaded = (await import(await versioned(href, file))) as typeof loaded;
  } catch (error) {
    throw new StrategyModuleError(file, `cannot be loaded: ${messageOf(error)}`, error);
  }
  const factory = typeof loaded.default === "function" ? loaded.default : loaded.createStrategy;
  if (typeof factory !== "function") {
    throw new StrategyModuleError(
      file,
      "exports no factory: expected a default export or a named export createStrategy that is a function",
    );
  }
  return factory as StrategyFactory;
}

function isStrategy(value: unknown): value is RoutingStrategy {
  if (value === null || typeof value !== "object") return false;
  const { name, pick } = value as Partial<RoutingStrategy>;
  return typeof name === "string" && name.length > 0 && typeof pick === "function";
}

/**
 * Loads a strategy module and builds its strategy with `context`. Throws a {@link StrategyModuleError}
 * when the module cannot be loaded, has no factory, or its factory throws, rejects, takes longer than
 * `factoryTimeoutMs`, or returns something without a `name` and a `pick()` function.
 */
export async function createModuleStrategy(
  module: string | URL,
  context: StrategyContext,
  options: ModuleStrategyOptions = {},
): Promise<RoutingStrategy> {
  const { file } = moduleUrl(module);
  const factory = await loadStrategyFactory(module);
  const timeoutMs = options.factoryTimeoutMs ?? 10_000;
  const timers = options.timers ?? realTimers;
  let timer: unknown;
  let built: unknown;
  try {
    built = await new Promise<unknown>((resolvePromise, reject) => {
      timer = setUnrefTimeout(
        timers,
        () => reject(new StrategyModuleError(file, `factory did not resolve within ${timeoutMs} ms`)),
        timeoutMs,
      );
      Promise.resolve()
        .then(() => factory(context))
        .then(resolvePromise, reject);
    });
  } catch (error) {
    if (error instanceof StrategyModuleError) throw error;
    throw new StrategyModuleError(file, `factory threw: ${messageOf(error)}`, error);
  } finally {
    timers.clearTimeout(timer);
  }
  if (!isStrategy(built)) {
    throw new StrategyModuleError(
      file,
      "factory returned no strategy: expected an object with a non-empty name and a pick() function",
    );
  }
  return built;
}
