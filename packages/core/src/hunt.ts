import { assertNoProblems, CORE_ERROR_CODES } from "./errors.js";
import { silentLogger } from "./logger.js";
import { createOutageReporter } from "./outage-reporter.js";
import type { Logger, Pick, Responder, Roster, StickyStore } from "./types.js";
import { checkNumber } from "./validate.js";

/** Options of {@link createHunter}. */
export interface HunterOptions {
  /** Where hunts are kept (memory, or Redis shared by instances); values are short JSON strings. */
  readonly store: StickyStore;
  /** A caller who calls again within this many ms of their previous call hunts. */
  readonly huntMs: number;
  /** With sticky callers: a later call within this many ms reaches the last responder, at their level. */
  readonly stickyMs?: number | undefined;
  /** Logs a failing store (once per outage); calls go on without hunting meanwhile. */
  readonly logger?: Logger | undefined;
}

/** One call to route, as the hunter sees it. */
export interface HuntCall {
  /** Route name (hunts are per route and caller). */
  readonly route: string;
  /** Escalation policy of the route. */
  readonly policyId: string;
  /** The route's level: hunts start here and only go up. */
  readonly level: number;
  /** The caller, normalised; hunts need one. */
  readonly callerId: string;
  /** The instant of the call. */
  readonly now: Date;
  /** Who is on call, at every level. */
  readonly roster: { readonly activeAt: Roster["activeAt"]; readonly levels?: Roster["levels"] };
  /** The route's strategy over `candidates` (all reachable, at `level`); may reject. */
  pick(candidates: readonly Responder[], level: number): Promise<Pick>;
}

/** How the hunter routed a call. */
export interface HuntOutcome {
  /** Who gets the call and on which number. */
  readonly pick: Pick;
  /** The escalation level they were reached at. */
  readonly level: number;
  /** 1 for a first call, 2 for the first call back within the window, and so on. */
  readonly attempt: number;
  /** True when this call was a hunt (a call back within the window). */
  readonly hunted: boolean;
  /** True when a hunt had tried everyone and started over at the route's level. */
  readonly restarted: boolean;
  /** True when the caller went back to the responder of their last call (sticky callers). */
  readonly sticky: boolean;
}

/** Routes calls of callers who try again to someone not yet tried in this hunt. */
export interface Hunter {
  /** Short name for logs. */
  readonly name: string;
  /** Routes one call; undefined when nobody is reachable (the hunt is then left as it was). */
  route(call: HuntCall): Promise<HuntOutcome | undefined>;
}

interface HuntRecord {
  /** Attempts so far. */
  readonly a: number;
  /** Responder ids tried in this hunt. */
  readonly t: readonly string[];
  /** Last responder and the level they were reached at. */
  readonly r: string;
  readonly l: number;
  /** Time of the last call (ms). */
  readonly at: number;
}

function parseRecord(raw: string | undefined): HuntRecord | undefined {
  if (raw === undefined) return undefined;
  try {
    const value = JSON.parse(raw) as Partial<HuntRecord>;
    const ok =
      typeof value.a === "number" &&
      Array.isArray(value.t) &&
      typeof value.r === "string" &&
      typeof value.l === "number" &&
      typeof value.at === "number";
    return ok ? (value as HuntRecord) : undefined;
  } catch {
    return undefined;
  }
}

function reachableAt(call: HuntCall, level: number): Responder[] {
  return call.roster
    .activeAt(call.now, { policyId: call.policyId, level })
    .filter((responder) => responder.phones.length > 0);
}

// The route's level, then the policy's higher levels in order.
function huntLevels(call: HuntCall): number[] {
  const higher = (call.roster.levels?.(call.policyId) ?? []).filter((level) => level > call.level);
  return [call.level, ...[...new Set(higher)].sort((a, b) => a - b)];
}

/**
 * Creates a hunter: a caller who calls the same route again within `huntMs` reaches someone not yet
 * tried in this hunt (the route's level first, then the policy's next levels, level by level; when
 * everyone has been tried, the strategy picks at the route's level again). Each call restarts the
 * window. With `stickyMs`, a later call within it reaches the last responder at their level while
 * they are still on call there. Store failures never fail a call.
 */
export function createHunter(options: HunterOptions): Hunter {
  const problems: string[] = [];
  if (typeof options.store?.get !== "function" || typeof options.store?.set !== "function")
    problems.push("store: expected an object with get() and set() methods");
  checkNumber(problems, "huntMs", options.huntMs, 1, false);
  checkNumber(problems, "stickyMs", options.stickyMs, 0);
  assertNoProblems("hunter", problems);
  const { store, huntMs } = options;
  const stickyMs = options.stickyMs ?? 0;
  const ttlMs = Math.max(huntMs, stickyMs);
  const outage = createOutageReporter({
    logger: options.logger ?? silentLogger,
    fields: { component: "hunter", store: store.name },
    downMessage: "hunt store failed; routing without hunting meanwhile",
    upMessage: "hunt store works again",
    fallbackCode: CORE_ERROR_CODES.STICKY_STORE_FAILED,
  });
  const guarded = <T>(operation: () => Promise<T>): Promise<T | undefined> => outage.attempt(operation);

  const hunt = async (call: HuntCall, record: HuntRecord) => {
    const tried = new Set(record.t);
    for (const level of huntLevels(call)) {
      const untried = reachableAt(call, level).filter((responder) => !tried.has(responder.id));
      if (untried.length > 0) return { level, pick: await call.pick(untried, level), tried: [...tried] };
    }
    return undefined;
  };
  const sticky = (call: HuntCall, record: HuntRecord): Pick | undefined => {
    const responder = reachableAt(call, record.l).find((candidate) => candidate.id === record.r);
    const phone = responder?.phones[0];
    return responder && phone !== undefined ? { responder, phone } : undefined;
  };

  return Object.freeze({
    name: "hunter",
    async route(call: HuntCall): Promise<HuntOutcome | undefined> {
      const key = `${call.route}:${call.callerId}`;
      const at = call.now.getTime();
      const record = parseRecord(await guarded(() => store.get(key)));
      const age = record === undefined ? Number.POSITIVE_INFINITY : at - record.at;
      let outcome: HuntOutcome | undefined;
      let tried: readonly string[] = [];
      if (record !== undefined && age < huntMs) {
        const found = await hunt(call, record);
        const attempt = record.a + 1;
        if (found !== undefined) {
          tried = found.tried;
          outcome = {
            pick: found.pick,
            level: found.level,
            attempt,
            hunted: true,
            restarted: false,
            sticky: false,
          };
        } else {
          const everyone = reachableAt(call, call.level);
          if (everyone.length === 0) return undefined;
          const pick = await call.pick(everyone, call.level);
          outcome = { pick, level: call.level, attempt, hunted: true, restarted: true, sticky: false };
        }
      } else {
        const again = record !== undefined && age < stickyMs ? sticky(call, record) : undefined;
        if (again !== undefined) {
          outcome = {
            pick: again,
            level: record?.l ?? call.level,
            attempt: 1,
            hunted: false,
            restarted: false,
            sticky: true,
          };
        } else {
          const candidates = reachableAt(call, call.level);
          if (candidates.length === 0) return undefined;
          const pick = await call.pick(candidates, call.level);
          outcome = { pick, level: call.level, attempt: 1, hunted: false, restarted: false, sticky: false };
        }
      }
      const next: HuntRecord = {
        a: outcome.attempt,
        t: [...tried, outcome.pick.responder.id],
        r: outcome.pick.responder.id,
        l: outcome.level,
        at,
      };
      await guarded(() => store.set(key, JSON.stringify(next), ttlMs));
      return outcome;
    },
  });
}
