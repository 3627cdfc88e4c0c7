import type { Roster } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { routeSetIssues } from "./option-issues.js";
import { buildOptionProblems, webhookOptionProblems } from "./option-problems.js";

const roster = { activeAt: () => [] } as unknown as Roster;
const strategy = {
  name: "s",
  pick: async () => ({ responder: { id: "a", name: "a", phones: [] }, phone: "" }),
};
const base = { secretKey: "x", pagerduty: { apiKey: "k" }, routes: [{ name: "default", policyId: "P1" }] };

describe("buildOptionProblems", () => {
  it("accepts a minimal configuration and a custom source without an API key", () => {
    expect(buildOptionProblems(base)).toEqual([]);
    expect(
      buildOptionProblems({
        ...base,
        pagerduty: { apiKey: "" },
        source: { name: "s", shifts: async () => [] },
      }),
    ).toEqual([]);
    expect(buildOptionProblems({ ...base, pagerduty: { apiKey: " " } })).toEqual([
      "pagerduty.apiKey: required, a PagerDuty API token",
    ]);
  });

  it("accepts proxy names and CIDR lists for trustProxy; refuses hop counts, /0 and the rest", () => {
    expect(buildOptionProblems({ ...base, trustProxy: ["loopback", "10.0.0.0/8", "::1"] })).toEqual([]);
    expect(buildOptionProblems({ ...base, trustProxy: 1 as never })).toEqual([
      expect.stringMatching(/^trustProxy: a hop count is refused: anyone who reaches the port could forge/),
    ]);
    expect(buildOptionProblems({ ...base, trustProxy: ["0.0.0.0/0"] })).toEqual([
      expect.stringMatching(/^trustProxy\[0\]: "0.0.0.0\/0" would trust every address/),
    ]);
    expect(buildOptionProblems({ ...base, trustProxy: [] })).toHaveLength(1);
  });

  it("refuses an IPv4-mapped CIDR whose prefix drops into the mapping bits, with the IPv4 form to write", () => {
    expect(buildOptionProblems({ ...base, allowedIps: ["::ffff:10.0.0.0/8"] })).toEqual([
      expect.stringContaining('allowedIps[0]: "::ffff:10.0.0.0/8" is not an IP address or CIDR'),
    ]);
    expect(buildOptionProblems({ ...base, allowedIps: ["::ffff:10.0.0.0/104"] })).toEqual([]);
  });

  it("refuses an empty allowlist (it would refuse every caller) and an empty route list", () => {
    expect(buildOptionProblems({ ...base, routes: [], allowedIps: [] })).toEqual([
      "routes: expected at least one route",
      "allowedIps: expected a non-empty list of IPs or CIDRs (leave it unset to allow anyone)",
    ]);
  });

  it("takes several secrets, and refuses incidents without a routing key", () => {
    expect(buildOptionProblems({ ...base, secretKey: ["old-secret", "new-secret"] as never })).toEqual([]);
    expect(
      buildOptionProblems({ ...base, routes: [{ name: "default", policyId: "P1", incidents: "missed" }] }),
    ).toEqual([expect.stringMatching(/^routes\[0\]\.routingKey: required when incidents is missed or all/)]);
    expect(
      buildOptionProblems({
        ...base,
        routes: [{ name: "default", policyId: "P1", incidents: "all", routingKey: "a".repeat(32) }],
      }),
    ).toEqual([]);
  });

  it("refuses Redis url and sentinels together", () => {
    const redis = {
      url: "redis://127.0.0.1:6379",
      sentinels: [{ host: "127.0.0.1", port: 26379 }],
      sentinelName: "m",
    };
    expect(buildOptionProblems({ ...base, redis })).toEqual([
      "redis.sentinels: url and sentinels together are refused: use one",
    ]);
  });
});

describe("routeSetIssues (the one route-set rule)", () => {
  it("compares names ignoring case, and lets two routes share a did only with different codes", () => {
    const issues = routeSetIssues([
      { name: "support", dids: ["+31208888888"], codes: ["1"] },
      { name: "billing", dids: ["+31208888888"], codes: ["2"] },
      { name: "Support", dids: ["+31208888888"], codes: ["2"] },
      { name: "menu", codes: ["9"] },
      { name: "menu2", codes: ["9"] },
    ]);
    expect(issues.map((issue) => issue.path.join("."))).toEqual([
      "routes.2.name",
      "routes.2.dids.0",
      "routes.4.codes.0",
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
      "secretKey: required, a non-empty secret",
      "routes[0].level: expected an integer from 1 to 100",
      "routes[0].strategy: expected an object with pick()",
    ]);
  });
});
