import { describe, expect, it } from "vitest";
import {
  createClientAddressOf,
  invalidProxyEntries,
  MAX_FORWARDED_HOPS,
  networkOf,
} from "./client-address.js";
import { SERVER_ERROR_CODES } from "./errors.js";

describe("createClientAddressOf", () => {
  it("without trusted proxies, is the socket address whatever X-Forwarded-For says", () => {
    const of = createClientAddressOf(undefined);
    expect(of("127.0.0.1", "203.0.113.7")).toBe("127.0.0.1");
  });

  it("walks X-Forwarded-For from the right while the hop is trusted", () => {
    const of = createClientAddressOf(["loopback", "10.0.0.0/8"]);
    expect(of("127.0.0.1", "203.0.113.7")).toBe("203.0.113.7");
    expect(of("::ffff:127.0.0.1", "198.51.100.1, 203.0.113.7, 10.1.2.3")).toBe("203.0.113.7");
    expect(of("::1", ["198.51.100.1", "2001:db8::1"])).toBe("2001:db8::1");
    expect(of("192.0.2.1", "203.0.113.7")).toBe("192.0.2.1");
    expect(of("127.0.0.1", undefined)).toBe("127.0.0.1");
  });

  it("stops at an entry that is not an IP address: the last trusted hop is the client", () => {
    const of = createClientAddressOf(["127.0.0.1", "10.0.0.1"]);
    for (const forged of [
      "+31612345678",
      "203.0.113.7:80",
      "[::1]",
      "",
      " ",
      "a".repeat(12_000),
      "1.2.3.4.5",
    ]) {
      expect(of("127.0.0.1", forged), forged.slice(0, 20)).toBe("127.0.0.1");
      expect(of("127.0.0.1", `${forged}, 10.0.0.1`), forged.slice(0, 20)).toBe("10.0.0.1");
    }
    expect(of("127.0.0.1", "203.0.113.7,")).toBe("127.0.0.1");
  });

  it("looks at most MAX_FORWARDED_HOPS hops", () => {
    const of = createClientAddressOf(["10.0.0.0/8", "loopback"]);
    const chain = Array.from({ length: MAX_FORWARDED_HOPS + 5 }, (_, i) => `10.0.0.${i + 1}`);
    expect(of("127.0.0.1", ["203.0.113.7", ...chain].join(", "))).toBe(`10.0.0.${6}`);
  });

  it("names the entries that are neither IPs, CIDRs nor range names", () => {
    expect(invalidProxyEntries(["loopback", "uniquelocal", "10.0.0.0/8", "::1", "proxy", "1"])).toEqual([
      "proxy",
      "1",
    ]);
  });

  it("refuses such an entry with PDV_ERR_SERVER_OPTIONS_INVALID naming it", () => {
    expect(() => createClientAddressOf(["loopback", "proxy"])).toThrow(
      expect.objectContaining({
        name: "ServerError",
        code: SERVER_ERROR_CODES.OPTIONS_INVALID,
        problems: ["trustProxy: not an IP address, CIDR or range name: proxy"],
      }),
    );
  });
});

describe("networkOf", () => {
  it("is the /24 or /48 of an address, never the raw value", () => {
    expect(networkOf("203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkOf("::ffff:203.0.113.77")).toBe("203.0.113.0/24");
    expect(networkOf("2001:db8:abcd:12::1")).toBe("2001:db8:abcd::/48");
    expect(networkOf("2001:DB8::1")).toBe("2001:db8:0::/48");
    expect(networkOf("::1")).toBe("0:0:0::/48");
    expect(networkOf("fe80::1%eth0")).toBe("fe80:0:0::/48");
    expect(networkOf("64:ff9b::192.0.2.33")).toBe("64:ff9b:0::/48");
    for (const bad of [undefined, "", "+31612345678", "x".repeat(100), "203.0.113.7:80"]) {
      expect(networkOf(bad)).toBe("invalid");
    }
  });
});
