// The parts of PagerDuty REST API v2 objects this package reads. Everything is optional or loose
// on purpose: answers are validated where they are used, never trusted.

/** A `*_reference` object: `{ id, type, summary, self, html_url }`. */
export interface PagerDutyReference {
  /** Object id, e.g. `PABC123`. */
  readonly id: string;
  /** e.g. `user_reference`. */
  readonly type?: string;
  /** Short display text (a user's name for a user reference). */
  readonly summary?: string | null;
  /** API URL of the object. */
  readonly self?: string | null;
  /** Web URL of the object. */
  readonly html_url?: string | null;
}

/** A contact method as `include[]=contact_methods` returns it (or only a reference without it). */
export interface PagerDutyContactMethod extends PagerDutyReference {
  /** `phone_contact_method`, `sms_contact_method`, `email_contact_method`, ... or `*_reference`. */
  readonly type?: string;
  /** Phone: the number without the country code, as the user typed it. */
  readonly address?: string;
  /** Phone and SMS: the calling code, 1 to 1999. */
  readonly country_code?: number;
  /** e.g. `Mobile`. */
  readonly label?: string;
  /** True when PagerDuty blocked the number; never call it. */
  readonly blacklisted?: boolean;
  /** False when the method cannot receive notifications; never call it. */
  readonly enabled?: boolean;
}

/** A notification rule as `include[]=notification_rules` returns it. */
export interface PagerDutyNotificationRule extends PagerDutyReference {
  /** Minutes after the incident before this rule fires. */
  readonly start_delay_in_minutes?: number;
  /** `high` or `low`; PagerDuty's default is `high`. */
  readonly urgency?: string;
  /** The contact method the rule notifies (a reference or the full object). */
  readonly contact_method?: PagerDutyContactMethod | null;
}

/** A user from `GET /users/{id}?include[]=contact_methods&include[]=notification_rules`. */
export interface PagerDutyUser extends PagerDutyReference {
  /** Display name. */
  readonly name?: string;
  /** e-mail address (never used for routing). */
  readonly email?: string;
  /** Full contact methods (references only without `include[]=contact_methods`). */
  readonly contact_methods?: readonly PagerDutyContactMethod[];
  /** Full notification rules (references only without `include[]=notification_rules`). */
  readonly notification_rules?: readonly PagerDutyNotificationRule[];
}

/** One entry of `GET /oncalls`. */
export interface PagerDutyOnCall {
  /** The policy the entry belongs to. */
  readonly escalation_policy: PagerDutyReference;
  /** 1 = first responder. */
  readonly escalation_level: number;
  /** The schedule the entry comes from, or null for a user targeted directly. */
  readonly schedule?: PagerDutyReference | null;
  /** Who is on call (a `user_reference`, or a user with `include[]=users`). */
  readonly user: PagerDutyReference & { readonly name?: string };
  /** ISO start, or null for a permanent entry. */
  readonly start: string | null;
  /** ISO end, or null when the user does not go off call. */
  readonly end: string | null;
}
