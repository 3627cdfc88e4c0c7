import { isPdvError, PdvError } from "@pagerduty-voys/core";
import { describe, expect, it } from "vitest";
import { createSecretChecker } from "./auth.js";
import { SERVER_ERROR_CODES, ServerError, throwIfProblems } from "./errors.js";
import { createRouteTable } from "./route-table.js";

function thrownBy(fn: () => unknown): unknown {
  try {
    fn();
  } catch (error) {
    return error;
  }
  throw new Error("expected a throw");
}

describe("ServerError", () => {
  it("is a core PdvError listing every problem", () => {
    const error = thrownBy(() => throwIfProblems("server options", ["a: bad", "b: worse"]));
    expect(error).toBeInstanceOf(ServerError);
    expect(error).toBeInstanceOf(PdvError);
    expect(isPdvError(error)).toBe(true);
    expect(error).toMatchObject({
      name: "ServerError",
      code: SERVER_ERROR_CODES.OPTIONS_INVALID,
      problems: ["a: bad", "b: worse"],
    });
    expect((error as Error).message).toBe("invalid server options:\n  a: bad\n  b: worse");
  });

  it("throws nothing without problems", () => {
    expect(() => throwIfProblems("server options", [])).not.toThrow();
  });

  it("is what the option checks throw, never a TypeError", () => {
    for (const error of [
      thrownBy(() => createSecretChecker("")),
      thrownBy(() =>
        createRouteTable([
          { name: "a", policyId: "P1" },
          { name: "a", policyId: "P2" },
        ] as unknown as Parameters<typeof createRouteTable>[0]),
      ),
    ]) {
      expect(error).toBeInstanceOf(ServerError);
      expect(error).not.toBeInstanceOf(TypeError);
      expect(error).toMatchObject({ code: SERVER_ERROR_CODES.OPTIONS_INVALID });
    }
  });
});
