// Helpers shared by this package's tests (not part of any entry point).
import type { TimeWindow } from "@pagerduty-voys/core";
import type { FakeOnCall, FakeScenario, FakeUser } from "./fake/fake-types.js";

/** A user with one Dutch mobile `+316000nnnnn` (typed `06-000nnnnn`) and a high-urgency rule for it. */
export function phoneUser(n: number, name = `User ${n}`): FakeUser {
  const id = userId(n);
  return {
    id,
    name,
    contactMethods: [
      {
        id: `${id}-P`,
        type: "phone_contact_method",
        countryCode: 31,
        address: `06-000${String(n).padStart(5, "0")}`,
      },
    ],
    notificationRules: [
      { id: `${id}-R`, contactMethodId: `${id}-P`, startDelayInMinutes: 0, urgency: "high" },
    ],
  };
}

/** The E.164 number of {@link phoneUser}(n). */
export function phoneOf(n: number): string {
  return `+316000${String(n).padStart(5, "0")}`;
}

/** `PU00042` for 42. */
export function userId(n: number): string {
  return `PU${String(n).padStart(5, "0")}`;
}

/** Users 1..count, each on call once at `level` of `policyId` in consecutive hours from `start`. */
export function rotationScenario(
  count: number,
  options: { policyId?: string; level?: number; start: Date },
): FakeScenario {
  const users = Array.from({ length: count }, (_, i) => phoneUser(i + 1));
  const oncalls: FakeOnCall[] = users.map((user, i) => ({
    policyId: options.policyId ?? "PPOL001",
    level: options.level ?? 1,
    userId: user.id,
    scheduleId: "PSCHED1",
    start: new Date(options.start.getTime() + i * 3_600_000),
    end: new Date(options.start.getTime() + (i + 1) * 3_600_000),
  }));
  return { users, oncalls };
}

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
