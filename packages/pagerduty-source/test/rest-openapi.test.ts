// Holds the fake PagerDuty, and the requests our source sends it, to PagerDuty's published REST API v2
// description: the public repository PagerDuty/api-schema, reference/REST/openapiv3.json (checked at
// commit 2326e6b, 2026-08-14). The schemas below restate, in our own words, the facts of that document
// that matter here. When a copy of the document itself is at hand (PAGERDUTY_API_SCHEMA names a clone
// of that repository, its git directory, or the JSON file), the same answers are also validated against
// the document's own component schemas, allowing only the quirks reference/pagerduty.md lists.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync, statSync } from "node:fs";
import { join } from "node:path";
import { Ajv, type ValidateFunction } from "ajv";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createPagerDutySource } from "../src/index.js";
import { createFakePagerDuty, type FakePagerDuty, sampleScenario } from "../src/testing/index.js";

const NOW = new Date("2026-03-02T08:00:00Z");
const DAY_MS = 86_400_000;

// Query parameters the document defines for the two operations we call.
const ONCALLS_PARAMETERS = new Set([
  "time_zone",
  "limit",
  "offset",
  "total",
  "include[]",
  "user_ids[]",
  "escalation_policy_ids[]",
  "schedule_ids[]",
  "since",
  "until",
  "earliest",
]);
const USER_PARAMETERS = new Set(["include[]"]);
const USER_INCLUDES = new Set([
  "contact_methods",
  "notification_rules",
  "teams",
  "subdomains",
  "calendar_urls",
]);

const nullableString = { type: ["string", "null"] };
const reference = (types: string[]) => ({
  type: "object",
  required: ["id", "type"],
  properties: {
    id: { type: "string" },
    type: { enum: types },
    summary: nullableString,
    self: nullableString,
    html_url: nullableString,
  },
});
const dateTime = {
  type: "string",
  pattern: "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$",
};
const CONTACT_METHOD_TYPES = [
  "email_contact_method",
  "phone_contact_method",
  "push_notification_contact_method",
  "sms_contact_method",
  "whatsapp_contact_method",
];

const pagination = {
  offset: { type: "integer" },
  limit: { type: "integer" },
  more: { type: "boolean" },
  total: { type: ["integer", "null"] },
};

const onCallsPage = {
  type: "object",
  required: ["oncalls"],
  properties: {
    ...pagination,
    oncalls: {
      type: "array",
      items: {
        type: "object",
        properties: {
          escalation_policy: reference(["escalation_policy_reference"]),
          user: reference(["user_reference"]),
          schedule: { anyOf: [{ type: "null" }, reference(["schedule_reference"])] },
          escalation_level: { type: "integer" },
          // Typed as date-time in the document; its description says null means permanent.
          start: { anyOf: [{ type: "null" }, dateTime] },
          end: { anyOf: [{ type: "null" }, dateTime] },
        },
      },
    },
  },
};

const contactMethod = {
  type: "object",
  required: ["id", "type", "label", "address"],
  properties: {
    type: { enum: CONTACT_METHOD_TYPES },
    label: { type: "string" },
    address: { type: "string" },
  },
  if: { properties: { type: { enum: ["phone_contact_method", "sms_contact_method"] } } },
  // biome-ignore lint/suspicious/noThenProperty: JSON Schema's if/then keywords, not a thenable
  then: {
    required: ["country_code"],
    properties: {
      country_code: { type: "integer", minimum: 1, maximum: 1999 },
      enabled: { type: "boolean" },
      blacklisted: { type: "boolean" },
    },
  },
};

const notificationRule = {
  type: "object",
  required: ["id", "type", "start_delay_in_minutes", "urgency", "contact_method"],
  properties: {
    type: { const: "assignment_notification_rule" },
    start_delay_in_minutes: { type: "integer", minimum: 0 },
    urgency: { enum: ["high", "low"] },
    contact_method: reference(CONTACT_METHOD_TYPES.map((type) => `${type}_reference`)),
  },
};

const userAnswer = {
  type: "object",
  required: ["user"],
  properties: {
    user: {
      type: "object",
      required: ["id", "type", "name", "email"],
      properties: {
        type: { const: "user" },
        name: { type: "string", maxLength: 100 },
        email: { type: "string", minLength: 6, maxLength: 100 },
        contact_methods: { type: "array", items: contactMethod },
        notification_rules: { type: "array", items: notificationRule },
      },
    },
  },
};

const errorAnswer = {
  type: "object",
  required: ["error"],
  properties: {
    error: {
      type: "object",
      required: ["message", "code"],
      properties: {
        message: { type: "string" },
        code: { type: "integer" },
        errors: { type: "array", items: { type: "string" } },
      },
    },
  },
};

const ajv = new Ajv({ allErrors: true, strict: false });
const validators = {
  onCallsPage: ajv.compile(onCallsPage),
  userAnswer: ajv.compile(userAnswer),
  errorAnswer: ajv.compile(errorAnswer),
};

function problemsOf(validate: ValidateFunction, value: unknown): string[] {
  return validate(value) ? [] : (validate.errors ?? []).map((e) => `${e.instancePath} ${e.message}`);
}

let fake: FakePagerDuty;

beforeEach(async () => {
  const sample = sampleScenario();
  const scheduled = {
    policyId: "PDEMO01",
    level: 2,
    userId: "PUSER02",
    scheduleId: "PSCHED1",
    start: new Date(NOW.getTime() - 3_600_000),
    end: new Date(NOW.getTime() + 8 * 3_600_000),
  };
  fake = await createFakePagerDuty({
    now: () => NOW,
    scenario: { ...sample, oncalls: [...sample.oncalls, scheduled] },
  });
});
afterEach(async () => {
  await fake.close();
});

async function getJson(path: string, token = fake.token): Promise<{ status: number; body: unknown }> {
  const response = await fetch(`${fake.url}${path}`, {
    headers: { authorization: `Token token=${token}`, accept: "application/vnd.pagerduty+json;version=2" },
  });
  return { status: response.status, body: await response.json() };
}

const since = NOW.toISOString();
const until = new Date(NOW.getTime() + DAY_MS).toISOString();
const ONCALLS_PATH = `/oncalls?escalation_policy_ids[]=PDEMO01&since=${since}&until=${until}&limit=2&offset=0`;
const USER_PATH = "/users/PUSER01?include[]=contact_methods&include[]=notification_rules";

describe("the fake PagerDuty answers as PagerDuty's REST API v2 document describes", () => {
  it("pages /oncalls with the documented entry and pagination fields", async () => {
    const first = await getJson(ONCALLS_PATH);
    expect(first.status).toBe(200);
    expect(problemsOf(validators.onCallsPage, first.body)).toEqual([]);
    expect(first.body).toMatchObject({ limit: 2, offset: 0, more: true });
    const second = await getJson(ONCALLS_PATH.replace("offset=0", "offset=2"));
    expect(problemsOf(validators.onCallsPage, second.body)).toEqual([]);
    expect(second.body).toMatchObject({ offset: 2, more: false });
  });

  it("expands a user's contact methods and notification rules into the documented shapes", async () => {
    const answer = await getJson(USER_PATH);
    expect(answer.status).toBe(200);
    expect(problemsOf(validators.userAnswer, answer.body)).toEqual([]);
  });

  it("refuses a wrong token and an unknown user with PagerDuty's error body", async () => {
    const refused = await getJson(ONCALLS_PATH, "wrong-token");
    expect(refused.status).toBe(401);
    expect(problemsOf(validators.errorAnswer, refused.body)).toEqual([]);
    const missing = await getJson("/users/PNOBODY");
    expect(missing.status).toBe(404);
    expect(problemsOf(validators.errorAnswer, missing.body)).toEqual([]);
  });

  it("is caught by the schemas when an answer breaks the document", () => {
    const entry = { escalation_policy: { id: "P", type: "policy" }, escalation_level: "1", start: "today" };
    expect(problemsOf(validators.onCallsPage, { oncalls: [entry], more: "no" })).toEqual(
      expect.arrayContaining([
        "/more must be boolean",
        "/oncalls/0/escalation_policy/type must be equal to one of the allowed values",
        "/oncalls/0/escalation_level must be integer",
        '/oncalls/0/start must match pattern "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:\\d{2})$"',
      ]),
    );
    const phone = { id: "C", type: "phone_contact_method", label: "Mobile", address: "612345678" };
    const user = { id: "U", type: "user", name: "A", email: "a@example.com", contact_methods: [phone] };
    expect(problemsOf(validators.userAnswer, { user })).toEqual([
      "/user/contact_methods/0 must have required property 'country_code'",
      '/user/contact_methods/0 must match "then" schema',
    ]);
  });
});

describe("our PagerDuty source asks only what the document defines", () => {
  it("sends documented query parameters, and an `until` within 90 days", async () => {
    const source = createPagerDutySource({ apiKey: fake.token, apiUrl: fake.url, now: () => NOW });
    const window = { since: NOW, until: new Date(NOW.getTime() + DAY_MS) };
    const shifts = await source.shifts(["PDEMO01"], window, AbortSignal.timeout(5_000));
    expect(shifts.length).toBeGreaterThan(0);
    const requests = fake.requests;
    expect(requests.some((r) => r.path === "/oncalls")).toBe(true);
    expect(requests.some((r) => r.path.startsWith("/users/"))).toBe(true);
    for (const request of requests) {
      const allowed = request.path === "/oncalls" ? ONCALLS_PARAMETERS : USER_PARAMETERS;
      for (const key of request.query.keys()) expect(allowed, `${request.path} ${key}`).toContain(key);
      if (request.path.startsWith("/users/")) {
        for (const include of request.query.getAll("include[]")) expect(USER_INCLUDES).toContain(include);
      } else {
        const limit = Number(request.query.get("limit"));
        expect(limit).toBeGreaterThan(0);
        expect(limit).toBeLessThanOrEqual(100);
        const ahead = Date.parse(request.query.get("until") ?? "") - NOW.getTime();
        expect(ahead).toBeLessThan(90 * DAY_MS);
      }
    }
  });
});

/** The official document, when PAGERDUTY_API_SCHEMA points at a copy of PagerDuty/api-schema. */
function officialDocument(): Record<string, unknown> | undefined {
  const where = process.env.PAGERDUTY_API_SCHEMA;
  if (where === undefined || where === "" || !existsSync(where)) return undefined;
  const file = "reference/REST/openapiv3.json";
  if (statSync(where).isFile()) return JSON.parse(readFileSync(where, "utf8"));
  if (existsSync(join(where, file))) return JSON.parse(readFileSync(join(where, file), "utf8"));
  const text = execFileSync("git", ["--git-dir", where, "show", `HEAD:${file}`], {
    maxBuffer: 64 * 1024 * 1024,
  });
  return JSON.parse(text.toString("utf8"));
}

const document = officialDocument();

describe.skipIf(document === undefined)("against the official document itself (PAGERDUTY_API_SCHEMA)", () => {
  const official = new Ajv({ allErrors: true, strict: false, validateFormats: false });
  official.addSchema({ $id: "pagerduty-rest", components: document?.components });
  const schema = (name: string) => official.compile({ $ref: `pagerduty-rest#/components/schemas/${name}` });

  // The document types start, end and schedule as non-null, yet a user the policy targets directly is
  // on call with all three null (its own descriptions of `start`, `end` and `schedule_ids[]` say so).
  it("/oncalls entries and pagination match, except where start, end or schedule is null", async () => {
    const pages = [
      (await getJson(ONCALLS_PATH)).body,
      (await getJson(ONCALLS_PATH.replace("offset=0", "offset=2"))).body,
    ];
    const oncall = schema("Oncall");
    const nulls = new Set<string>();
    for (const page of pages as { oncalls: Record<string, unknown>[] }[]) {
      expect(problemsOf(schema("Pagination"), page)).toEqual([]);
      for (const entry of page.oncalls) {
        const quirk = (problem: string) => entry[problem.split(" ")[0]?.slice(1) ?? ""] === null;
        const problems = problemsOf(oncall, entry);
        expect(problems.filter((p) => !quirk(p))).toEqual([]);
        for (const problem of problems) nulls.add(problem.split(" ")[0] ?? "");
      }
    }
    expect([...nulls].sort()).toEqual(["/end", "/schedule", "/start"]);
  });

  it("a user with included contact methods and rules matches, each included object by its own schema", async () => {
    const { user } = (await getJson(USER_PATH)).body as { user: Record<string, unknown[]> };
    const { contact_methods: methods = [], notification_rules: rules = [], ...rest } = user;
    expect(problemsOf(schema("User"), rest)).toEqual([]);
    for (const method of methods as { type: string }[]) {
      const name = /phone|sms/.test(method.type) ? "PhoneContactMethod" : "ContactMethod";
      expect(problemsOf(schema(name), method)).toEqual([]);
    }
    for (const rule of rules) expect(problemsOf(schema("NotificationRule"), rule)).toEqual([]);
  });
});
