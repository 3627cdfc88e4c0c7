// The one set of scenario fixtures for the fake PagerDuty: every package's tests build their users
// and scenarios here, with the one user builder `fakeUser`.
import type {
  FakeContactMethod,
  FakeNotificationRule,
  FakeOnCall,
  FakeScenario,
  FakeUser,
} from "./fake/fake-types.js";

/** A phone of {@link fakeUser}: the number as typed (calling code 31), or that with other fields of the method. */
export type FakePhone = string | (Partial<Omit<FakeContactMethod, "type">> & { readonly address: string });

/** Options of {@link fakeUser}. */
export interface FakeUserOptions {
  /** Display name; default `User <id>`. */
  readonly name?: string;
  /** Contact methods listed after the phones (SMS, e-mail, push: methods a call must never use). */
  readonly otherMethods?: readonly FakeContactMethod[];
  /** The notification rules, instead of one high-urgency rule per phone (delays 0, 1, 2… in phone order). */
  readonly rules?: readonly FakeNotificationRule[];
}

/**
 * A user whose phones (contact method ids `<id>-P1`, `<id>-P2`…) each have a high-urgency
 * notification rule (`<id>-R1`…), in phone order; `phones` empty for a user without a phone.
 */
export function fakeUser(id: string, phones: readonly FakePhone[], options: FakeUserOptions = {}): FakeUser {
  const methods: FakeContactMethod[] = phones.map((phone, i) => ({
    id: `${id}-P${i + 1}`,
    countryCode: 31,
    ...(typeof phone === "string" ? { address: phone } : phone),
    type: "phone_contact_method",
  }));
  const rules = methods.map(
    (method, i): FakeNotificationRule => ({
      id: `${id}-R${i + 1}`,
      contactMethodId: method.id,
      startDelayInMinutes: i,
      urgency: "high",
    }),
  );
  return {
    id,
    name: options.name ?? `User ${id}`,
    contactMethods: [...methods, ...(options.otherMethods ?? [])],
    notificationRules: options.rules ?? rules,
  };
}

/**
 * The demo scenario: policy `PDEMO01` with two level-1 users (Dutch mobiles, typed the way people
 * type them) and one level-2 user, plus SMS, e-mail and push methods that must never be called.
 * Every entry is permanent (start and end null), as for users a policy targets directly.
 */
export function sampleScenario(): FakeScenario {
  const users: FakeUser[] = [
    fakeUser("PUSER01", [{ id: "PCM01A", address: "06-1111 1111", label: "Mobile" }], {
      name: "Anna de Vries",
      otherMethods: [
        { id: "PCM01B", type: "sms_contact_method", countryCode: 31, address: "0611111111", label: "Mobile" },
        { id: "PCM01C", type: "email_contact_method", address: "anna@example.com", label: "Work" },
      ],
      rules: [
        { id: "PNR01A", contactMethodId: "PCM01B", startDelayInMinutes: 0, urgency: "high" },
        { id: "PNR01B", contactMethodId: "PCM01A", startDelayInMinutes: 1, urgency: "high" },
        { id: "PNR01C", contactMethodId: "PCM01C", startDelayInMinutes: 0, urgency: "low" },
      ],
    }),
    fakeUser("PUSER02", [{ id: "PCM02A", address: "6 2222 2222", label: "Mobile" }], {
      name: "Bram Jansen",
      otherMethods: [
        { id: "PCM02B", type: "push_notification_contact_method", address: "push-token-02", label: "Phone" },
      ],
      rules: [{ id: "PNR02A", contactMethodId: "PCM02A", startDelayInMinutes: 0, urgency: "high" }],
    }),
    fakeUser("PUSER03", [{ id: "PCM03A", address: "0633333333", label: "Mobile" }], {
      name: "Chris Bakker",
      otherMethods: [
        { id: "PCM03B", type: "email_contact_method", address: "chris@example.com", label: "Work" },
      ],
      rules: [{ id: "PNR03A", contactMethodId: "PCM03A", startDelayInMinutes: 0, urgency: "high" }],
    }),
  ];
  const oncalls: FakeOnCall[] = [
    { policyId: "PDEMO01", level: 1, userId: "PUSER01", scheduleId: null, start: null, end: null },
    { policyId: "PDEMO01", level: 1, userId: "PUSER02", scheduleId: null, start: null, end: null },
    { policyId: "PDEMO01", level: 2, userId: "PUSER03", scheduleId: null, start: null, end: null },
  ];
  return { users, oncalls };
}

/** `PU00042` for 42: the id of {@link phoneUser}(42). */
export function userId(n: number): string {
  return `PU${String(n).padStart(5, "0")}`;
}

/** User `n`: {@link userId}(n) with one Dutch mobile `+316000nnnnn` (typed `06-000nnnnn`). */
export function phoneUser(n: number, name = `User ${n}`): FakeUser {
  return fakeUser(userId(n), [`06-000${String(n).padStart(5, "0")}`], { name });
}

/** The E.164 number of {@link phoneUser}(n). */
export function phoneOf(n: number): string {
  return `+316000${String(n).padStart(5, "0")}`;
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

/**
 * Policy PDEMO01: level 1 Anna (one mobile, plus an SMS method her first rule names), Bram (two
 * mobiles, both in his high-urgency rules) and Dirk (only a blacklisted and a disabled phone, and
 * SMS); level 2 Chris. Policy PSUPP01: level 1 Eva.
 */
export function testScenario(): FakeScenario {
  const users: FakeUser[] = [
    fakeUser("PANNA01", [{ id: "CA1", address: "06-1111 1111" }], {
      name: "Anna de Vries",
      otherMethods: [{ id: "CA2", type: "sms_contact_method", countryCode: 31, address: "0619999991" }],
      rules: [
        { id: "RA1", contactMethodId: "CA2", startDelayInMinutes: 0, urgency: "high" },
        { id: "RA2", contactMethodId: "CA1", startDelayInMinutes: 1, urgency: "high" },
      ],
    }),
    fakeUser("PBRAM01", ["0622222221", "0622222222"], { name: "Bram Jansen" }),
    fakeUser(
      "PDIRK01",
      [
        { id: "CD1", address: "0644444444", blacklisted: true },
        { id: "CD2", address: "0655555555", enabled: false },
      ],
      {
        name: "Dirk Smit",
        otherMethods: [{ id: "CD3", type: "sms_contact_method", countryCode: 31, address: "0666666666" }],
        rules: [{ id: "RD1", contactMethodId: "CD3", startDelayInMinutes: 0, urgency: "high" }],
      },
    ),
    fakeUser("PCHRIS1", ["0633333333"], { name: "Chris Bakker" }),
    fakeUser("PEVA001", ["0677777777"], { name: "Eva Visser" }),
  ];
  return {
    users,
    oncalls: [
      { policyId: "PDEMO01", level: 1, userId: "PANNA01" },
      { policyId: "PDEMO01", level: 1, userId: "PBRAM01" },
      { policyId: "PDEMO01", level: 1, userId: "PDIRK01" },
      { policyId: "PDEMO01", level: 2, userId: "PCHRIS1" },
      { policyId: "PSUPP01", level: 1, userId: "PEVA001" },
    ],
  };
}

/** Every number in {@link testScenario} that a call may reach at PDEMO01 level 1. */
export const LEVEL1_NUMBERS: readonly string[] = ["+31611111111", "+31622222221", "+31622222222"];

/** Numbers of {@link testScenario} never to return for PDEMO01 level 1 (SMS, blacklisted, disabled, level 2). */
export const FORBIDDEN_NUMBERS: readonly string[] = [
  "+31619999991",
  "+31644444444",
  "+31655555555",
  "+31666666666",
  "+31633333333",
];

/**
 * Three policies: PSUPPORT (level 1 PSUP1, level 2 PSUP2), PBILLING (level 1 PBIL1) and
 * PEMERGENCY (level 1 PEME1); every shift permanent, one number per user, typed four ways.
 */
export function threePolicyScenario(): FakeScenario {
  return {
    users: [
      fakeUser("PSUP1", ["06 1234 0001"], { name: "Sanne Support" }),
      fakeUser("PSUP2", ["0612340002"], { name: "Sem Backup" }),
      fakeUser("PBIL1", ["06-12340003"], { name: "Bente Billing" }),
      fakeUser("PEME1", ["612340004"], { name: "Eva Emergency" }),
    ],
    oncalls: [
      { policyId: "PSUPPORT", level: 1, userId: "PSUP1" },
      { policyId: "PSUPPORT", level: 2, userId: "PSUP2" },
      { policyId: "PBILLING", level: 1, userId: "PBIL1" },
      { policyId: "PEMERGENCY", level: 1, userId: "PEME1" },
    ],
  };
}

/** E.164 numbers of the {@link threePolicyScenario} users, by user id. */
export const THREE_POLICY_NUMBERS = {
  PSUP1: "+31612340001",
  PSUP2: "+31612340002",
  PBIL1: "+31612340003",
  PEME1: "+31612340004",
} as const;
