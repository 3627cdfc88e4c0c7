import { afterEach, describe, expect, it } from "vitest";
import { installShutdown } from "./shutdown.js";

const quietLog = { info: () => undefined, warn: () => undefined, error: () => undefined };
let uninstall: (() => void) | undefined;
afterEach(() => uninstall?.());

function exitPromise(): { exit: (code: number) => void; exited: Promise<number>; calls: number[] } {
  const calls: number[] = [];
  let resolve: (code: number) => void = () => undefined;
  const exited = new Promise<number>((r) => {
    resolve = r;
  });
  return {
    calls,
    exited,
    exit: (code) => {
      calls.push(code);
      resolve(code);
    },
  };
}

describe("installShutdown", () => {
  it("closes the app once and exits 0 on the signal", async () => {
    let closes = 0;
    const app = {
      log: quietLog,
      close: async () => {
        closes += 1;
      },
    };
    const exit = exitPromise();
    uninstall = installShutdown(app, { exit: exit.exit, signals: ["SIGUSR2"] });
    process.emit("SIGUSR2", "SIGUSR2");
    process.emit("SIGUSR2", "SIGUSR2");
    expect(await exit.exited).toBe(0);
    expect(closes).toBe(1);
  });

  it("exits 0 anyway when close never finishes (a hung PagerDuty request)", async () => {
    const app = { log: quietLog, close: () => new Promise<never>(() => undefined) };
    const exit = exitPromise();
    uninstall = installShutdown(app, { exit: exit.exit, signals: ["SIGUSR2"], hardExitMs: 10 });
    process.emit("SIGUSR2", "SIGUSR2");
    expect(await exit.exited).toBe(0);
  });

  it("exits 0 and logs when close fails", async () => {
    const errors: object[] = [];
    const app = {
      log: { ...quietLog, error: (obj: object) => void errors.push(obj) },
      close: () => Promise.reject(new Error("redis")),
    };
    const exit = exitPromise();
    uninstall = installShutdown(app, { exit: exit.exit, signals: ["SIGUSR2"] });
    process.emit("SIGUSR2", "SIGUSR2");
    expect(await exit.exited).toBe(0);
    expect(errors).toHaveLength(1);
  });
});
