import type { Shift } from "@pagerduty-voys/core";
import { createStaticSource } from "@pagerduty-voys/core/testing";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { type TempConfigDir, tempConfigDir } from "../../test/helpers/temp-config-dir.js";
import { loadConfig } from "../config/load-config.js";
import type { WebhookConfig } from "../config/types.js";
import { runCheck } from "./check-report.js";

const NOW = new Date("2026-08-03T10:00:00Z");
const hours = (h: number) => new Date(NOW.getTime() + h * 3_600_000);

let dir: TempConfigDir;
beforeAll(() => {
  dir = tempConfigDir();
});
afterAll(() => dir.remove());

function config(env: Record<string, string> = {}): WebhookConfig {
  const result = loadConfig({
    env: { PAGERDUTY_API_KEY: "k", WEBHOOK_SECRET_KEY: "s", PAGERDUTY_ESCALATION_POLICY_ID: "P1", ...env },
    configDir: dir.path,
  });
  if (!result.ok) throw new Error(result.errors.join("\n"));
  return result.config;
}

function shift(
  id: string,
  level: number,
  phones: string[],
  start: Date | null,
  end: Date | null,
  policyId = "P1",
): Shift {
  return { responder: { id, name: `Name ${id}`, phones }, policyId, level, start, end };
}

describe("runCheck", () => {
  it("lists responders per level, marks who is on call now and masks every number", async () => {
    const source = createStaticSource([
      shift("U2", 1, ["+31612345222"], hours(-1), hours(1)),
      shift("U1", 1, ["+31612345111", "+31201234111"], null, null),
      shift("U3", 1, ["+31612345333"], hours(2), hours(5)),
      shift("U4", 2, [], null, null),
    ]);
    const result = await runCheck({ config: config(), source, now: NOW, timeoutMs: 1000 });
    expect(result.code).toBe(0);
    expect(result.lines.slice(2)).toEqual([
      "Route default (PAGERDUTY_ESCALATION_POLICY_ID): /voys-webhook and /voys-webhook/default",
      "  policy P1, level 1, strategy random, fallback none, sticky callers off",
      "  hunting off; incidents off",
      "  level 1 (this route):",
      "    Name U1 (U1): on call now; +31 6•••••111, +31 2•••••111",
      "    Name U2 (U2): on call now; +31 6•••••222",
      "    Name U3 (U3): on call from 2026-08-03T12:00:00Z; +31 6•••••333",
      "  level 2:",
      "    Name U4 (U4): on call now; no usable phone number",
      "  now: a call would go to one of Name U1, Name U2 (random)",
      "",
      "OK: every route (1) would answer a call now.",
    ]);
    expect(source.calls[0]?.policyIds).toEqual(["P1"]);
    expect(source.calls[0]?.window).toEqual({ since: NOW, until: hours(24) });
  });

  it("explains nobody on call at the level, and the 503 without a fallback", async () => {
    const source = createStaticSource([shift("U1", 2, ["+31612345111"], null, null)]);
    const result = await runCheck({ config: config(), source, now: NOW, timeoutMs: 1000 });
    expect(result.code).toBe(0);
    expect(result.lines).toContain(
      "  now: nobody would get a call: nobody is on call at level 1 of P1 (someone is on call now at level 2); callers would get 503 status=NAK (no fallback: set FALLBACK_NUMBER or fallback_number)",
    );
    expect(result.lines.at(-1)).toBe(
      "OK, with a warning: 1 of 1 routes would answer a call now with 503 status=NAK.",
    );
  });

  it("explains responders without a usable phone, and the fallback that would be used", async () => {
    const source = createStaticSource([shift("U1", 1, [], null, null)]);
    const result = await runCheck({
      config: config({ FALLBACK_NUMBER: "+31201234567" }),
      source,
      now: NOW,
      timeoutMs: 1000,
    });
    expect(result.lines).toContain(
      "  now: nobody would get a call: Name U1 is on call at level 1 but has no usable phone number (a phone contact method, not blacklisted or disabled); the fallback +31 2•••••567 would be used",
    );
  });

  it("says when a policy has no entries at all", async () => {
    const result = await runCheck({
      config: config(),
      source: createStaticSource([]),
      now: NOW,
      timeoutMs: 1000,
    });
    expect(result.lines).toContain(
      "  no on-call entries for P1 in this window: is the escalation policy id right?",
    );
  });

  it("reports a refused key with exit code 1, naming where the key came from", async () => {
    const refused = Object.assign(new Error("401"), { code: "PDV_ERR_PAGERDUTY_UNAUTHORIZED" });
    const source = createStaticSource(() => {
      throw refused;
    });
    const result = await runCheck({ config: config(), source, now: NOW, timeoutMs: 1000 });
    expect(result).toEqual({
      code: 1,
      lines: [
        "PagerDuty refused the API key (401 Unauthorized).",
        "Check the key in PAGERDUTY_API_KEY: create a read-only REST API key in PagerDuty (Integrations → API Access Keys).",
      ],
    });
  });

  it("gives up after its timeout when the source hangs", async () => {
    const source = createStaticSource(
      ({ signal }) =>
        new Promise((_, reject) => {
          signal.addEventListener("abort", () => reject(signal.reason));
        }),
    );
    const result = await runCheck({ config: config(), source, now: NOW, timeoutMs: 20 });
    expect(result.code).toBe(1);
    expect(result.lines[0]).toContain("PagerDuty did not answer within 20 ms");
  });

  it("shows per route whether hunting and incidents are on, with the routing key masked and its shape", async () => {
    const key = "0123456789abcdef0123456789abWXYZ";
    const source = createStaticSource([shift("PA", 1, ["+31611111111"], null, null)]);
    const report = await runCheck({
      config: config({ HUNT_SECONDS: "120", PAGERDUTY_INCIDENTS: "missed", PAGERDUTY_ROUTING_KEY: key }),
      source,
      now: NOW,
      timeoutMs: 1_000,
    });
    expect(report.lines).toContain(
      "  hunting on (a repeat call within 120 s reaches someone not yet tried); incidents missed (an incident for missed calls; key ••••WXYZ from PAGERDUTY_ROUTING_KEY, a 32-character integration key)",
    );
    expect(report.lines.join("\n")).not.toContain(key);
  });
});
