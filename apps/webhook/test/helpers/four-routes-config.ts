import type { FakeScenario, FakeUser } from "@pagerduty-voys/pagerduty-source/testing";

function user(id: string, name: string, national: string): FakeUser {
  return {
    id,
    name,
    contactMethods: [{ id: `C${id}`, type: "phone_contact_method", countryCode: 31, address: national }],
    notificationRules: [{ id: `R${id}`, contactMethodId: `C${id}`, startDelayInMinutes: 0, urgency: "high" }],
  };
}

/** E.164 numbers of the three-policy scenario's users, by user id. */
export const NUMBERS = {
  PSUP1: "+31612340001",
  PSUP2: "+31612340002",
  PBIL1: "+31612340003",
  PEME1: "+31612340004",
} as const;

/**
 * Three policies: PSUPPORT (level 1 PSUP1, level 2 PSUP2), PBILLING (level 1 PBIL1) and
 * PEMERGENCY (level 1 PEME1); every shift permanent, one number per user.
 */
export function threePolicyScenario(): FakeScenario {
  return {
    users: [
      user("PSUP1", "Sanne Support", "06 1234 0001"),
      user("PSUP2", "Sem Backup", "0612340002"),
      user("PBIL1", "Bente Billing", "06-12340003"),
      user("PEME1", "Eva Emergency", "612340004"),
    ],
    oncalls: [
      { policyId: "PSUPPORT", level: 1, userId: "PSUP1" },
      { policyId: "PSUPPORT", level: 2, userId: "PSUP2" },
      { policyId: "PBILLING", level: 1, userId: "PBIL1" },
      { policyId: "PEMERGENCY", level: 1, userId: "PEME1" },
    ],
  };
}

/** config.yaml with four routes over the three policies of {@link threePolicyScenario}. */
export const FOUR_ROUTES_YAML = `# four routes, three policies
routes:
  - name: support
    escalation_policy_id: PSUPPORT
    dids: ["+31208888888"]
  - name: billing
    escalation_policy_id: PBILLING
    strategy: round-robin
    dids: ["+31209999999"]
  - name: backup
    escalation_policy_id: PSUPPORT
    escalation_level: 2
  - name: emergency
    escalation_policy_id: PEMERGENCY
    fallback_number: "+31201234567"
`;

/** `status=ACK&destination=<number>` as the server renders it. */
export function ack(e164: string): string {
  return `status=ACK&destination=${encodeURIComponent(e164)}`;
}
