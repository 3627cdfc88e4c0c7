import {
  type PickContext,
  type Responder,
  type RoutingStrategy,
  realTimers,
  type Pick as StrategyPick,
  type Timers,
  withTimeout,
} from "@pagerduty-voys/core";
import { isE164 } from "@pagerduty-voys/voys-adapter";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";

/** Longest a strategy's pick may take before the call goes to the fallback or a NAK (Voys waits a few seconds). */
export const PICK_TIMEOUT_MS = 800;

/** Why a pick failed, as labelled in `pagerduty_voys_strategy_failures_total`. */
export type StrategyFailureReason = "error" | "timeout" | "invalid_pick";

/** A pick the guard refused; `reason` labels the metric. */
export class StrategyFailure extends ServerError {
  /** Creates the failure of one pick: why, a message naming the strategy, and what it threw. */
  constructor(
    readonly reason: StrategyFailureReason,
    message: string,
    cause?: unknown,
  ) {
    const code =
      reason === "invalid_pick" ? SERVER_ERROR_CODES.STRATEGY_BAD_PICK : SERVER_ERROR_CODES.STRATEGY_FAILED;
    super(code, message, cause === undefined ? {} : { cause });
    this.name = "StrategyFailure";
  }
}

/** What the guard needs: timers and the bound (both optional). */
export interface PickGuardDeps {
  /** Timers bounding a pick (default Node's). */
  readonly timers?: Timers | undefined;
  /** Bound on one pick (default {@link PICK_TIMEOUT_MS}). */
  readonly pickTimeoutMs?: number | undefined;
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
  deps: PickGuardDeps,
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
      const ms = deps.pickTimeoutMs ?? PICK_TIMEOUT_MS;
      pick = await withTimeout(
        pending,
        ms,
        deps.timers ?? realTimers,
        () => new StrategyFailure("timeout", `strategy "${strategy.name}" did not pick within ${ms} ms`),
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
