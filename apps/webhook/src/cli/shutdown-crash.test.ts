import { afterEach, describe, expect, it } from "vitest";
import { installCrashHandlers } from "./shutdown.js";

let uninstall: (() => void) | undefined;
afterEach(() => {
  uninstall?.();
  uninstall = undefined;
});

function capture() {
  const lines: { obj: Record<string, unknown>; msg?: string | undefined }[] = [];
  const codes: number[] = [];
  return {
    lines,
    codes,
    log: {
      fatal: (obj: object, msg?: string) => void lines.push({ obj: obj as Record<string, unknown>, msg }),
    },
    exit: (code: number) => void codes.push(code),
  };
}

// Emitting the real events would reach the test runner's own handlers too: call ours directly.
function ours(event: "uncaughtException" | "unhandledRejection", before: readonly unknown[]) {
  const now: readonly unknown[] =
    event === "uncaughtException"
      ? process.listeners("uncaughtException")
      : process.listeners("unhandledRejection");
  const added = now.filter((listener) => !before.includes(listener));
  expect(added).toHaveLength(1);
  return added[0] as (error: unknown) => void;
}

describe("installCrashHandlers", () => {
  it("logs an uncaught exception as one fatal line and exits 1", () => {
    const c = capture();
    const before = process.listeners("uncaughtException");
    uninstall = installCrashHandlers(c.log, { exit: c.exit });
    ours("uncaughtException", before)(new TypeError("cannot read x of undefined"));
    expect(c.codes).toEqual([1]);
    expect(c.lines).toHaveLength(1);
    expect(c.lines[0]?.obj).toMatchObject({
      event: "crash",
      kind: "uncaughtException",
      err: { name: "TypeError", message: "cannot read x of undefined" },
    });
  });

  it("does the same for an unhandled rejection, once, and uninstalls cleanly", () => {
    const c = capture();
    const before = process.listeners("unhandledRejection");
    const exceptionsBefore = process.listenerCount("uncaughtException");
    uninstall = installCrashHandlers(c.log, { exit: c.exit });
    const handler = ours("unhandledRejection", before);
    handler("a string, not an Error");
    handler(new Error("second"));
    expect(c.codes).toEqual([1]);
    expect(c.lines).toHaveLength(1);
    expect(c.lines[0]?.obj).toMatchObject({ kind: "unhandledRejection", err: { name: "NonError" } });
    uninstall();
    uninstall = undefined;
    expect(process.listeners("unhandledRejection")).toEqual(before);
    expect(process.listenerCount("uncaughtException")).toBe(exceptionsBefore);
  });

  it("exits 1 even when logging throws", () => {
    const codes: number[] = [];
    const before = process.listeners("uncaughtException");
    uninstall = installCrashHandlers(
      {
        fatal: () => {
          throw new Error("stdout closed");
        },
      },
      { exit: (code) => void codes.push(code) },
    );
    expect(() => ours("uncaughtException", before)(new Error("x"))).toThrow("stdout closed");
    expect(codes).toEqual([1]);
  });
});
