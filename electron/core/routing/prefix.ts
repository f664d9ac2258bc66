/**
 * IP prefixes as numbers, for the routing verdict: parse and print CIDR text, test containment, and tell
 * whether a set of prefixes covers a whole range (OpenVPN's `redirect-gateway def1` covers 0.0.0.0/0 with
 * 0.0.0.0/1 + 128.0.0.0/1). Address text is parsed by ipaddr.js; the union test is written here because the
 * one npm package that has it (cidr-tools) does not install from this registry (its ip-bigint pin is missing).
 */
import ipaddr from 'ipaddr.js';

export type IpFamily = 4 | 6;

export interface Prefix {
  family: IpFamily;
  /** The network address as an unsigned integer (host bits cleared). */
  network: bigint;
  length: number;
}

export const FAMILY_BITS: Record<IpFamily, number> = { 4: 32, 6: 128 };

/** The address as an unsigned integer, or null when the text is not an IPv4/IPv6 address. */
export function addressValue(text: string): { family: IpFamily; value: bigint } | null {
  if (!ipaddr.isValid(text)) return null;
  const parsed = ipaddr.parse(text);
  // An IPv4-mapped IPv6 address stays IPv6: it is routed by the IPv6 table.
  const bytes = parsed.toByteArray();
  let value = 0n;
  for (const byte of bytes) value = (value << 8n) | BigInt(byte);
  return { family: parsed.kind() === 'ipv4' ? 4 : 6, value };
}

function hostMask(family: IpFamily, length: number): bigint {
  return (1n << BigInt(FAMILY_BITS[family] - length)) - 1n;
}

/** "10.0.0.0/8" → Prefix (host bits cleared: "10.1.2.3/8" is 10.0.0.0/8); a bare address is a host prefix. */
export function parsePrefix(text: string): Prefix | null {
  const slash = text.indexOf('/');
  const address = addressValue(slash === -1 ? text : text.slice(0, slash));
  if (!address) return null;
  const bits = FAMILY_BITS[address.family];
  const lengthText = slash === -1 ? String(bits) : text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(lengthText)) return null;
  const length = Number(lengthText);
  if (length > bits) return null;
  return { family: address.family, network: address.value & ~hostMask(address.family, length), length };
}

/** Canonical CIDR text: "10.0.0.0/8", "2000::/3" (RFC 5952 for IPv6, as ipaddr.js prints it). */
export function formatPrefix(prefix: Prefix): string {
  const bytes: number[] = [];
  let value = prefix.network;
  for (let i = 0; i < FAMILY_BITS[prefix.family] / 8; i++) {
    bytes.unshift(Number(value & 0xffn));
    value >>= 8n;
  }
  return `${ipaddr.fromByteArray(bytes).toString()}/${prefix.length}`;
}

export function lastAddress(prefix: Prefix): bigint {
  return prefix.network | hostMask(prefix.family, prefix.length);
}

export function containsAddress(prefix: Prefix, family: IpFamily, value: bigint): boolean {
  return prefix.family === family && value >= prefix.network && value <= lastAddress(prefix);
}

/** Whether the union of `prefixes` (of any family) covers every address of `target`. */
export function coversPrefix(prefixes: readonly Prefix[], target: Prefix): boolean {
  const end = lastAddress(target);
  const ranges = prefixes
    .filter((p) => p.family === target.family)
    .map((p) => [p.network, lastAddress(p)] as const)
    .filter(([first, last]) => last >= target.network && first <= end)
    .sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  let next = target.network; // the first address not yet covered
  for (const [first, last] of ranges) {
    if (first > next) return false;
    if (last >= next) {
      if (last >= end) return true;
      next = last + 1n;
    }
  }
  return false;
}
