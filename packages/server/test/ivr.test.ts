import { testScenario } from "@pagerduty-voys/pagerduty-source/testing";
import { afterEach, describe, expect, it } from "vitest";
import { destinationOf } from "../src/testing/helpers.js";
import { type Stack, startStack } from "../src/testing/stack.js";

// testScenario: PDEMO01 level 1 Anna, Bram (Dirk has no usable phone), level 2 Chris; PSUPP01 Eva.
const EVA = "+31677777777";
const CHRIS = "+31633333333";
const LEVEL1 = ["+31611111111", "+31622222221", "+31622222222"];

let stacks: Stack[] = [];
afterEach(async () => {
  await Promise.all(stacks.map((stack) => stack.close()));
  stacks = [];
});

async function menu(): Promise<Stack> {
  const stack = await startStack({
    scenario: testScenario(),
    server: {
      routes: [
        { name: "outages", policyId: "PDEMO01", dids: ["+31208888888"], codes: ["1"] },
        { name: "billing", policyId: "PSUPP01", dids: ["+31208888888"], codes: ["2", "02"] },
        { name: "backup", policyId: "PDEMO01", level: 2, codes: ["9#"] },
        { name: "default", policyId: "PSUPP01" },
      ],
    },
  });
  stacks.push(stack);
  return stack;
}

async function reached(stack: Stack, extra: Record<string, string>): Promise<string | undefined> {
  const res = await stack.call("/voys-webhook", extra);
  expect(res.status).toBe(200);
  return destinationOf(res.body);
}

describe("IVR menus over real HTTP: Voys' code selects the route", () => {
  it("one number, a menu: 1 for outages, 2 (or 02) for billing", async () => {
    const s = await menu();
    expect(LEVEL1).toContain(await reached(s, { did: "+31208888888", code: "1" }));
    expect(await reached(s, { did: "0031208888888", code: "2" })).toBe(EVA);
    expect(await reached(s, { did: "+31208888888", code: "02" })).toBe(EVA);
    const routes = s.logs.audits().map((a) => a.route);
    expect(routes).toEqual(["outages", "billing", "billing"]);
  });

  it("a code listed without dids selects on any number; no match goes to the default route", async () => {
    const s = await menu();
    expect(await reached(s, { did: "+31201234567", code: "9#" })).toBe(CHRIS);
    expect(await reached(s, { code: "9#" })).toBe(CHRIS);
    expect(await reached(s, { did: "+31208888888", code: "3" })).toBe(EVA);
    expect(await reached(s, { did: "+31208888888" })).toBe(EVA);
    expect(s.logs.audits().map((a) => a.route)).toEqual(["backup", "backup", "default", "default"]);
  });

  it("the named path serves its route whatever the code", async () => {
    const s = await menu();
    const res = await s.call("/voys-webhook/backup", { code: "1", did: "+31208888888" });
    expect(destinationOf(res.body)).toBe(CHRIS);
  });

  it("without a default route, a call no route selects gets 404 status=NAK", async () => {
    const stack = await startStack({
      scenario: testScenario(),
      server: { routes: [{ name: "outages", policyId: "PDEMO01", codes: ["1"] }] },
    });
    stacks.push(stack);
    expect(await stack.call("/voys-webhook", { code: "2" })).toEqual({ status: 404, body: "status=NAK" });
    expect((await stack.call("/voys-webhook", { code: "1" })).status).toBe(200);
  });
});
