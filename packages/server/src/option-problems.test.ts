import type { Roster } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { buildOptionProblems, webhookOptionProblems } from "./option-problems.js";

const roster = { activeAt: () => [] } as unknown as Roster;
const strategy = {
  name: "s",
  pick: async () => ({ responder: { id: "a", name: "a", phones: [] }, phone: "" }),
};

describe("buildOptionProblems", () => {
  it("accepts a minimal configuration and a custom source without an API key", () => {
    expect(
      buildOptionProblems({
        secretKey: "x",
        pagerduty: { apiKey: "k" },
        routes: [{ name: "default", policyId: "P1" }],
      }),
    ).toEqual([]);
    expect(
      buildOptionProblems({
        secretKey: "x",
        pagerduty: { apiKey: "" },
        source: { name: "s", shifts: async () => [] },
        routes: [{ name: "default", policyId: "P1" }],
      }),
    ).toEqual([]);
  });

  it("accepts proxy names and CIDR lists for trustProxy, refuses hop counts and the rest", () => {
    const base = {
      secretKey: "x",
      pagerduty: { apiKey: "k" },
      routes: [{ name: "default", policyId: "P1" }],
    };
    expect(buildOptionProblems({ ...base, trustProxy: ["loopback", "10.0.0.0/8", "::1"] })).toEqual([]);
    for (const hops of [0, 1]) {
      expect(buildOptionProblems({ ...base, trustProxy: hops as never })).toEqual([
        expect.stringMatching(/^trustProxy: .*a hop count would let anyone .* forge X-Forwarded-For$/),
      ]);
    }
    expect(buildOptionProblems({ ...base, trustProxy: [] })).toHaveLength(1);
  });

  it("refuses an empty allowlist (it would refuse every caller) and an empty route list", () => {
    expect(
      buildOptionProblems({ secretKey: "x", pagerduty: { apiKey: "k" }, routes: [], allowedIps: [] }),
    ).toEqual([
      "routes: expected at least one route",
      "allowedIps: expected a non-empty list of IPs or CIDRs (leave it unset to allow anyone)",
    ]);
  });
});

describe("webhookOptionProblems", () => {
  it("checks the plugin's ready-made objects", () => {
    expect(
      webhookOptionProblems({
        roster,
        secretKey: "x",
        routes: [{ name: "a", policyId: "P1", level: 1, strategy }],
      }),
    ).toEqual([]);
    expect(
      webhookOptionProblems({
        roster: undefined,
        secretKey: "",
        routes: [{ name: "a", policyId: "P1", level: 0, strategy: {} as never }],
      }),
    ).toEqual([
      "roster: required, a Roster",
      "secretKey: required, a non-empty string",
      "routes[0].level: expected an integer ≥ 1",
      "routes[0].strategy: expected random or round-robin or least-recent or a strategy object with pick() or { module, setting }",
    ]);
  });
});
