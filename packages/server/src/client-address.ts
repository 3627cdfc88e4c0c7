import { BlockList, isIP } from "node:net";
import { SERVER_ERROR_CODES, ServerError } from "./errors.js";
import { parseCidr, unmapIpv4 } from "./ip-allowlist.js";

/** The named ranges `trustProxy` accepts besides addresses and CIDRs. */
const PROXY_RANGE_NAMES: Readonly<Record<string, readonly string[]>> = Object.freeze({
  loopback: ["127.0.0.0/8", "::1/128"],
  linklocal: ["169.254.0.0/16", "fe80::/10"],
  uniquelocal: ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7"],
});

/** Most `X-Forwarded-For` hops looked at, from the right; a longer chain stops at the last trusted one. */
export const MAX_FORWARDED_HOPS = 16;

/** Finds the client address of a request from its socket address and `X-Forwarded-For`. */
export type ClientAddressOf = (
  socketAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
) => string | undefined;

/** The entries of `trustProxy` that are neither an IP, a CIDR nor a named range. */
export function invalidProxyEntries(entries: readonly string[]): string[] {
  return entries.filter(
    (entry) => !Object.hasOwn(PROXY_RANGE_NAMES, entry) && parseCidr(String(entry)) === undefined,
  );
}

function trustList(entries: readonly string[]): BlockList {
  const list = new BlockList();
  for (const entry of entries) {
    for (const cidr of PROXY_RANGE_NAMES[entry] ?? [entry]) {
      const parsed = parseCidr(cidr);
      if (parsed === undefined) {
        const problem = `trustProxy: not an IP address, CIDR or range name: ${entry}`;
        throw new ServerError(SERVER_ERROR_CODES.OPTIONS_INVALID, problem, { problems: [problem] });
      }
      list.addSubnet(parsed.address, parsed.prefix, parsed.family);
    }
  }
  return list;
}

/** `address` when it is an IP address (IPv4 or IPv6), else undefined. */
export function validIp(address: string | undefined): string | undefined {
  if (address === undefined || address.length > 45) return undefined;
  return isIP(address) === 0 ? undefined : address;
}

function isTrusted(list: BlockList, address: string): boolean {
  const plain = unmapIpv4(address);
  const version = isIP(plain);
  return version !== 0 && list.check(plain, version === 4 ? "ipv4" : "ipv6");
}

/**
 * The client address resolver. Without `trustProxy`, the socket's address. With it, the
 * `X-Forwarded-For` chain is walked from the right (the hop the nearest proxy added) while the
 * address reached is a trusted proxy; the first untrusted address is the client. An entry that is
 * not an IP address (or a chain longer than {@link MAX_FORWARDED_HOPS}) stops the walk at the last
 * trusted hop, so the client address is always a real IP that a trusted proxy vouched for, never a
 * value the client wrote.
 */
export function createClientAddressOf(trustProxy: readonly string[] | undefined): ClientAddressOf {
  if (trustProxy === undefined || trustProxy.length === 0) return (socketAddress) => socketAddress;
  const list = trustList(trustProxy);
  return (socketAddress, forwardedFor) => {
    if (socketAddress === undefined || !isTrusted(list, socketAddress)) return socketAddress;
    const header = Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor;
    if (header === undefined) return socketAddress;
    let current = socketAddress;
    let end = header.length;
    for (let hop = 0; hop < MAX_FORWARDED_HOPS && end > 0; hop++) {
      const comma = header.lastIndexOf(",", end - 1);
      const entry = validIp(header.slice(comma + 1, end).trim());
      if (entry === undefined) return current;
      current = entry;
      if (!isTrusted(list, entry)) return entry;
      end = comma;
    }
    return current;
  };
}

function ipv6Groups(address: string): string[] {
  let text = address.toLowerCase();
  const zone = text.indexOf("%");
  if (zone !== -1) text = text.slice(0, zone);
  const lastColon = text.lastIndexOf(":");
  const tail = text.slice(lastColon + 1);
  if (tail.includes(".")) {
    const [a = 0, b = 0, c = 0, d = 0] = tail.split(".").map(Number);
    text = `${text.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head = "", rest] = text.split("::");
  const front = head === "" ? [] : head.split(":");
  if (rest === undefined) return front;
  const back = rest === "" ? [] : rest.split(":");
  return [...front, ...new Array<string>(Math.max(0, 8 - front.length - back.length)).fill("0"), ...back];
}

/**
 * The client's network for logs: `203.0.113.0/24` for IPv4 (IPv4-mapped IPv6 included),
 * `2001:db8:1::/48` for IPv6, `invalid` for anything that is not an IP address. Never the raw value.
 */
export function networkOf(address: string | undefined): string {
  const valid = validIp(address);
  if (valid === undefined) return "invalid";
  const plain = unmapIpv4(valid);
  if (isIP(plain) === 4) return `${plain.slice(0, plain.lastIndexOf("."))}.0/24`;
  const groups = ipv6Groups(plain)
    .slice(0, 3)
    .map((group) => Number.parseInt(group, 16).toString(16));
  return `${groups.join(":")}::/48`;
}
