import { describe, expect, it } from "vitest";
import { parseArgs } from "./args.js";

describe("parseArgs", () => {
  it("defaults to serve", () => {
    expect(parseArgs([])).toEqual({ kind: "serve" });
    expect(parseArgs(["serve"])).toEqual({ kind: "serve" });
    expect(parseArgs(["check"])).toEqual({ kind: "check", json: false });
  });

  it("lets --help and --version win over a command", () => {
    expect(parseArgs(["check", "--help"])).toEqual({ kind: "help" });
    expect(parseArgs(["-h"])).toEqual({ kind: "help" });
    expect(parseArgs(["--version"])).toEqual({ kind: "version" });
    expect(parseArgs(["serve", "-v"])).toEqual({ kind: "version" });
  });

  it("takes --json for check only", () => {
    expect(parseArgs(["check", "--json"])).toEqual({ kind: "check", json: true });
    expect(parseArgs(["--json", "check"])).toEqual({ kind: "check", json: true });
    expect(parseArgs(["serve", "--json"])).toMatchObject({
      kind: "usage-error",
      message: "--json applies to check only",
    });
    expect(parseArgs(["--json"])).toMatchObject({ kind: "usage-error" });
  });

  it("refuses unknown commands, options and a second command", () => {
    expect(parseArgs(["run"])).toMatchObject({
      kind: "usage-error",
      message: expect.stringContaining('"run"'),
    });
    expect(parseArgs(["--port", "1"])).toMatchObject({ kind: "usage-error" });
    expect(parseArgs(["serve", "check"])).toMatchObject({ kind: "usage-error" });
  });
});
