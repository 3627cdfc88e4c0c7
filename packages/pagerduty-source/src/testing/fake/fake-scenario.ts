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

/**
 * The demo scenario: policy `PDEMO01` with two level-1 users (Dutch mobiles, typed the way people
 * type them) and one level-2 user, plus SMS, e-mail and push methods that must never be called.
 * Every entry is permanent (start and end null), as for users a policy targets directly.
 */
export function sampleScenario(): FakeScenario {
  const users: FakeUser[] = [
    {
      id: "PUSER01",
      name: "Anna de Vries",
      contactMethods: [
        {
          id: "PCM01A",
          type: "phone_contact_method",
          countryCode: 31,
          address: "06-1111 1111",
          label: "Mobile",
        },
        { id: "PCM01B", type: "sms_contact_method", countryCode: 31, address: "0611111111", label: "Mobile" },
        { id: "PCM01C", type: "email_contact_method", address: "anna@example.com", label: "Work" },
      ],
      notificationRules: [
        { id: "PNR01A", contactMethodId: "PCM01B", startDelayInMinutes: 0, urgency: "high" },
        { id: "PNR01B", contactMethodId: "PCM01A", startDelayInMinutes: 1, urgency: "high" },
        { id: "PNR01C", contactMethodId: "PCM01C", startDelayInMinutes: 0, urgency: "low" },
      ],
    },
    {
      id: "PUSER02",
      name: "Bram Jansen",
      contactMethods: [
        {
          id: "PCM02A",
          type: "phone_contact_method",
          countryCode: 31,
          address: "6 2222 2222",
          label: "Mobile",
        },
        { id: "PCM02B", type: "push_notification_contact_method", address: "push-token-02", label: "Phone" },
      ],
      notificationRules: [
        { id: "PNR02A", contactMethodId: "PCM02A", startDelayInMinutes: 0, urgency: "high" },
      ],
    },
    {
      id: "PUSER03",
      name: "Chris Bakker",
      contactMethods: [
        {
          id: "PCM03A",
          type: "phone_contact_method",
          countryCode: 31,
          address: "0633333333",
          label: "Mobile",
        },
        { id: "PCM03B", type: "email_contact_method", address: "chris@example.com", label: "Work" },
      ],
      notificationRules: [
        { id: "PNR03A", contactMethodId: "PCM03A", startDelayInMinutes: 0, urgency: "high" },
      ],
    },
  ];
  const oncalls: FakeOnCall[] = [
    { policyId: "PDEMO01", level: 1, userId: "PUSER01", scheduleId: null, start: null, end: null },
    { policyId: "PDEMO01", level: 1, userId: "PUSER02", scheduleId: null, start: null, end: null },
    { policyId: "PDEMO01", level: 2, userId: "PUSER03", scheduleId: null, start: null, end: null },
  ];
  return { users, oncalls };
}

/** Validates a scenario and copies it (later changes to the caller's object have no effect). */
export function storeScenario(scenario: FakeScenario): StoredScenario {
  if (!scenario || !Array.isArray(scenario.users) || !Array.isArray(scenario.oncalls)) {
    throw new TypeError("fake PagerDuty: a scenario needs `users` and `oncalls` arrays");
  }
  const users = new Map<string, FakeUser>();
  for (const user of structuredClone(scenario.users) as FakeUser[]) {
    if (typeof user?.id !== "string" || user.id === "")
      throw new TypeError("fake PagerDuty: a user has no id");
    if (users.has(user.id)) throw new TypeError(`fake PagerDuty: duplicate user id ${user.id}`);
    if (!Array.isArray(user.contactMethods)) {
      throw new TypeError(`fake PagerDuty: user ${user.id} needs a contactMethods array`);
    }
    users.set(user.id, user);
  }
  const oncalls = scenario.oncalls.map((entry, index) => storeOnCall(entry, index));
  return { users, oncalls };
}

function storeOnCall(entry: FakeOnCall, index: number): StoredOnCall {
  const where = `fake PagerDuty: oncalls[${index}]`;
  if (typeof entry?.policyId !== "string" || typeof entry.userId !== "string") {
    throw new TypeError(`${where} needs policyId and userId`);
  }
  if (!Number.isInteger(entry.level) || entry.level < 1)
    throw new TypeError(`${where}.level must be an integer ≥ 1`);
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
  if (Number.isNaN(date.getTime())) throw new TypeError(`${where} is not a date`);
  return date;
}
