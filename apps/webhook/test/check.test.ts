import {
  sampleScenario,
  THREE_POLICY_NUMBERS,
  threePolicyScenario,
} from "@pagerduty-voys/pagerduty-source/testing";
import { describe, expect, it } from "vitest";
import { useBlackBox } from "./helpers/black-box.js";
import { runCli } from "./helpers/cli-process.js";
import { FOUR_ROUTES_YAML } from "./helpers/four-routes-config.js";

const WHOLE_NUMBER = /\+?\d{9,}/;

const box = useBlackBox(sampleScenario, {
  WEBHOOK_SECRET_KEY: "black-box-secret-0123",
  PAGERDUTY_ESCALATION_POLICY_ID: "PDEMO01",
});

describe("check (the built bin)", () => {
  it("exits 0 when the key works, naming responders per level with masked numbers and who would get a call", async () => {
    const result = await runCli(["check"], box.env());
    expect(result.code).toBe(0);
    expect(result.stdout).toContain("the API key works");
    expect(result.stdout).toContain("policy PDEMO01, level 1, strategy random");
    expect(result.stdout).toMatch(
      /level 1 \(this route\):\n\s+Anna de Vries \(PUSER01\): on call now; \+31 6•+111\n\s+Bram Jansen/,
    );
    expect(result.stdout).toMatch(/level 2:\n\s+Chris Bakker \(PUSER03\): on call now/);
    expect(result.stdout).toContain("now: a call would go to one of Anna de Vries, Bram Jansen (random)");
    expect(result.stdout + result.stderr).not.toMatch(WHOLE_NUMBER);
  });

  it("exits non-zero saying the key was refused when PagerDuty answers 401", async () => {
    const result = await runCli(["check"], box.env({ PAGERDUTY_API_KEY: "wrong-key-123" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PagerDuty refused the API key");
    expect(result.stderr).not.toContain("wrong-key-123");
  });

  it("says why nobody would get a call, and which fallback would be used", async () => {
    const nobody = await runCli(["check"], box.env({ PAGERDUTY_ESCALATION_LEVEL: "3" }));
    expect(nobody.code).toBe(0);
    expect(nobody.stdout).toContain(
      "nobody is on call at level 3 of PDEMO01 (someone is on call now at level 1, 2)",
    );
    expect(nobody.stdout).toContain("callers would get 503 status=NAK");
    const fallback = await runCli(
      ["check"],
      box.env({ PAGERDUTY_ESCALATION_LEVEL: "3", FALLBACK_NUMBER: "+31201234567" }),
    );
    expect(fallback.stdout).toContain("the fallback +31 2•••••567 would be used");
    expect(fallback.stdout).not.toMatch(WHOLE_NUMBER);
  });

  it("says when responders are on call but have no usable phone", async () => {
    const scenario = sampleScenario();
    box.fake.setScenario({
      ...scenario,
      users: scenario.users.map((user) => ({
        ...user,
        contactMethods: user.contactMethods.map((method) => ({ ...method, blacklisted: true })),
      })),
    });
    const result = await runCli(["check"], box.env());
    expect(result.stdout).toContain(
      "Anna de Vries, Bram Jansen are on call at level 1 but have no usable phone number",
    );
  });

  it("fails with exit 1 when PagerDuty cannot be reached", async () => {
    const result = await runCli(["check"], box.env({ PAGERDUTY_API_URL: "http://127.0.0.1:9" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PagerDuty could not be reached");
  });

  it("fails with exit 1 when PagerDuty does not answer in time", async () => {
    box.fake.setFault("hang");
    const result = await runCli(["check"], box.env({ PAGERDUTY_TIMEOUT_MS: "200" }));
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("PagerDuty did not answer");
  });

  it("exits 2 on an invalid configuration", async () => {
    const result = await runCli(["check"], box.env({ PAGERDUTY_API_URL: "api.pagerduty.com" }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("PAGERDUTY_API_URL");
  });

  it("shows every route of config.yaml with one PagerDuty fetch for all policies", async () => {
    box.fake.setScenario(threePolicyScenario());
    box.dir.write("config.yaml", FOUR_ROUTES_YAML);
    const result = await runCli(["check"], box.env({ PAGERDUTY_ESCALATION_POLICY_ID: "" }));
    expect(result.code).toBe(0);
    for (const route of ["support", "billing", "backup", "emergency"])
      expect(result.stdout).toContain(`Route ${route} (config.yaml)`);
    expect(result.stdout).toContain("now: a call would go to Sem Backup (random)");
    expect(result.stdout).not.toMatch(WHOLE_NUMBER);
    for (const number of Object.values(THREE_POLICY_NUMBERS)) expect(result.stdout).not.toContain(number);
    const oncalls = box.fake.requests.filter((request) => request.path === "/oncalls");
    expect(oncalls.map((request) => request.query.getAll("escalation_policy_ids[]").sort())).toEqual([
      ["PBILLING", "PEMERGENCY", "PSUPPORT"],
    ]);
  });

  it("warns about a secret a URL must encode, and shows hunting and incidents per route", async () => {
    const result = await runCli(
      ["check"],
      box.env({
        WEBHOOK_SECRET_KEY: "base64+style/secret==",
        HUNT_SECONDS: "90",
        PAGERDUTY_INCIDENTS: "missed",
        PAGERDUTY_ROUTING_KEY: "0123456789abcdef0123456789abcdef",
      }),
    );
    expect(result.code).toBe(0);
    expect(result.stderr).toMatch(
      /warning: WEBHOOK_SECRET_KEY: the secret holds characters a URL must encode \(anything outside A-Z a-z 0-9 - \. _ ~\)/,
    );
    expect(result.stdout).toContain("hunting on (a repeat call within 90 s reaches someone not yet tried)");
    expect(result.stdout).toContain(
      "incidents missed (an incident for missed calls; key ••••cdef from PAGERDUTY_ROUTING_KEY",
    );
    expect(result.stdout + result.stderr).not.toContain("base64+style");
    expect(result.stdout + result.stderr).not.toContain("0123456789abcdef0123456789abcdef");
  });

  it("exits 2 naming PAGERDUTY_ROUTING_KEY when incidents are on without a key", async () => {
    const result = await runCli(["check"], box.env({ PAGERDUTY_INCIDENTS: "all" }));
    expect(result.code).toBe(2);
    expect(result.stderr).toContain("PAGERDUTY_ROUTING_KEY is required");
  });
});
