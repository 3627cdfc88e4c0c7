import { PdvError } from "@pagerduty-voys/core";
import { FAKE_PAGERDUTY_ERROR_CODES } from "../errors.js";
import type { FakeOnCall, FakeScenario, FakeUser } from "./fake-types.js";

/** A scenario entry with its times parsed. */
export interface StoredOnCall {
  /** Escalation policy id. */
  readonly policyId: string;
  /** Escalation level. */
  readonly level: number;
  /** User id. */
  readonly userId: string;
  /** Schedule id or null. */
  readonly scheduleId: string | null;
  /** Start or null. */
  readonly start: Date | null;
  /** End or null. */
  readonly end: Date | null;
}

/** A validated copy of a scenario, ready to serve. */
export interface StoredScenario {
  /** Users by id. */
  readonly users: ReadonlyMap<string, FakeUser>;
  /** Entries in scenario order. */
  readonly oncalls: readonly StoredOnCall[];
}

/** Validates a scenario and copies it (later changes to the caller's object have no effect). */
export function storeScenario(scenario: FakeScenario): StoredScenario {
  if (!scenario || !Array.isArray(scenario.users) || !Array.isArray(scenario.oncalls)) {
    throw invalidScenario("fake PagerDuty: a scenario needs `users` and `oncalls` arrays");
  }
  const users = new Map<string, FakeUser>();
  for (const user of structuredClone(scenario.users) as FakeUser[]) {
    if (typeof user?.id !== "string" || user.id === "")
      throw invalidScenario("fake PagerDuty: a user has no id");
    if (users.has(user.id)) throw invalidScenario(`fake PagerDuty: duplicate user id ${user.id}`);
    if (!Array.isArray(user.contactMethods)) {
      throw invalidScenario(`fake PagerDuty: user ${user.id} needs a contactMethods array`);
    }
    users.set(user.id, user);
  }
  const oncalls = scenario.oncalls.map((entry, index) => storeOnCall(entry, index));
  return { users, oncalls };
}

function storeOnCall(entry: FakeOnCall, index: number): StoredOnCall {
  const where = `fake PagerDuty: oncalls[${index}]`;
  if (typeof entry?.policyId !== "string" || typeof entry.userId !== "string") {
    throw invalidScenario(`${where} needs policyId and userId`);
  }
  if (!Number.isInteger(entry.level) || entry.level < 1)
    throw invalidScenario(`${where}.level must be an integer ≥ 1`);
  return {
    policyId: entry.policyId,
    level: entry.level,
    userId: entry.userId,
    scheduleId: entry.scheduleId ?? null,
    start: toDate(entry.start, `${where}.start`),
    end: toDate(entry.end, `${where}.end`),
  };
}

function toDate(value: string | Date | null | undefined, where: string): Date | null {
  if (value === null || value === undefined) return null;
  const date = new Date(value);
  if (Number.isNaN(date.getTime())) throw invalidScenario(`${where} is not a date`);
  return date;
}

function invalidScenario(message: string): PdvError {
  return new PdvError(FAKE_PAGERDUTY_ERROR_CODES.SCENARIO_INVALID, message);
}
