import { type PhoneNumber, parsePhoneNumberFromString } from "libphonenumber-js";
import type { PagerDutyContactMethod, PagerDutyNotificationRule, PagerDutyUser } from "./pagerduty-types.js";

// Digits and the punctuation people type in phone numbers; anything else (letters, "ext") is junk.
const PHONE_TEXT = /^\+?[\d\s().\-/]+$/;

/**
 * Normalises a PagerDuty phone contact method (`country_code` + `address`) to E.164, e.g.
 * `(31, "06-1111 1111")` → `+31611111111`. Returns undefined when the address is not a possible
 * number, rather than a wrong one.
 */
export function normalizePhoneNumber(
  countryCode: number | string | null | undefined,
  address: string | null | undefined,
): string | undefined {
  const text = typeof address === "string" ? address.trim() : "";
  if (!PHONE_TEXT.test(text)) return undefined;
  if (text.startsWith("+")) return possibleE164(text);
  const cc = String(countryCode ?? "");
  if (!/^[1-9]\d{0,3}$/.test(cc)) return undefined;
  let digits = text.replace(/\D/g, "");
  // Typed with the international prefix: "0031 6 ..." for country code 31.
  if (digits.startsWith(`00${cc}`)) digits = digits.slice(2 + cc.length);
  const national = parse(`+${cc}${digits}`);
  // Typed with the country code but without "+": "31 6 1111 1111".
  const international = digits.startsWith(cc) ? parse(`+${digits}`) : undefined;
  // A valid reading wins; a merely possible one (fictional 555 numbers) only when no reading is valid.
  if (national?.isValid()) return national.number;
  if (international?.isValid()) return international.number;
  return national?.isPossible() ? national.number : undefined;
}

function parse(text: string): PhoneNumber | undefined {
  return parsePhoneNumberFromString(text);
}

function possibleE164(text: string): string | undefined {
  const parsed = parse(text);
  return parsed?.isPossible() ? parsed.number : undefined;
}

/** True when a contact method is a phone (voice) method we may call: not blacklisted, not disabled. */
function isCallablePhone(method: PagerDutyContactMethod | null | undefined): boolean {
  return (
    method?.type === "phone_contact_method" &&
    typeof method.address === "string" &&
    method.blacklisted !== true &&
    method.enabled !== false
  );
}

/**
 * The E.164 numbers to call for a user, preferred first: the phone methods named by high-urgency
 * notification rules (a missing urgency counts as high), by `start_delay_in_minutes`; all other
 * phone methods only when the rules name none that is usable. Never SMS, e-mail, push, blacklisted
 * or disabled methods; duplicates and numbers that do not normalise are dropped.
 */
export function selectPhoneNumbers(user: PagerDutyUser): string[] {
  const callable = new Map<string, PagerDutyContactMethod>();
  for (const method of user.contact_methods ?? []) {
    if (isCallablePhone(method)) callable.set(method.id, method);
  }
  const ruled = highUrgencyRules(user.notification_rules ?? []).flatMap((rule) => {
    const embedded = rule.contact_method;
    const method = embedded ? (callable.get(embedded.id) ?? embedded) : undefined;
    return isCallablePhone(method) ? [method as PagerDutyContactMethod] : [];
  });
  const preferred = toE164(ruled);
  return preferred.length > 0 ? preferred : toE164([...callable.values()]);
}

function highUrgencyRules(rules: readonly PagerDutyNotificationRule[]): PagerDutyNotificationRule[] {
  const delay = (rule: PagerDutyNotificationRule): number =>
    typeof rule.start_delay_in_minutes === "number" ? rule.start_delay_in_minutes : Number.POSITIVE_INFINITY;
  return rules
    .filter((rule) => (rule.urgency ?? "high") === "high" && typeof rule.contact_method?.id === "string")
    .sort((a, b) => delay(a) - delay(b));
}

function toE164(methods: readonly PagerDutyContactMethod[]): string[] {
  const numbers = new Set<string>();
  for (const method of methods) {
    const number = normalizePhoneNumber(method.country_code, method.address);
    if (number !== undefined) numbers.add(number);
  }
  return [...numbers];
}
