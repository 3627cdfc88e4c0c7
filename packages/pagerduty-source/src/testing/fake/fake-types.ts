/** What the fake PagerDuty knows: users with contact methods and rules, and on-call entries. */
export interface FakeScenario {
  /** Every user the fake can describe. */
  readonly users: readonly FakeUser[];
  /** On-call entries, as `/oncalls` would list them (one per user, policy, level and shift). */
  readonly oncalls: readonly FakeOnCall[];
}

/** A PagerDuty user. */
export interface FakeUser {
  /** User id, e.g. `PUSER01`. */
  readonly id: string;
  /** Display name. */
  readonly name: string;
  /** e-mail address; default `<id>@example.com` (lower case). */
  readonly email?: string;
  /** Contact methods, in the order PagerDuty lists them. */
  readonly contactMethods: readonly FakeContactMethod[];
  /** Notification rules; default none. */
  readonly notificationRules?: readonly FakeNotificationRule[];
}

/** A contact method of a user. */
export interface FakeContactMethod {
  /** Contact method id. */
  readonly id: string;
  /** The PagerDuty type. */
  readonly type:
    | "phone_contact_method"
    | "sms_contact_method"
    | "email_contact_method"
    | "push_notification_contact_method";
  /** Phone and SMS: the calling code (e.g. 31). */
  readonly countryCode?: number;
  /** The number without country code as the user typed it (e.g. `06-1111 1111`), or an e-mail address. */
  readonly address: string;
  /** e.g. `Mobile`; default by type. */
  readonly label?: string;
  /** PagerDuty blocked this number; default false. */
  readonly blacklisted?: boolean;
  /** Can receive notifications; default true. */
  readonly enabled?: boolean;
}

/** A notification rule: notify `contactMethodId` after `startDelayInMinutes` for incidents of `urgency`. */
export interface FakeNotificationRule {
  /** Rule id. */
  readonly id: string;
  /** Which contact method the rule notifies. */
  readonly contactMethodId: string;
  /** Minutes after the incident. */
  readonly startDelayInMinutes: number;
  /** Incident urgency the rule applies to. */
  readonly urgency: "high" | "low";
}

/** One `/oncalls` entry. */
export interface FakeOnCall {
  /** Escalation policy id. */
  readonly policyId: string;
  /** Escalation level (1 = first). */
  readonly level: number;
  /** Who is on call; an id missing from `users` gives a 404 on `/users/{id}` (a deleted user). */
  readonly userId: string;
  /** Schedule id, or null/absent for a user targeted directly by the policy. */
  readonly scheduleId?: string | null;
  /** Start (ISO string or Date); null/absent: permanent. */
  readonly start?: string | Date | null;
  /** End (ISO string or Date); null/absent: open-ended. */
  readonly end?: string | Date | null;
}

/**
 * A failure mode: `rate-limit` (429 with ratelimit-* headers and PagerDuty's body), `rate-limit-bare`
 * (429, no headers, no body), `error-500` (PagerDuty JSON error), `bad-gateway` (502 HTML), `hang`
 * (never answers), `refuse` (stops listening: connection refused), `unauthorized` (401 whatever the
 * token) and `forbidden` (403, a key without access to a resource).
 */
export type FakeFault =
  | "rate-limit"
  | "rate-limit-bare"
  | "error-500"
  | "bad-gateway"
  | "hang"
  | "refuse"
  | "unauthorized"
  | "forbidden";

/**
 * A failure mode of the fake Events API (`POST /v2/enqueue`), apart from the REST faults: `down`
 * (the connection is reset, no answer), `hang` (never answers), `rate-limit` (429 with
 * `Retry-After`), `error-500`, and `invalid` (400 "invalid event", as for an event PagerDuty refuses).
 */
export type FakeEventsFault = "down" | "hang" | "rate-limit" | "error-500" | "invalid";

/** An event the fake Events API accepted. */
export interface FakeEvent {
  /** The event as received (parsed JSON). */
  readonly event: Readonly<Record<string, unknown>>;
  /** The dedup key answered (the event's own, or one the fake made up). */
  readonly dedupKey: string;
  /** When it was accepted (the fake's clock). */
  readonly at: Date;
}

/** Options of `setFault`. */
export interface FakeFaultOptions {
  /** Fault only requests whose path equals this string or matches this RegExp (not for `refuse`). */
  readonly match?: string | RegExp;
  /** `ratelimit-reset` seconds sent with `rate-limit`; default 30. */
  readonly resetSeconds?: number;
}

/** One request the fake received. */
export interface FakeRequest {
  /** HTTP method. */
  readonly method: string;
  /** Path without query, e.g. `/users/PUSER01`. */
  readonly path: string;
  /** The query string, parsed. */
  readonly query: URLSearchParams;
  /** Status answered, or null while unanswered (latency, `hang`). */
  readonly status: number | null;
  /** When it arrived (the fake's clock). */
  readonly at: Date;
}

/** Options of `createFakePagerDuty`. */
export interface FakePagerDutyOptions {
  /** Initial scenario; default `sampleScenario()`. */
  readonly scenario?: FakeScenario;
  /** The API key the fake accepts; default `fake-pagerduty-token`. */
  readonly token?: string;
  /** Clock: default since/until of `/oncalls`, request times, the rate-limit window. */
  readonly now?: () => Date;
  /** Interface to listen on; default `127.0.0.1`. */
  readonly host?: string;
  /** Port; default 0 (a free one). */
  readonly port?: number;
}

/** A running fake PagerDuty REST API v2 and Events API v2 (`POST /v2/enqueue`) on loopback. */
export interface FakePagerDuty {
  /** Base URL, e.g. `http://127.0.0.1:PORT`; pass it as `apiUrl`. */
  readonly url: string;
  /** The accepted API key. */
  readonly token: string;
  /** Every request received since start or `clearRequests()`, oldest first. */
  readonly requests: readonly FakeRequest[];
  /** The most requests that were being handled at once since start or `clearRequests()`. */
  readonly maxConcurrentRequests: number;
  /** Replaces the scenario for the next request; throws `PDV_ERR_TESTING_FAKE_SCENARIO_INVALID`. */
  setScenario(scenario: FakeScenario): void;
  /** Delays every answer by `ms`. */
  setLatency(ms: number): void;
  /**
   * Sets (or with null clears) a fault. Resolves once it is in effect: after `refuse` nothing
   * listens; after leaving `refuse` the same port listens again (await it before the next request).
   */
  setFault(fault: FakeFault | null, options?: FakeFaultOptions): Promise<void>;
  /** Events accepted by `POST /v2/enqueue` (the Events API v2), oldest first. */
  readonly events: readonly FakeEvent[];
  /** Sets (or with null clears) a fault of the Events API only; `retryAfterSeconds` (default 1) goes with `rate-limit`. */
  setEventsFault(fault: FakeEventsFault | null, options?: { readonly retryAfterSeconds?: number }): void;
  /**
   * Resolves with the accepted events once there are at least `count`; rejects after `timeoutMs`
   * (default 5000) with `PDV_ERR_TESTING_FAKE_EVENTS_TIMEOUT`.
   */
  waitForEvents(count: number, timeoutMs?: number): Promise<readonly FakeEvent[]>;
  /** Forgets the accepted events. */
  clearEvents(): void;
  /** Empties `requests` and resets `maxConcurrentRequests`. */
  clearRequests(): void;
  /** Ends hung and pending requests, stops listening, and resolves when closed. */
  close(): Promise<void>;
}
