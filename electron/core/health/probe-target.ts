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

function ipv4ToNumber(text: string): number | null {
  const parts = text.split('.');
  if (parts.length !== 4) return null;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return null;
    value = value * 256 + Number(part);
  }
  return value;
}

function numberToIpv4(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join('.');
}

function parseCidr(cidr: string): { address: number; prefix: number } | null {
  const match = /^([\d.]+)\/(\d{1,2})$/.exec(cidr);
  if (!match) return null;
  const address = ipv4ToNumber(match[1]!);
  const prefix = Number(match[2]);
  return address === null || prefix > 32 ? null : { address, prefix };
}

/** True when `target` (IPv4) is a host of the subnet of one of `addresses` (CIDR), and not that address itself. */
export function insideTunnel(target: string, addresses: readonly string[]): boolean {
  const value = ipv4ToNumber(target);
  if (value === null) return false;
  return addresses.some((cidr) => {
    const parsed = parseCidr(cidr);
    if (!parsed || parsed.prefix > 30 || parsed.prefix < 8) return false;
    const size = 2 ** (32 - parsed.prefix);
    const network = Math.floor(parsed.address / size) * size;
    return value > network && value < network + size - 1 && value !== parsed.address;
  });
}

/** The request for a connected connection, or null with no gateway to be found inside it (a /32 address). */
export function probeRequestFor(connection: Connection, timeoutMs = PROBE_TIMEOUT_MS): ProbeRequest | null {
  if (connection.state !== 'connected') return null;
  for (const cidr of connection.addresses) {
    const parsed = parseCidr(cidr);
    if (!parsed || parsed.prefix > 30 || parsed.prefix < 8) continue;
    const size = 2 ** (32 - parsed.prefix);
    const network = Math.floor(parsed.address / size) * size;
    let gateway = network + 1;
    if (gateway === parsed.address) gateway += 1; // we are .1: the server is the next one (a rare layout)
    const target = numberToIpv4(gateway);
    if (!insideTunnel(target, connection.addresses)) continue;
    return { connectionId: connection.id, deviceName: connection.deviceName, localAddress: numberToIpv4(parsed.address), target, timeoutMs };
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
  if (!connection.addresses.some((cidr) => cidr.split('/')[0] === request.localAddress)) return `${request.localAddress} is not an address of ${request.connectionId}`;
  if (!insideTunnel(request.target, connection.addresses)) return `${request.target} is not inside the tunnel ${request.deviceName}: never probed`;
  if (!Number.isInteger(request.timeoutMs) || request.timeoutMs < 100 || request.timeoutMs > 10_000) return 'timeoutMs must be 100 to 10000';
  return null;
}
