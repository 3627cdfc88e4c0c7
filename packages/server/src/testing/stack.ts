import {
  createFakePagerDuty,
  type FakeFault,
  type FakePagerDuty,
  type FakeScenario,
  type FakeUser,
} from "@pagerduty-voys/pagerduty-source/testing";
import type { FastifyInstance } from "fastify";
import type { BuildServerOptions } from "../index.js";
import { build, captureLogs, type LogCapture, query, waitReady } from "./helpers.js";

/** A fake PagerDuty and a webhook server wired to it, listening on loopback. */
export interface Stack {
  readonly fake: FakePagerDuty;
  readonly app: FastifyInstance;
  /** `http://127.0.0.1:PORT`. */
  readonly base: string;
  readonly logs: LogCapture;
  /** GET `path?secret_key=…&extra`; resolves with status and body. */
  call(
    path?: string,
    extra?: Record<string, string>,
    secret?: string | null,
  ): Promise<{ status: number; body: string }>;
  /** Closes server and fake. */
  close(): Promise<void>;
}

/** Starts the fake (optionally with a fault already set) and a server against it, listening on `host`. */
export async function startStack(
  options: {
    scenario?: FakeScenario;
    server?: Partial<BuildServerOptions>;
    fault?: FakeFault;
    host?: string;
    ready?: boolean;
  } = {},
): Promise<Stack> {
  const fake = await createFakePagerDuty(options.scenario ? { scenario: options.scenario } : {});
  if (options.fault) await fake.setFault(options.fault);
  const logs = captureLogs();
  const app = await build({
    pagerduty: { apiKey: fake.token, apiUrl: fake.url, requestTimeoutMs: 1_000 },
    routes: [{ name: "default", policyId: "PDEMO01" }],
    logStream: logs.stream,
    ...options.server,
  });
  await app.listen({ host: options.host ?? "127.0.0.1", port: 0 });
  const address = app.server.address();
  const port = typeof address === "object" && address !== null ? address.port : 0;
  const base = `http://${(options.host ?? "127.0.0.1").includes(":") ? `[${options.host}]` : (options.host ?? "127.0.0.1")}:${port}`;
  if (options.ready !== false && !options.fault) await waitReady(app);
  return {
    fake,
    app,
    base,
    logs,
    async call(path = "/voys-webhook", extra = {}, secret) {
      const res = await fetch(`${base}${path}?${query(extra, secret)}`);
      return { status: res.status, body: await res.text() };
    },
    async close() {
      await app.close();
      await fake.close();
    },
  };
}

function phone(id: string, address: string, extra: Partial<FakeUser["contactMethods"][number]> = {}) {
  return { id, type: "phone_contact_method" as const, countryCode: 31, address, label: "Mobile", ...extra };
}

/**
 * Policy PDEMO01: level 1 Anna (one mobile, plus an SMS method), Bram (two mobiles, both in his
 * high-urgency rules) and Dirk (only a blacklisted and a disabled phone, and SMS); level 2 Chris.
 * Policy PSUPP01: level 1 Eva.
 */
export function testScenario(): FakeScenario {
  const users: FakeUser[] = [
    {
      id: "PANNA01",
      name: "Anna de Vries",
      contactMethods: [
        phone("CA1", "06-1111 1111"),
        { id: "CA2", type: "sms_contact_method", countryCode: 31, address: "0619999991" },
      ],
      notificationRules: [
        { id: "RA1", contactMethodId: "CA2", startDelayInMinutes: 0, urgency: "high" },
        { id: "RA2", contactMethodId: "CA1", startDelayInMinutes: 1, urgency: "high" },
      ],
    },
    {
      id: "PBRAM01",
      name: "Bram Jansen",
      contactMethods: [phone("CB1", "0622222221"), phone("CB2", "0622222222")],
      notificationRules: [
        { id: "RB1", contactMethodId: "CB1", startDelayInMinutes: 0, urgency: "high" },
        { id: "RB2", contactMethodId: "CB2", startDelayInMinutes: 5, urgency: "high" },
      ],
    },
    {
      id: "PDIRK01",
      name: "Dirk Smit",
      contactMethods: [
        phone("CD1", "0644444444", { blacklisted: true }),
        phone("CD2", "0655555555", { enabled: false }),
        { id: "CD3", type: "sms_contact_method", countryCode: 31, address: "0666666666" },
      ],
      notificationRules: [{ id: "RD1", contactMethodId: "CD3", startDelayInMinutes: 0, urgency: "high" }],
    },
    { id: "PCHRIS1", name: "Chris Bakker", contactMethods: [phone("CC1", "0633333333")] },
    { id: "PEVA001", name: "Eva Visser", contactMethods: [phone("CE1", "0677777777")] },
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
export const LEVEL1_NUMBERS = ["+31611111111", "+31622222221", "+31622222222"];
/** Numbers that must never be returned for PDEMO01 level 1 (SMS, blacklisted, disabled, level 2). */
export const FORBIDDEN_NUMBERS = [
  "+31619999991",
  "+31644444444",
  "+31655555555",
  "+31666666666",
  "+31633333333",
];

/** A seeded PRNG, so that random tests are exact (re-exported from core's testing entry). */
export { createSeededRandom as seededRandom } from "@pagerduty-voys/core/testing";

/** Counts of each value. */
export function tally<T>(values: readonly T[]): Map<T, number> {
  const counts = new Map<T, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return counts;
}
