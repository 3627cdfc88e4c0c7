import type { Responder, Shift } from "@pagerduty-voys/core";
import type { OnCallEntry } from "./oncalls.js";
import type { PagerDutyUser } from "./pagerduty-types.js";
import { selectPhoneNumbers } from "./phone-numbers.js";

/**
 * One Shift per distinct (user, policy, level, start, end) entry, in PagerDuty's order. Each user
 * becomes one Responder (shared by their shifts): name from the details, else the reference summary;
 * phones from the details, none when the details are missing.
 */
export function toShifts(
  entries: readonly OnCallEntry[],
  users: ReadonlyMap<string, PagerDutyUser | undefined>,
): Shift[] {
  const responders = new Map<string, Responder>();
  const seen = new Set<string>();
  const shifts: Shift[] = [];
  for (const entry of entries) {
    const key = [entry.userId, entry.policyId, entry.level, time(entry.start), time(entry.end)].join("|");
    if (seen.has(key)) continue;
    seen.add(key);
    let responder = responders.get(entry.userId);
    if (!responder) {
      responder = toResponder(entry, users.get(entry.userId));
      responders.set(entry.userId, responder);
    }
    shifts.push({
      responder,
      policyId: entry.policyId,
      level: entry.level,
      start: entry.start,
      end: entry.end,
    });
  }
  return shifts;
}

function toResponder(entry: OnCallEntry, user: PagerDutyUser | undefined): Responder {
  const name = nonEmpty(user?.name) ?? nonEmpty(user?.summary) ?? nonEmpty(entry.userSummary) ?? entry.userId;
  const phones = user ? selectPhoneNumbers(user) : [];
  return Object.freeze({ id: entry.userId, name, phones: Object.freeze(phones) });
}

function time(date: Date | null): string {
  return date === null ? "-" : String(date.getTime());
}

function nonEmpty(value: string | null | undefined): string | undefined {
  return typeof value === "string" && value.trim() !== "" ? value : undefined;
}
