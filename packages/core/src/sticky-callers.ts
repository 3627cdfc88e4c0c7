import { assertNoProblems, CORE_ERROR_CODES } from "./errors.js";
import { silentLogger } from "./logger.js";
import { createOutageReporter } from "./outage-reporter.js";
import type { Logger, Pick, PickContext, Responder, RoutingStrategy, StickyStore } from "./types.js";
import { checkNumber } from "./validate.js";

/** Options of `withStickyCallers`. */
export interface StickyCallersOptions {
  /** Where the last responder per route and caller is kept (memory or Redis). Not closed by the wrapper. */
  readonly store: StickyStore;
  /** How long a caller sticks to the responder they reached last, renewed by every call. */
  readonly ttlMs: number;
  /** Logs a failing store (once per outage); picks go on without stickiness meanwhile. */
  readonly logger?: Logger;
}

function stickyPick(candidates: readonly Responder[], responderId: string | undefined): Pick | undefined {
  if (responderId === undefined) return undefined;
  const responder = candidates.find((candidate) => candidate.id === responderId);
  const phone = responder?.phones[0];
  return responder && phone !== undefined ? { responder, phone } : undefined;
}

/**
 * Wraps a strategy so that a caller (ctx.callerId) who called within `ttlMs` reaches the responder
 * they reached last, on that responder's preferred number, while that responder is still a candidate;
 * otherwise the wrapped strategy decides. Store failures never fail a pick. Keeps the inner name.
 */
export function withStickyCallers(strategy: RoutingStrategy, options: StickyCallersOptions): RoutingStrategy {
  const problems: string[] = [];
  if (typeof options.store?.get !== "function" || typeof options.store?.set !== "function") {
    problems.push("store: expected an object with get() and set() methods");
  }
  checkNumber(problems, "ttlMs", options.ttlMs, 1, false);
  assertNoProblems("sticky callers", problems);
  const { store, ttlMs } = options;
  const outage = createOutageReporter({
    logger: options.logger ?? silentLogger,
    fields: { strategy: strategy.name, store: store.name },
    downMessage: "sticky-caller store failed; routing without stickiness meanwhile",
    upMessage: "sticky-caller store works again",
    fallbackCode: CORE_ERROR_CODES.STICKY_STORE_FAILED,
  });
  const guarded = <T>(operation: () => Promise<T>): Promise<T | undefined> => outage.attempt(operation);
  const wrapped: RoutingStrategy = {
    name: strategy.name,
    async pick(candidates: readonly Responder[], ctx: PickContext): Promise<Pick> {
      if (!ctx.callerId) return strategy.pick(candidates, ctx);
      const key = `${ctx.route}:${ctx.callerId}`;
      const remembered = await guarded(() => store.get(key));
      const pick = stickyPick(candidates, remembered) ?? (await strategy.pick(candidates, ctx));
      await guarded(() => store.set(key, pick.responder.id, ttlMs));
      return pick;
    },
  };
  if (strategy.close) wrapped.close = () => strategy.close?.() ?? Promise.resolve();
  return Object.freeze(wrapped);
}
