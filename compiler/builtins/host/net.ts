// net.cidr_contains with ipaddr.js.
import ipaddr from "ipaddr.js";
import { BuiltinError, expectOperand } from "./errors";

type Range = [ipaddr.IPv4 | ipaddr.IPv6, number];

function parseCidr(s: string, n: number): Range {
  try {
    const [addr, bits] = ipaddr.parseCIDR(s);
    return [
      addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress()
        ? (addr as ipaddr.IPv6).toIPv4Address()
        : addr,
      addr.kind() === "ipv6" && (addr as ipaddr.IPv6).isIPv4MappedAddress() ? bits - 96 : bits,
    ];
  } catch {
    throw new BuiltinError("net.cidr_contains", `operand ${n}: invalid CIDR ${JSON.stringify(s)}`);
  }
}

function parseIp(s: string, n: number): ipaddr.IPv4 | ipaddr.IPv6 {
  if (!ipaddr.isValid(s))
    throw new BuiltinError("net.cidr_contains", `operand ${n}: invalid IP address ${JSON.stringify(s)}`);
  // Go's net.ParseIP rejects IPv4 forms like "10" or "0x0a.1" that ipaddr.js accepts.
  if (!s.includes(":") && !/^\d{1,3}(\.\d{1,3}){3}$/.test(s)) {
    throw new BuiltinError("net.cidr_contains", `operand ${n}: invalid IP address ${JSON.stringify(s)}`);
  }
  const a = ipaddr.parse(s);
  return a.kind() === "ipv6" && (a as ipaddr.IPv6).isIPv4MappedAddress() ? (a as ipaddr.IPv6).toIPv4Address() : a;
}

/** net.cidr_contains(cidr, cidr_or_ip): is the address or whole network inside `cidr`? */
export function cidrContains(cidr: unknown, inner: unknown): boolean {
  expectOperand("net.cidr_contains", 1, cidr, "string", typeof cidr === "string");
  expectOperand("net.cidr_contains", 2, inner, "string", typeof inner === "string");
  const outer = parseCidr(cidr as string, 1);
  const s = inner as string;
  if (s.includes("/")) {
    const [addr, bits] = parseCidr(s, 2);
    return addr.kind() === outer[0].kind() && bits >= outer[1] && addr.match(outer);
  }
  const ip = parseIp(s, 2);
  return ip.kind() === outer[0].kind() && ip.match(outer);
}
