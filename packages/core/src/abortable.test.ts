import { getEventListeners } from "node:events";
import { setImmediate as nextMacrotask } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { raceAbort } from "./abortable.js";

const never = (): Promise<never> => new Promise<never>(() => {});

describe("raceAbort", () => {
  it("settles like the promise while the signal is not aborted, and leaves no listener behind", async () => {
    const controller = new AbortController();
    await expect(raceAbort(Promise.resolve("shifts"), controller.signal)).resolves.toBe("shifts");
    const failure = new Error("source failed");
    await expect(raceAbort(Promise.reject(failure), controller.signal)).rejects.toBe(failure);
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });

  it("rejects with the abort reason as soon as the signal aborts, even when the promise never settles", async () => {
    const controller = new AbortController();
    const raced = raceAbort(never(), controller.signal);
    const reason = new Error("timed out");
    controller.abort(reason);
    await expect(raced).rejects.toBe(reason);
    expect(getEventListeners(controller.signal, "abort")).toEqual([]);
  });

  it("rejects at once with the reason of a signal aborted before, even when the promise resolves", async () => {
    const controller = new AbortController();
    const reason = new Error("stopped");
    controller.abort(reason);
    await expect(raceAbort(Promise.resolve("late"), controller.signal)).rejects.toBe(reason);
  });

  it("leaves no unhandled rejection when the promise given with an aborted signal rejects", async () => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => {
      unhandled.push(reason);
    };
    process.on("unhandledRejection", onUnhandled);
    try {
      const controller = new AbortController();
      controller.abort(new Error("stopped"));
      await expect(raceAbort(Promise.reject(new Error("late failure")), controller.signal)).rejects.toThrow(
        "stopped",
      );
      await nextMacrotask();
      expect(unhandled).toEqual([]);
    } finally {
      process.off("unhandledRejection", onUnhandled);
    }
  });
});
