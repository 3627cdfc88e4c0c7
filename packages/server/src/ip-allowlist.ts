import { BlockList, isIP } from "node:net";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";

/** Decides whether a client address may call the webhook. */
export interface IpAllowlist {
  /** Short name for logs. */
  readonly name: string;
  /** The entries as configured. */
  readonly entries: readonly string[];
  /** True when `address` (IPv4, IPv6 or IPv4-mapped IPv6) is inside one of the entries. */
  allows(address: string | undefined): boolean;
}

/** An address or subnet parsed from an `ALLOWED_IPS`-style entry. */
export interface ParsedCidr {
  /** The network address, IPv4 already unwrapped from `::ffff:a.b.c.d`. */
  readonly address: string;
  /** Prefix length (32 or 128 for a single address). */
  readonly prefix: number;
  /** Address family. */
  readonly family: "ipv4" | "ipv6";
}

const MAPPED_IPV4 = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i;

/** Returns the IPv4 address inside an IPv4-mapped IPv6 address (`::ffff:10.0.0.1`), else the input. */
export function unmapIpv4(address: string): string {
  const match = MAPPED_IPV4.exec(address);
  return match?.[1] !== undefined ? match[1] : address;
}

/** Parses `10.0.0.0/8`, `::1`, `2001:db8::/32` or `::ffff:10.0.0.0/104`; undefined when invalid. */
export function parseCidr(entry: string): ParsedCidr | undefined {
  const [rawAddress = "", rawPrefix, ...rest] = entry.trim().split("/");
  if (rest.length > 0) return undefined;
  let address = rawAddress;
  let version = isIP(address);
  if (version === 0) return undefined;
  let prefix = rawPrefix === undefined ? (version === 4 ? 32 : 128) : Number(rawPrefix);
  if (rawPrefix !== undefined && !/^\d{1,3}$/.test(rawPrefix)) return undefined;
  const unmapped = unmapIpv4(address);
  if (unmapped !== address) {
    // An IPv4-mapped entry is matched as the IPv4 it wraps: its prefix loses the 96 mapping bits.
    if (prefix < 96) return undefined;
    address = unmapped;
    version = 4;
    prefix -= 96;
  }
  const max = version === 4 ? 32 : 128;
  if (!Number.isInteger(prefix) || prefix < 0 || prefix > max) return undefined;
  return { address, prefix, family: version === 4 ? "ipv4" : "ipv6" };
}

/** The entries of `entries` that {@link parseCidr} refuses. */
export function invalidCidrs(entries: readonly string[]): string[] {
  return entries.filter((entry) => parseCidr(entry) === undefined);
}

/**
 * Builds an allowlist from IPs and CIDRs, IPv4 and IPv6. IPv4-mapped IPv6 client addresses (what a
 * dual-stack socket reports for IPv4 callers) are matched against the IPv4 entries.
 * Throws on an invalid entry; validate first with {@link invalidCidrs} to report them all.
 */
export function createIpAllowlist(entries: readonly string[]): IpAllowlist {
  const list = new BlockList();
  for (const entry of entries) {
    const parsed = parseCidr(entry);
    if (parsed === undefined)
      throw new ServerError(
        SERVER_ERROR_CODES.OPTIONS_INVALID,
        `not an IP address or CIDR: ${JSON.stringify(entry)}`,
      );
    list.addSubnet(parsed.address, parsed.prefix, parsed.family);
  }
  return {
    name: "ip-allowlist",
    entries: Object.freeze([...entries]),
    allows(address) {
      if (!address) return false;
      const plain = unmapIpv4(address);
      const version = isIP(plain);
      if (version === 0) return false;
      return list.check(plain, version === 4 ? "ipv4" : "ipv6");
    },
  };
}
