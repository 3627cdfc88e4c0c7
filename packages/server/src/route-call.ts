import type { Hunter, Logger, Pick, Responder, Roster, RosterState } from "@pagerduty-voys/core";
import {
  guardedPick,
  type PickGuardDeps,
  StrategyFailure,
  type StrategyFailureReason,
} from "./pick-guard.js";
import type { WebhookRoute } from "./route-table.js";

/** Why nobody got the call. */
type NoPickReason = "roster cold" | "roster expired" | "nobody on call" | "no phones" | "strategy failed";

/** The outcome of routing one call, before it is rendered for Voys. */
export type CallDecision =
  | {
      /** Someone on call gets the call. */
      readonly kind: "pick";
      readonly responder: Responder;
      readonly phone: string;
      readonly rosterState: RosterState;
      /** With hunting: the caller's attempt and the level reached (`hunted` for a call back within the window). */
      readonly hunt?:
        | { readonly attempt: number; readonly level: number; readonly hunted: boolean }
        | undefined;
    }
  | {
      /** Nobody reachable: the route's fallback number or a NAK. */
      readonly kind: "none";
      readonly reason: NoPickReason;
      readonly rosterState: RosterState;
    };

/** What {@link routeCall} needs besides the route. */
export interface RouteCallDeps extends PickGuardDeps {
  readonly roster: Roster;
  readonly now: () => Date;
  /** How long a call may wait for the first roster load. */
  readonly coldStartWaitMs: number;
  /** Counts failed picks (`onStrategyFailure`). */
  readonly metrics?:
    | { onStrategyFailure(route: string, strategy: string, reason: StrategyFailureReason): void }
    | undefined;
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
 * and lets the route's strategy pick (on a hunting route with a caller id, the route's hunter decides
 * the level and who was tried already). Never touches PagerDuty; never rejects.
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
  if (route.hunter !== undefined && callerId !== undefined)
    return huntCall(route, route.hunter, { callerId, now, rosterState }, deps, log);
  const active = deps.roster.activeAt(now, { policyId: route.policyId, level: route.level });
  const reachable = active.filter((responder) => responder.phones.length > 0);
  if (reachable.length === 0) return { kind: "none", reason: emptyReason(rosterState, active), rosterState };
  try {
    const pick = await strategyPick(route, reachable, callerId, now, deps);
    return { kind: "pick", responder: pick.responder, phone: pick.phone, rosterState };
  } catch (error) {
    return strategyFailed(route, error, rosterState, deps, log);
  }
}

// The route's strategy among `candidates`, through the one guard: rejects with a StrategyFailure when
// the pick throws, rejects, answers outside the candidates or takes too long.
function strategyPick(
  route: WebhookRoute,
  candidates: readonly Responder[],
  callerId: string | undefined,
  now: Date,
  deps: RouteCallDeps,
): Promise<Pick> {
  return guardedPick(route.strategy, candidates, { route: route.name, callerId, now }, deps);
}

function strategyFailed(
  route: WebhookRoute,
  error: unknown,
  rosterState: RosterState,
  deps: RouteCallDeps,
  log: Logger,
): CallDecision {
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

// A caller on a hunting route: the hunter decides who is next (the strategy still picks within a level).
async function huntCall(
  route: WebhookRoute,
  hunter: Hunter,
  call: { callerId: string; now: Date; rosterState: RosterState },
  deps: RouteCallDeps,
  log: Logger,
): Promise<CallDecision> {
  const { callerId, now, rosterState } = call;
  const roster = deps.roster;
  try {
    const outcome = await hunter.route({
      route: route.name,
      policyId: route.policyId,
      level: route.level,
      callerId,
      now,
      roster,
      pick: (candidates) => strategyPick(route, candidates, callerId, now, deps),
    });
    if (outcome === undefined) {
      const active = roster.activeAt(now, { policyId: route.policyId, level: route.level });
      return { kind: "none", reason: emptyReason(rosterState, active), rosterState };
    }
    const hunt = { attempt: outcome.attempt, level: outcome.level, hunted: outcome.hunted };
    return { kind: "pick", responder: outcome.pick.responder, phone: outcome.pick.phone, rosterState, hunt };
  } catch (error) {
    return strategyFailed(route, error, rosterState, deps, log);
  }
}

function errorSummary(error: unknown): { name: string; message: string; code?: string } {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    return { name: error.name, message: error.message, ...(typeof code === "string" ? { code } : {}) };
  }
  return { name: "NonError", message: String(error) };
}
