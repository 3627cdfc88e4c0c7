import { describe, expect, it } from "vitest";
import { renderAck, renderNak, VOYS_CONTENT_TYPE } from "./response.js";

describe("renderAck", () => {
  it("renders the exact wire format Voys expects", () => {
    expect(renderAck("+31612345678")).toBe("status=ACK&destination=%2B31612345678");
  });

  it("parses back as form fields", () => {
    const parsed = new URLSearchParams(renderAck("+31612345678", { callerName: "Jan & Piet=1" }));
    expect(parsed.get("status")).toBe("ACK");
    expect(parsed.get("destination")).toBe("+31612345678");
    expect(parsed.get("callername")).toBe("Jan & Piet=1");
  });

  it("leaves out an empty caller name and cleans control characters and lone surrogates", () => {
    expect(renderAck("+31612345678", { callerName: "  " })).toBe("status=ACK&destination=%2B31612345678");
    const body = renderAck("+31612345678", { callerName: "a\r\nb\ud800" });
    expect(new URLSearchParams(body).get("callername")).toBe("ab\ufffd");
  });

  it("replaces a lone surrogate anywhere but keeps a real emoji", () => {
    const nameOf = (callerName: string) =>
      new URLSearchParams(renderAck("+31612345678", { callerName })).get("callername");
    expect(nameOf("\ud800a")).toBe("\ufffda");
    expect(nameOf("a\udc00b")).toBe("a\ufffdb");
    expect(nameOf("\udc00a")).toBe("\ufffda");
    expect(nameOf("Anna \u{1f600}")).toBe("Anna \u{1f600}");
  });

  it("trims before and after cutting a long caller name", () => {
    const nameOf = (callerName: string) =>
      new URLSearchParams(renderAck("+31612345678", { callerName })).get("callername");
    expect(nameOf(`  ${"x".repeat(64)}`)).toBe("x".repeat(64));
    expect(nameOf(`${"x".repeat(63)} y`)).toBe("x".repeat(63));
  });

  it("cuts a long caller name", () => {
    const parsed = new URLSearchParams(renderAck("+31612345678", { callerName: "x".repeat(500) }));
    expect(parsed.get("callername")).toHaveLength(64);
  });

  it("refuses a destination that is not E.164, without echoing it", () => {
    for (const bad of ["0612345678", "+3106-1234 5678", "", "+0123456789", "javascript:x"]) {
      expect(() => renderAck(bad)).toThrow(
        expect.objectContaining({ code: "PDV_ERR_VOYS_INVALID_DESTINATION" }),
      );
    }
    try {
      renderAck("0612345678");
    } catch (error) {
      expect(String((error as Error).message)).not.toContain("0612345678");
      expect(String((error as Error).message)).toMatch(/E\.164/);
    }
  });
});

describe("renderNak", () => {
  it("renders status=NAK", () => {
    expect(renderNak()).toBe("status=NAK");
  });
});

describe("VOYS_CONTENT_TYPE", () => {
  it("is plain text in UTF-8", () => {
    expect(VOYS_CONTENT_TYPE).toBe("text/plain; charset=utf-8");
  });
});
