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
const route = (name: string, dids?: string[], codes?: string[]): WebhookRoute => ({
  name,
  policyId: "P1",
  level: 1,
  strategy,
  dids,
  codes,
});

describe("createRouteTable", () => {
  // Built in each test: one built while the file is collected would belong to no test.
  const table = () =>
    createRouteTable([
      route("default"),
      route("support", ["+31208888888"]),
      route("billing", ["0031207777777"]),
    ]);

  it("serves a named route by name, and nothing for an unknown name", () => {
    expect(table().resolve("support", undefined)?.name).toBe("support");
    expect(table().resolve("nope", "+31208888888")).toBeUndefined();
  });

  it("picks a route by DID normalised to E.164 on the plain path", () => {
    expect(table().resolve(undefined, "+31208888888")?.name).toBe("support");
    expect(table().resolve(undefined, "31208888888")?.name).toBe("support");
    expect(table().resolve(undefined, "0031 20 888 8888")?.name).toBe("support");
    expect(table().resolve(undefined, "+31207777777")?.name).toBe("billing");
  });

  it("falls back to the default route when no DID matches or none is given", () => {
    expect(table().resolve(undefined, "+31200000000")?.name).toBe("default");
    expect(table().resolve(undefined, "garbage")?.name).toBe("default");
    expect(table().resolve(undefined, undefined)?.name).toBe("default");
  });

  it("has no route for the plain path without a default route", () => {
    const noDefault = createRouteTable([route("support", ["+31208888888"])]);
    expect(noDefault.resolve(undefined, "+31200000000")).toBeUndefined();
    expect(noDefault.resolve(undefined, "+31208888888")?.name).toBe("support");
  });

  it("does not treat object keys as route names", () => {
    expect(table().resolve("__proto__", undefined)).toBeUndefined();
    expect(table().resolve("constructor", undefined)).toBeUndefined();
  });
});

describe("createRouteTable with IVR codes", () => {
  const table = () =>
    createRouteTable([
      route("outages", ["+31208888888"], ["1"]),
      route("billing", ["+31208888888"], ["2", "02"]),
      route("main-line", ["+31208888888"]),
      route("any-number-9", [], ["9"]),
      route("any-number-8", undefined, ["8"]),
      route("default"),
    ]);

  it("selects by did and code together, the code as sent", () => {
    expect(table().resolve(undefined, "+31208888888", "1")?.name).toBe("outages");
    expect(table().resolve(undefined, "0031208888888", "2")?.name).toBe("billing");
    expect(table().resolve(undefined, "+31208888888", "02")?.name).toBe("billing");
  });

  it("takes the first route whose every list matches, then the default", () => {
    expect(table().resolve(undefined, "+31208888888", "3")?.name).toBe("main-line");
    expect(table().resolve(undefined, "+31208888888", undefined)?.name).toBe("main-line");
    expect(table().resolve(undefined, "+31200000000", "9")?.name).toBe("any-number-9");
    expect(table().resolve(undefined, undefined, "9")?.name).toBe("any-number-9");
    expect(table().resolve(undefined, "+31200000000", "8")?.name).toBe("any-number-8");
    expect(table().resolve(undefined, "+31200000000", "1")?.name).toBe("default");
    expect(table().resolve(undefined, undefined, "1")?.name).toBe("default");
  });

  it("follows file order: an earlier route without codes shadows a later one on the same did", () => {
    const shadowing = createRouteTable([
      route("all", ["+31208888888"]),
      route("one", ["+31208888888"], ["1"]),
    ]);
    expect(shadowing.resolve(undefined, "+31208888888", "1")?.name).toBe("all");
  });

  it("still serves a named route whatever the code", () => {
    expect(table().resolve("billing", "+31200000000", "1")?.name).toBe("billing");
  });
});

describe("routeTableProblems", () => {
  it("lets two routes share a did when their codes differ, and reports a pair claimed twice", () => {
    expect(
      routeTableProblems([
        { name: "a", dids: ["+31208888888"], codes: ["1"] },
        { name: "b", dids: ["+31208888888"], codes: ["2"] },
      ]),
    ).toEqual([]);
    expect(
      routeTableProblems([
        { name: "a", dids: ["+31208888888"], codes: ["1"] },
        { name: "b", dids: ["+31208888888"], codes: ["1"] },
        { name: "c", codes: ["9"] },
        { name: "d", codes: ["9", "12345678901234567890X", "1x"] },
      ]),
    ).toEqual([
      'routes[1].dids[0]: +31208888888 with code 1 already selects route "a"',
      "routes[3].codes[1]: expected 1 to 20 of the characters 0-9, * and # (a quoted string)",
      "routes[3].codes[2]: expected 1 to 20 of the characters 0-9, * and # (a quoted string)",
      'routes[3].codes[0]: code 9 already selects route "c"',
    ]);
  });

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

  it("reports codes that are not a list, or not strings, and one unreadable DID in two routes once each", () => {
    expect(routeTableProblems([{ name: "a", codes: "1" as never }])).toEqual([
      "routes[0].codes: expected a list of IVR codes (quoted strings)",
    ]);
    expect(routeTableProblems([{ name: "a", codes: [12 as never] }])).toEqual([
      "routes[0].codes[0]: expected 1 to 20 of the characters 0-9, * and # (a quoted string)",
    ]);
    expect(
      routeTableProblems([
        { name: "a", dids: ["x"] },
        { name: "b", dids: ["x"] },
      ]),
    ).toEqual([
      "routes[0].dids[0]: expected an international number such as +31208888888",
      "routes[1].dids[0]: expected an international number such as +31208888888",
    ]);
  });

  it("makes createRouteTable throw with every problem", () => {
    expect(() => createRouteTable([route("a"), route("a", ["x"])])).toThrow(
      'invalid routes: routes[1].name: "a" is already used by routes[0]; routes[1].dids[0]: expected an international number such as +31208888888',
    );
  });
});
