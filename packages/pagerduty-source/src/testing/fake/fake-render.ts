// PagerDuty REST API v2 shapes (OpenAPI: Oncall, User, *Reference, ContactMethod, NotificationRule).
import type { StoredOnCall } from "./fake-scenario.js";
import type { FakeContactMethod, FakeNotificationRule, FakeUser } from "./fake-types.js";

const WEB = "https://example.pagerduty.com";
const CREATED_AT = "2024-01-01T00:00:00Z";
const DEFAULT_LABELS: Record<FakeContactMethod["type"], string> = {
  phone_contact_method: "Mobile",
  sms_contact_method: "Mobile",
  email_contact_method: "Work",
  push_notification_contact_method: "Phone",
};

type Json = Record<string, unknown>;

/** PagerDuty's error body: `{"error":{"message","code","errors"?}}`. */
export function errorBody(message: string, code: number, errors?: string[]): string {
  return JSON.stringify({ error: errors ? { message, code, errors } : { message, code } });
}

/** ISO 8601 without milliseconds, as PagerDuty writes times. */
function isoTime(date: Date | null): string | null {
  return date === null ? null : date.toISOString().replace(/\.\d{3}Z$/, "Z");
}

/** A `*_reference` object. */
function reference(base: string, type: string, id: string, summary: string, path: string): Json {
  return { id, type, summary, self: `${base}${path}`, html_url: `${WEB}${path}` };
}

/** A `user_reference`. */
export function userReference(base: string, id: string, user: FakeUser | undefined): Json {
  return reference(base, "user_reference", id, user?.name ?? id, `/users/${id}`);
}

/** A full user; `include` may hold `contact_methods` and `notification_rules` to expand them. */
export function renderUser(base: string, user: FakeUser, include: ReadonlySet<string>): Json {
  const methods = include.has("contact_methods")
    ? user.contactMethods.map((m) => renderContactMethod(base, user.id, m))
    : user.contactMethods.map((m) => contactMethodReference(base, user.id, m));
  const rules = (user.notificationRules ?? []).map((rule) =>
    include.has("notification_rules")
      ? renderNotificationRule(base, user, rule, false)
      : reference(
          base,
          "assignment_notification_rule_reference",
          rule.id,
          ruleSummary(rule),
          rulePath(user, rule),
        ),
  );
  return {
    ...reference(base, "user", user.id, user.name, `/users/${user.id}`),
    name: user.name,
    email: user.email ?? `${user.id.toLowerCase()}@example.com`,
    time_zone: "Europe/Amsterdam",
    color: "green",
    role: "user",
    avatar_url: "https://pd-static-assets.pagerduty.com/users/blank-avatar.png",
    description: null,
    invitation_sent: false,
    job_title: "Engineer",
    teams: [],
    contact_methods: methods,
    notification_rules: rules,
  };
}

/** A full contact method, typed by its kind (phone/SMS carry country_code, enabled, blacklisted). */
export function renderContactMethod(base: string, userId: string, method: FakeContactMethod): Json {
  const label = method.label ?? DEFAULT_LABELS[method.type];
  const common = {
    ...reference(base, method.type, method.id, label, methodPath(userId, method)),
    html_url: null,
  };
  const rendered: Json = { ...common, label, address: method.address };
  if (method.type === "phone_contact_method" || method.type === "sms_contact_method") {
    rendered.country_code = method.countryCode ?? 1;
    rendered.enabled = method.enabled ?? true;
    rendered.blacklisted = method.blacklisted ?? false;
  } else if (method.type === "email_contact_method") {
    rendered.send_short_email = false;
    rendered.enabled = method.enabled ?? true;
  } else {
    rendered.device_type = "android";
    rendered.sounds = [];
    rendered.created_at = CREATED_AT;
    rendered.blacklisted = method.blacklisted ?? false;
  }
  return rendered;
}

/** A `*_contact_method_reference`. */
function contactMethodReference(base: string, userId: string, method: FakeContactMethod): Json {
  const label = method.label ?? DEFAULT_LABELS[method.type];
  return {
    ...reference(base, `${method.type}_reference`, method.id, label, methodPath(userId, method)),
    html_url: null,
  };
}

/** An `assignment_notification_rule`; its contact method is a reference unless `expand`. */
export function renderNotificationRule(
  base: string,
  user: FakeUser,
  rule: FakeNotificationRule,
  expand: boolean,
): Json {
  const method = user.contactMethods.find((m) => m.id === rule.contactMethodId);
  const contactMethod = method
    ? expand
      ? renderContactMethod(base, user.id, method)
      : contactMethodReference(base, user.id, method)
    : {
        id: rule.contactMethodId,
        type: "phone_contact_method_reference",
        summary: null,
        self: null,
        html_url: null,
      };
  return {
    ...reference(base, "assignment_notification_rule", rule.id, ruleSummary(rule), rulePath(user, rule)),
    html_url: null,
    start_delay_in_minutes: rule.startDelayInMinutes,
    created_at: CREATED_AT,
    contact_method: contactMethod,
    urgency: rule.urgency,
  };
}

/** One `/oncalls` entry; `user` is a reference or (with `include[]=users`) a full user. */
export function renderOnCall(base: string, entry: StoredOnCall, user: Json): Json {
  const policyPath = `/escalation_policies/${entry.policyId}`;
  const schedulePath = `/schedules/${entry.scheduleId}`;
  return {
    escalation_policy: reference(
      base,
      "escalation_policy_reference",
      entry.policyId,
      entry.policyId,
      policyPath,
    ),
    escalation_level: entry.level,
    schedule:
      entry.scheduleId === null
        ? null
        : reference(base, "schedule_reference", entry.scheduleId, entry.scheduleId, schedulePath),
    user,
    start: isoTime(entry.start),
    end: isoTime(entry.end),
  };
}

function methodPath(userId: string, method: FakeContactMethod): string {
  return `/users/${userId}/contact_methods/${method.id}`;
}

function rulePath(user: FakeUser, rule: FakeNotificationRule): string {
  return `/users/${user.id}/notification_rules/${rule.id}`;
}

function ruleSummary(rule: FakeNotificationRule): string {
  return `${rule.startDelayInMinutes} minutes: channel ${rule.contactMethodId}`;
}
