// Test utilities shared by this package's tests (not part of any entry point; the scenario fixtures
// are in scenarios.ts, exported from the /testing entry).
import type { TimeWindow } from "@pagerduty-voys/core";

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
