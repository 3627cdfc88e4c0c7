import type { RoutingStrategy } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { createRouteTable, routeTableProblems, type WebhookRoute } from "./route-table.js";

const strategy: RoutingStrategy = {
  name: "test",
  pick: async ([responder]) => {
    const phone = responder?.phones[0];
    if (responder === undefined || phone === undefined) throw new Error("no candidate with a phone");
    return { responder, phone };
  },
};
const route = (name: string, dids?: string[]): WebhookRoute => ({
  name,
  policyId: "P1",
  level: 1,
  strategy,
  dids,
});

describe("createRouteTable", () => {
  const table = createRouteTable([
    route("default"),
    route("support", ["+31208888888"]),
    route("billing", ["0031207777777"]),
  ]);

  it("serves a named route by name, and nothing for an unknown name", () => {
    expect(table.resolve("support", undefined)?.name).toBe("support");
    expect(table.resolve("nope", "+31208888888")).toBeUndefined();
  });

  it("picks a route by DID normalised to E.164 on the plain path", () => {
    expect(table.resolve(undefined, "+31208888888")?.name).toBe("support");
    expect(table.resolve(undefined, "31208888888")?.name).toBe("support");
    expect(table.resolve(undefined, "0031 20 888 8888")?.name).toBe("support");
    expect(table.resolve(undefined, "+31207777777")?.name).toBe("billing");
  });

  it("falls back to the default route when no DID matches or none is given", () => {
    expect(table.resolve(undefined, "+31200000000")?.name).toBe("default");
    expect(table.resolve(undefined, "garbage")?.name).toBe("default");
    expect(table.resolve(undefined, undefined)?.name).toBe("default");
  });

  it("has no route for the plain path without a default route", () => {
    const noDefault = createRouteTable([route("support", ["+31208888888"])]);
    expect(noDefault.resolve(undefined, "+31200000000")).toBeUndefined();
    expect(noDefault.resolve(undefined, "+31208888888")?.name).toBe("support");
  });

  it("does not treat object keys as route names", () => {
    expect(table.resolve("__proto__", undefined)).toBeUndefined();
    expect(table.resolve("constructor", undefined)).toBeUndefined();
  });
});

describe("routeTableProblems", () => {
  it("reports duplicate names, unreadable DIDs and DIDs claimed twice", () => {
    const problems = routeTableProblems([
      { name: "a", dids: ["+31208888888"] },
      { name: "a" },
      { name: "b", dids: ["020 888 8888", "31208888888"] },
    ]);
    expect(problems).toEqual([
      'routes[1].name: "a" is already used by routes[0]',
      "routes[2].dids[0]: expected an international number such as +31208888888",
      'routes[2].dids[1]: +31208888888 already selects route "a"',
    ]);
  });
});
