// Test utilities shared by this package's tests (not part of any entry point; the scenario fixtures
// are in scenarios.ts, exported from the /testing entry).
import type { Shift, TimeWindow } from "@pagerduty-voys/core";
import type { FakeScenario } from "./fake/fake-types.js";
import { phoneUser, userId } from "./scenarios.js";

/** A window of `hours` from `since`. */
export function windowFrom(since: Date, hours = 24): TimeWindow {
  return { since, until: new Date(since.getTime() + hours * 3_600_000) };
}

/** A signal that never aborts. */
export function never(): AbortSignal {
  return new AbortController().signal;
}

/** Runs `fn` and returns what it rejected with (fails when it resolves). */
export async function rejectionOf(fn: () => Promise<unknown>): Promise<Error & Record<string, unknown>> {
  try {
    await fn();
  } catch (error) {
    return error as Error & Record<string, unknown>;
  }
  throw new Error("expected a rejection, but it resolved");
}

/** Users 1..`count` ({@link phoneUser}), all on call at level 1 of policy PA, with no end. */
export function team(count: number): FakeScenario {
  return {
    users: Array.from({ length: count }, (_, i) => phoneUser(i + 1)),
    oncalls: Array.from({ length: count }, (_, i) => ({ policyId: "PA", level: 1, userId: userId(i + 1) })),
  };
}

/** Each shift's responder id with the phones it has. */
export function phonesById(shifts: readonly Shift[]): Record<string, readonly string[]> {
  return Object.fromEntries(shifts.map((s) => [s.responder.id, s.responder.phones]));
}
