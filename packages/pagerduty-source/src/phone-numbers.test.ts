import { describe, expect, it } from "vitest";
import type { PagerDutyContactMethod, PagerDutyNotificationRule, PagerDutyUser } from "./pagerduty-types.js";
import { normalizePhoneNumber, selectPhoneNumbers } from "./phone-numbers.js";

describe("normalizePhoneNumber", () => {
  it.each([
    // Dutch mobiles the way people type them (the Python program sent "+3106-1111 1111").
    [31, "06-1111 1111", "+31611111111"],
    [31, "0611111111", "+31611111111"],
    [31, "6 1111 1111", "+31611111111"],
    [31, "06 12 34 51 11", "+31612345111"],
    [31, "(06) 1234-5111", "+31612345111"],
    [31, "020 123 4567", "+31201234567"],
    // Typed with the country code: with "+", with "00", without either.
    [31, "+31 6 1111 1111", "+31611111111"],
    [31, "0031 6 1111 1111", "+31611111111"],
    [31, "31611111111", "+31611111111"],
    // The address's own "+" wins over the country code field.
    [31, "+1 (555) 010-9999", "+15550109999"],
    // United States / NANP.
    [1, "(555) 010-9999", "+15550109999"],
    [1, "415-555-2671", "+14155552671"],
    [1, "415.555.2671", "+14155552671"],
    ["1", "4155552671", "+14155552671"],
    // Other countries: trunk prefixes dropped where the country drops them, kept in Italy.
    [44, "07700 900123", "+447700900123"],
    [49, "0151 23456789", "+4915123456789"],
    [32, "0470 12 34 56", "+32470123456"],
    [39, "06 1234 5678", "+390612345678"],
  ])("(%s, %j) → %s", (countryCode, address, expected) => {
    expect(normalizePhoneNumber(countryCode, address)).toBe(expected);
  });

  it.each([
    [31, "abc"],
    [31, "06-1111 1111 ext 12"],
    [31, "call 0611111111"],
    [31, "123"],
    [31, ""],
    [31, "   "],
    [31, "+"],
    [1, "555-0199"],
    [31, "061111111111111111"],
    [0, "0611111111"],
    [undefined, "0611111111"],
    [null, "0611111111"],
    ["3x", "0611111111"],
    [31, null],
    [31, undefined],
  ])("(%s, %j) → undefined, not a wrong number", (countryCode, address) => {
    expect(normalizePhoneNumber(countryCode as number, address as string)).toBeUndefined();
  });
});

const phone = (
  id: string,
  address: string,
  extra: Partial<PagerDutyContactMethod> = {},
): PagerDutyContactMethod => ({
  id,
  type: "phone_contact_method",
  country_code: 31,
  address,
  ...extra,
});
const rule = (
  contactMethodId: string,
  delay: number,
  urgency: string | undefined = "high",
): PagerDutyNotificationRule => ({
  id: `R-${contactMethodId}-${delay}`,
  type: "assignment_notification_rule",
  start_delay_in_minutes: delay,
  ...(urgency === undefined ? {} : { urgency }),
  contact_method: { id: contactMethodId, type: "phone_contact_method_reference" },
});
const user = (
  contact_methods: PagerDutyContactMethod[],
  notification_rules: PagerDutyNotificationRule[] = [],
): PagerDutyUser => ({ id: "PUSER", type: "user", name: "Test", contact_methods, notification_rules });

describe("selectPhoneNumbers", () => {
  it("returns only phone methods: never SMS, e-mail or push, even when rules name them", () => {
    const numbers = selectPhoneNumbers(
      user(
        [
          { id: "S", type: "sms_contact_method", country_code: 31, address: "0622222222" },
          { id: "E", type: "email_contact_method", address: "a@example.com" },
          { id: "U", type: "push_notification_contact_method", address: "token" },
          phone("P", "0611111111"),
        ],
        [rule("S", 0), rule("E", 0), rule("U", 0)],
      ),
    );
    expect(numbers).toEqual(["+31611111111"]);
  });

  it("never returns blacklisted or disabled phones, even when rules name them", () => {
    const numbers = selectPhoneNumbers(
      user(
        [
          phone("B", "0622222222", { blacklisted: true }),
          phone("D", "0633333333", { enabled: false }),
          phone("OK", "0644444444", { enabled: true, blacklisted: false }),
        ],
        [rule("B", 0), rule("D", 0)],
      ),
    );
    expect(numbers).toEqual(["+31644444444"]);
  });

  it("prefers phones named by high-urgency rules, ordered by start delay, and leaves the others out", () => {
    const numbers = selectPhoneNumbers(
      user(
        [
          phone("A", "0611111111"),
          phone("B", "0622222222"),
          phone("C", "0633333333"),
          phone("D", "0644444444"),
        ],
        [rule("C", 5), rule("A", 0), rule("D", 1, "low"), rule("A", 10)],
      ),
    );
    expect(numbers).toEqual(["+31611111111", "+31633333333"]);
  });

  it("treats a rule without urgency as high urgency (PagerDuty's default)", () => {
    const numbers = selectPhoneNumbers(
      user([phone("A", "0611111111"), phone("B", "0622222222")], [rule("B", 0, undefined)]),
    );
    expect(numbers).toEqual(["+31622222222"]);
  });

  it("uses every callable phone, in listed order, when the rules name none", () => {
    const numbers = selectPhoneNumbers(
      user(
        [
          phone("A", "0611111111"),
          { id: "E", type: "email_contact_method", address: "a@b.c" },
          phone("B", "0622222222"),
        ],
        [rule("E", 0), rule("A", 0, "low")],
      ),
    );
    expect(numbers).toEqual(["+31611111111", "+31622222222"]);
  });

  it("falls back to the other phones when the rules name only a number that does not normalise", () => {
    const numbers = selectPhoneNumbers(
      user([phone("J", "not a number"), phone("B", "0622222222")], [rule("J", 0)]),
    );
    expect(numbers).toEqual(["+31622222222"]);
  });

  it("deduplicates the same number entered twice", () => {
    const numbers = selectPhoneNumbers(
      user([phone("A", "06-1111 1111"), phone("B", "+31 6 11111111"), phone("C", "0622222222")]),
    );
    expect(numbers).toEqual(["+31611111111", "+31622222222"]);
  });

  it("ignores contact method references (a user fetched without include[]=contact_methods)", () => {
    const numbers = selectPhoneNumbers(
      user([{ id: "A", type: "phone_contact_method_reference", summary: "Mobile" }], [rule("A", 0)]),
    );
    expect(numbers).toEqual([]);
  });

  it("returns nothing for a user without contact methods or rules", () => {
    expect(selectPhoneNumbers({ id: "PX" })).toEqual([]);
  });
});
