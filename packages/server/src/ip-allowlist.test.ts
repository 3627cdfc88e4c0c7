import { describe, expect, it } from "vitest";
import { createIpAllowlist, invalidCidrs, parseCidr, unmapIpv4 } from "./ip-allowlist.js";

describe("parseCidr", () => {
  it("reads single addresses and subnets of both families", () => {
    expect(parseCidr("10.0.0.0/8")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
    expect(parseCidr("127.0.0.1")).toEqual({ address: "127.0.0.1", prefix: 32, family: "ipv4" });
    expect(parseCidr("::1")).toEqual({ address: "::1", prefix: 128, family: "ipv6" });
    expect(parseCidr(" 2001:db8::/32 ")).toEqual({ address: "2001:db8::", prefix: 32, family: "ipv6" });
  });

  it("unwraps IPv4-mapped IPv6 entries to IPv4", () => {
    expect(parseCidr("::ffff:10.1.2.3")).toEqual({ address: "10.1.2.3", prefix: 32, family: "ipv4" });
    expect(parseCidr("::ffff:10.0.0.0/104")).toEqual({ address: "10.0.0.0", prefix: 8, family: "ipv4" });
  });

  it("refuses anything else", () => {
    expect(
      invalidCidrs([
        "10.0.0.0/33",
        "::1/129",
        "nope",
        "10.0.0.0/8/1",
        "10.0.0/8",
        "",
        "10.0.0.0/-1",
        "10.0.0.0/x",
      ]),
    ).toHaveLength(8);
  });
});

describe("unmapIpv4", () => {
  it("unwraps ::ffff:a.b.c.d and leaves others alone", () => {
    expect(unmapIpv4("::ffff:127.0.0.1")).toBe("127.0.0.1");
    expect(unmapIpv4("::FFFF:127.0.0.1")).toBe("127.0.0.1");
    expect(unmapIpv4("::1")).toBe("::1");
    expect(unmapIpv4("10.0.0.1")).toBe("10.0.0.1");
  });
});

describe("createIpAllowlist", () => {
  it("admits addresses inside an IPv4 CIDR, including their IPv4-mapped IPv6 form", () => {
    const list = createIpAllowlist(["10.0.0.0/8"]);
    expect(list.allows("10.20.30.40")).toBe(true);
    expect(list.allows("::ffff:10.20.30.40")).toBe(true);
    expect(list.allows("127.0.0.1")).toBe(false);
    expect(list.allows("::ffff:127.0.0.1")).toBe(false);
    expect(list.allows("::1")).toBe(false);
  });

  it("admits IPv6 addresses inside an IPv6 CIDR", () => {
    const list = createIpAllowlist(["2001:db8::/32", "::1"]);
    expect(list.allows("2001:db8:1::5")).toBe(true);
    expect(list.allows("::1")).toBe(true);
    expect(list.allows("2001:db9::1")).toBe(false);
    expect(list.allows("127.0.0.1")).toBe(false);
  });

  it("refuses missing and malformed addresses", () => {
    const list = createIpAllowlist(["0.0.0.0/0"]);
    expect(list.allows(undefined)).toBe(false);
    expect(list.allows("")).toBe(false);
    expect(list.allows("not-an-ip")).toBe(false);
    expect(list.allows("1.2.3.4")).toBe(true);
  });

  it("throws on an invalid entry", () => {
    expect(() => createIpAllowlist(["10.0.0.0/8", "bogus"])).toThrow(/bogus/);
  });
});
