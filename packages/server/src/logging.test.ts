import { describe, expect, it } from "vitest";
import { createBatchedDestination, maskNumber, pathOf, serializeRequest } from "./logging.js";

describe("serializeRequest", () => {
  it("logs method, path without the query string, and the client address only", () => {
    const serialized = serializeRequest({
      method: "GET",
      url: "/voys-webhook/support?secret_key=hunter2&callerid=%2B31612345678",
      ip: "::ffff:127.0.0.1",
    });
    expect(serialized).toEqual({
      method: "GET",
      path: "/voys-webhook/support",
      remoteAddress: "::ffff:127.0.0.1",
    });
    expect(JSON.stringify(serialized)).not.toContain("hunter2");
  });

  it("strips the query at the first question mark", () => {
    expect(pathOf("/a?b?c")).toBe("/a");
    expect(pathOf("/a")).toBe("/a");
  });
});

describe("maskNumber", () => {
  it("never shows a whole number", () => {
    for (const raw of ["+31612345111", "0031612345111", "31612345111", "0612345111"]) {
      const masked = maskNumber(raw) ?? "";
      expect(masked).not.toContain("612345111");
      expect(masked.endsWith("111")).toBe(true);
    }
    expect(maskNumber("+31612345111")).toBe("+31 6*****111");
  });

  it("hides overlong values and passes absence through", () => {
    expect(maskNumber("1".repeat(100))).toBe("[masked]");
    expect(maskNumber(undefined)).toBeUndefined();
    expect(maskNumber("")).toBeUndefined();
  });
});

describe("createBatchedDestination", () => {
  it("writes the lines of one turn in one write, and flushes on close", async () => {
    const writes: string[] = [];
    const destination = createBatchedDestination({ write: (data: string) => writes.push(data) });
    destination.write("a\n");
    destination.write("b\n");
    expect(writes).toEqual([]);
    await new Promise((resolve) => setImmediate(resolve));
    expect(writes).toEqual(["a\nb\n"]);
    destination.write("c\n");
    destination.close();
    expect(writes).toEqual(["a\nb\n", "c\n"]);
    destination.write("d\n");
    expect(writes).toEqual(["a\nb\n", "c\n", "d\n"]);
  });
});

describe("serializeRequest (hostile values)", () => {
  it("cuts, cleans and masks the path, and logs only a valid client address", () => {
    const long = serializeRequest({
      method: "GET",
      url: `/voys-webhook/${"x".repeat(500)}?secret_key=s`,
      ip: "127.0.0.1",
    });
    expect(long.path?.length).toBeLessThanOrEqual(65);
    expect(long.path?.endsWith("…")).toBe(true);
    expect(long.remoteAddress).toBe("127.0.0.1");
    const phone = serializeRequest({
      method: "GET",
      url: "/voys-webhook/+31612345678\u202e\n",
      ip: "+31612345678",
    });
    expect(phone.path).toBe("/voys-webhook/+###########??");
    expect(phone.remoteAddress).toBeUndefined();
  });
});
