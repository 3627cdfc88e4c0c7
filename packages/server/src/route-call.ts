import {
  type Logger,
  type PickContext,
  type Responder,
  type Roster,
  type RosterState,
  type RoutingStrategy,
  realTimers,
  type Pick as StrategyPick,
  type Timers,
} from "@pagerduty-voys/core";
import { isE164 } from "@pagerduty-voys/voys-adapter";
import type { WebhookRoute } from "./route-table.js";

/** Longest a strategy's pick may take before the call goes to the fallback or a NAK (Voys waits a few seconds). */
export const PICK_TIMEOUT_MS = 800;

/** Why a pick failed, as labelled in `pagerduty_voys_strategy_failures_total`. */
export type StrategyFailureReason = "error" | "timeout" | "invalid_pick";

class StrategyFailure extends Error {
  constructor(
    readonly reason: StrategyFailureReason,
    message: string,
    cause?: unknown,
  ) {
    super(message, cause === undefined ? undefined : { cause });
    this.name = "StrategyFailure";
  }
}

/** Why nobody got the call. */
export type NoPickReason =
  | "roster cold"
  | "roster expired"
  | "nobody on call"
  | "no phones"
  | "strategy failed";

/** The outcome of routing one call, before it is rendered for Voys. */
export type CallDecision =
  | {
      /** Someone on call gets the call. */
      readonly kind: "pick";
      readonly responder: Responder;
      readonly phone: string;
      readonly rosterState: RosterState;
    }
  | {
      /** Nobody reachable: the route's fallback number or a NAK. */
      readonly kind: "none";
      readonly reason: NoPickReason;
      readonly rosterState: RosterState;
    };

/** What {@link routeCall} needs besides the route. */
export interface RouteCallDeps {
  readonly roster: Roster;
  readonly now: () => Date;
  /** How long a call may wait for the first roster load. */
  readonly coldStartWaitMs: number;
  /** Timers bounding a pick (default Node's). */
  readonly timers?: Timers | undefined;
  /** Bound on one pick (default {@link PICK_TIMEOUT_MS}). */
  readonly pickTimeoutMs?: number | undefined;
  /** Counts failed picks (`onStrategyFailure`). */
  readonly metrics?:
    | { onStrategyFailure(route: string, strategy: string, reason: StrategyFailureReason): void }
    | undefined;
}

function raceTimer<T>(promise: Promise<T>, ms: number, timers: Timers, name: string): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const timer = timers.setTimeout(
      () => reject(new StrategyFailure("timeout", `strategy "${name}" did not pick within ${ms} ms`)),
      ms,
    );
    promise.then(
      (value) => {
        timers.clearTimeout(timer);
        resolve(value);
      },
      (error: unknown) => {
        timers.clearTimeout(timer);
        reject(error);
      },
    );
  });
}

/**
 * The one guard every pick goes through: a pick that throws, rejects, takes longer than
 * `pickTimeoutMs` or answers a responder or number not among the candidates becomes a
 * {@link StrategyFailure}. The timer is armed only for picks not settled within a few microtask turns.
 */
export async function guardedPick(
  strategy: RoutingStrategy,
  candidates: readonly Responder[],
  ctx: PickContext,
  deps: Pick<RouteCallDeps, "timers" | "pickTimeoutMs">,
): Promise<{ responder: Responder; phone: string }> {
  let pending: Promise<StrategyPick>;
  try {
    // `pick` may return its answer or a promise (of any kind) of it.
    pending = Promise.resolve(strategy.pick(candidates, ctx));
  } catch (error) {
    throw new StrategyFailure("error", `strategy "${strategy.name}" threw`, error);
  }
  // Most picks (memory strategies) settle within a few microtask turns: wait those out before
  // paying for a timer.
  let state: "pending" | "resolved" | "rejected" = "pending";
  let early: unknown;
  pending.then(
    (value) => {
      state = "resolved";
      early = value;
    },
    (error: unknown) => {
      state = "rejected";
      early = error;
    },
  );
  for (let turn = 0; turn < 4 && state === "pending"; turn++) await undefined;
  let pick: StrategyPick;
  if (state === "pending") {
    pending.catch(() => undefined); // a pick that answers after the bound must not go unhandled
    try {
      pick = await raceTimer(
        pending,
        deps.pickTimeoutMs ?? PICK_TIMEOUT_MS,
        deps.timers ?? realTimers,
        strategy.name,
      );
    } catch (error) {
      if (error instanceof StrategyFailure) throw error;
      throw new StrategyFailure("error", `strategy "${strategy.name}" rejected`, error);
    }
  } else if (state === "resolved") {
    pick = early as StrategyPick;
  } else {
    throw new StrategyFailure("error", `strategy "${strategy.name}" rejected`, early);
  }
  const chosen = candidates.find((responder) => responder.id === pick?.responder?.id);
  const phone = pick?.phone;
  if (chosen === undefined || typeof phone !== "string" || !chosen.phones.includes(phone) || !isE164(phone)) {
    throw new StrategyFailure("invalid_pick", `strategy "${strategy.name}" picked outside the candidates`);
  }
  return { responder: chosen, phone };
}

function emptyReason(state: RosterState, active: readonly Responder[]): NoPickReason {
  if (active.length > 0) return "no phones";
  if (state === "cold") return "roster cold";
  if (state === "expired") return "roster expired";
  return "nobody on call";
}

/**
 * Routes one call from memory: waits for the first roster load (at most `coldStartWaitMs`, and only
 * while the roster is cold and no load attempt has failed yet), reads who is on call at the route's level, keeps those with a phone,
 * and lets the route's strategy pick. Never touches PagerDuty; never rejects.
 */
export async function routeCall(
  route: WebhookRoute,
  callerId: string | undefined,
  deps: RouteCallDeps,
  log: Logger,
): Promise<CallDecision> {
  let now = deps.now();
  const health = deps.roster.health(now);
  let rosterState = health.state;
  // Wait only for a first load still under way: once an attempt has failed (PagerDuty refused,
  // rate-limited or down), the next one is seconds of backoff away and the caller should not wait.
  if (rosterState === "cold" && health.consecutiveFailures === 0) {
    await deps.roster.whenLoaded(deps.coldStartWaitMs);
    now = deps.now();
    rosterState = deps.roster.health(now).state;
  }
  const active = deps.roster.activeAt(now, { policyId: route.policyId, level: route.level });
  const reachable = active.filter((responder) => responder.phones.length > 0);
  if (reachable.length === 0) return { kind: "none", reason: emptyReason(rosterState, active), rosterState };
  try {
    const pick = await guardedPick(route.strategy, reachable, { route: route.name, callerId, now }, deps);
    return { kind: "pick", ...pick, rosterState };
  } catch (error) {
    const reason = error instanceof StrategyFailure ? error.reason : "error";
    const cause = error instanceof StrategyFailure && error.cause !== undefined ? error.cause : error;
    try {
      deps.metrics?.onStrategyFailure(route.name, route.strategy.name, reason);
    } catch {
      // A metrics failure must not fail the call.
    }
    log.error(
      {
        err: errorSummary(cause),
        route: route.name,
        strategy: route.strategy.name,
        reason,
        ...(cause === error ? {} : { failure: (error as Error).message }),
      },
      "routing strategy failed; answering with the fallback number or a NAK",
    );
    return { kind: "none", reason: "strategy failed", rosterState };
  }
}

function errorSummary(error: unknown): { name: string; message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}) };
  }
  return { name: "NonError", message: String(error) };
}
