/**
 * Where a probe may go: only inside the tunnel. The target is the tunnel's gateway as its own address tells
 * it (the first host of the tunnel's IPv4 subnet, OpenVPN's `route-gateway` in `topology subnet` and the
 * usual server address of a WireGuard or PPP subnet), and a request is refused unless its target lies in the
 * subnet of an address the connection holds. The sender also binds the echo to the tunnel itself
 * (SO_BINDTODEVICE on Linux, IP_BOUND_IF on macOS, the tunnel's source address on Windows' strong host
 * model), so nothing can leave another way. Probes outside a tunnel make users easier to fingerprint (why
 * Mullvad declined latency pings, FIELD-NOTES): there are none.
 */
import type { Connection } from '../../../shared/connection';
import { ipv6Text } from '../platforms/ip-text';

export interface ProbeRequest {
  /** The connection probed (its `id`): the source checks it against its own latest reading. */
  connectionId: string;
  /** Its interface (Linux, macOS: the device to bind to). */
  deviceName: string;
  /** Its own address the echo leaves from (Windows: the source address), without prefix. */
  localAddress: string;
  /** The gateway inside the tunnel, without prefix. */
  target: string;
  timeoutMs: number;
}

export const PROBE_TIMEOUT_MS = 2000;
/** One echo per probed connection this often, while it is connected (and only where the user turned it on). */
export const PROBE_INTERVAL_MS = 10_000;

type Family = 4 | 6;
const BITS: Record<Family, number> = { 4: 32, 6: 128 };
/** Subnets with hosts to probe: IPv4 /8 to /30; IPv6 /64 to /126 (global or unique-local, never link-local). */
const PREFIXES: Record<Family, [number, number]> = { 4: [8, 30], 6: [64, 126] };

function parseIpv4(text: string): bigint | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0n;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256n + BigInt(part);
  }
  return value;
}

function parseIpv6(text: string): bigint | null {
  if (!/^[0-9a-fA-F:]+$/.test(text) || text.split('::').length > 2) return null;
  const [head, tail] = text.includes('::') ? text.split('::') : [text, null];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const missing = 8 - headGroups.length - tailGroups.length;
  if (tail === null ? missing !== 0 : missing < 1) return null;
  const groups = [...headGroups, ...Array<string>(tail === null ? 0 : missing).fill('0'), ...tailGroups];
  let value = 0n;
  for (const group of groups) {
    if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return null;
    value = (value << 16n) | BigInt(`0x${group}`);
  }
  return value;
}

function parseAddress(text: string): { family: Family; value: bigint } | null {
  const v4 = parseIpv4(text);
  if (v4 !== null) return { family: 4, value: v4 };
  const v6 = parseIpv6(text);
  return v6 === null ? null : { family: 6, value: v6 };
}

function textOf(family: Family, value: bigint): string {
  if (family === 4) return [24n, 16n, 8n, 0n].map((shift) => String((value >> shift) & 0xffn)).join('.');
  const bytes = Buffer.alloc(16);
  for (let i = 0; i < 16; i += 1) bytes[i] = Number((value >> BigInt(8 * (15 - i))) & 0xffn);
  return ipv6Text(bytes);
}

interface Subnet {
  family: Family;
  own: bigint;
  network: bigint;
  size: bigint;
}

/** A tunnel address's subnet, when it has hosts to probe (see PREFIXES; IPv6 link-local fe80::/10 never). */
function subnetOf(cidr: string): Subnet | null {
  const match = /^([^/]+)\/(\d{1,3})$/.exec(cidr);
  if (!match) return null;
  const parsed = parseAddress(match[1]!);
  const prefix = Number(match[2]);
  if (!parsed) return null;
  const [min, max] = PREFIXES[parsed.family];
  if (prefix < min || prefix > max) return null;
  if (parsed.family === 6 && parsed.value >> 118n === 0x3fan) return null; // fe80::/10: needs a scope, and is not the tunnel's far end
  const size = 1n << BigInt(BITS[parsed.family] - prefix);
  return { family: parsed.family, own: parsed.value, network: (parsed.value / size) * size, size };
}

/** True when `target` is a host of the subnet of one of `addresses` (CIDR), and not that address itself. */
export function insideTunnel(target: string, addresses: readonly string[]): boolean {
  const parsed = parseAddress(target);
  if (!parsed) return false;
  return addresses.some((cidr) => {
    const subnet = subnetOf(cidr);
    if (!subnet || subnet.family !== parsed.family) return false;
    // IPv4: neither the network nor the broadcast address; IPv6: not the subnet-router anycast (the first).
    const last = subnet.family === 4 ? subnet.network + subnet.size - 1n : subnet.network + subnet.size;
    return parsed.value > subnet.network && parsed.value < last && parsed.value !== subnet.own;
  });
}

/**
 * The request for a connected connection, or null with no gateway to be found inside it (a /32 address, a
 * link-local one only). `family`: 4 or 6 only; by default IPv4 where the tunnel has it, else IPv6.
 */
export function probeRequestFor(connection: Connection, timeoutMs = PROBE_TIMEOUT_MS, family?: Family): ProbeRequest | null {
  if (connection.state !== 'connected') return null;
  const subnets = connection.addresses.map(subnetOf).filter((subnet): subnet is Subnet => subnet !== null && (family === undefined || subnet.family === family));
  subnets.sort((a, b) => a.family - b.family);
  for (const subnet of subnets) {
    let gateway = subnet.network + 1n;
    if (gateway === subnet.own) gateway += 1n; // we are the first host: the server is the next one (a rare layout)
    const target = textOf(subnet.family, gateway);
    if (!insideTunnel(target, connection.addresses)) continue;
    return { connectionId: connection.id, deviceName: connection.deviceName, localAddress: textOf(subnet.family, subnet.own), target, timeoutMs };
  }
  return null;
}

/**
 * The source's own check, against its latest reading: the connection exists, is connected, holds the source
 * address, is the device named, and the target is inside it. Returns why not, or null when it may be sent.
 */
export function refuseProbe(request: ProbeRequest, connections: readonly Pick<Connection, 'id' | 'state' | 'deviceName' | 'addresses'>[]): string | null {
  const connection = connections.find((c) => c.id === request.connectionId);
  if (!connection || connection.state !== 'connected') return `${request.connectionId} is not a connected connection`;
  if (connection.deviceName !== request.deviceName) return `${request.connectionId} is not on ${request.deviceName}`;
  const local = parseAddress(request.localAddress);
  if (!local || !connection.addresses.some((cidr) => parseAddress(cidr.split('/')[0] ?? '')?.value === local.value)) return `${request.localAddress} is not an address of ${request.connectionId}`;
  if (!insideTunnel(request.target, connection.addresses)) return `${request.target} is not inside the tunnel ${request.deviceName}: never probed`;
  if (!Number.isInteger(request.timeoutMs) || request.timeoutMs < 100 || request.timeoutMs > 10_000) return 'timeoutMs must be 100 to 10000';
  return null;
}
