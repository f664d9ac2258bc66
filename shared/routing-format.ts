/**
 * The routing verdict in words (issue 25), one wording for the CLI, `diagnose` and the popup: "All traffic
 * goes through Office VPN", "Only 2 networks go through Office VPN; everything else goes direct", "IPv6
 * bypasses the VPN", and where names are looked up. Pure functions of the snapshot: nothing is computed here
 * that the core did not already decide, only said.
 */
import type { Connection, ConnectionRouting, RoutingVerdict, RoutingWarning } from './connection';
import { displayName } from './format';

type Named = Pick<Connection, 'id' | 'name' | 'adHoc' | 'phoneNumber' | 'routing'>;

function nameOf(connections: readonly Named[], id: string): string {
  const connection = connections.find((c) => c.id === id);
  return connection ? displayName(connection) : id;
}

const plural = (n: number, one: string, many: string): string => `${n} ${n === 1 ? one : many}`;

/** Where traffic to the world goes, in one sentence; null when the backend gives no verdict. */
export function trafficSentence(connections: readonly Named[], verdict: RoutingVerdict | null): string | null {
  if (!verdict) return null;
  const { ipv4, ipv6, ipv6Interface, ipv4Interface } = verdict;
  if (ipv4 !== null) {
    const via = nameOf(connections, ipv4);
    if (ipv6 === ipv4 || ipv6Interface === null) return `All traffic goes through ${via}`;
    if (ipv6 !== null) return `IPv4 traffic goes through ${via}, IPv6 through ${nameOf(connections, ipv6)}`;
    return `IPv4 traffic goes through ${via}; IPv6 bypasses the VPN (${ipv6Interface})`;
  }
  if (ipv6 !== null) return `IPv6 traffic goes through ${nameOf(connections, ipv6)}; IPv4 goes direct${ipv4Interface ? ` (${ipv4Interface})` : ''}`;
  const split = connections.filter((c) => c.routing && c.routing.networks.length > 0);
  if (split.length === 1) {
    const only = split[0]!;
    return `Only ${plural(only.routing!.networks.length, 'network goes', 'networks go')} through ${displayName(only)}; everything else goes direct`;
  }
  if (split.length > 1) {
    const count = split.reduce((n, c) => n + c.routing!.networks.length, 0);
    return `Only ${plural(count, 'network goes', 'networks go')} through ${split.length} connections; everything else goes direct`;
  }
  if (ipv4Interface === null && ipv6Interface === null) return 'No route to the internet';
  return connections.length > 0 ? 'All traffic goes direct, outside every connection listed' : 'All traffic goes direct';
}

function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1';
}

/** Where ordinary names are looked up; null when the resolvers are unknown. */
export function dnsSentence(connections: readonly Named[], verdict: RoutingVerdict | null): string | null {
  if (!verdict || verdict.dnsServers.length === 0) return null;
  const addresses = verdict.dnsServers.map((s) => s.address).join(', ');
  if (verdict.dns !== null) return `Names are looked up through ${nameOf(connections, verdict.dns)} (${addresses})`;
  if (verdict.dnsServers.every((s) => isLoopback(s.address))) return `Names are looked up by a local resolver (${addresses})`;
  const outside = verdict.dnsServers.filter((s) => s.via === null).map((s) => s.address);
  return `Names are looked up outside the VPN (${outside.join(', ')})`;
}

export const WARNING_TEXT: Record<RoutingWarning, string> = {
  'ipv6-bypass': 'IPv6 bypasses the VPN: IPv4 goes through it, IPv6 does not',
  'dns-outside-tunnel': 'Names are looked up outside the VPN while all traffic goes through it',
};

/** One connection's routing in a few words: "all IPv4 and IPv6", "10.99.0.0/16, 192.168.50.0/24", "nothing yet". */
export function routingSummary(routing: ConnectionRouting | null): string | null {
  if (!routing) return null;
  const families = (['ipv4', 'ipv6'] as const).filter((f) => routing[f] === 'all').map((f) => (f === 'ipv4' ? 'IPv4' : 'IPv6'));
  const all = families.length > 0 ? `all ${families.join(' and ')}` : null;
  const networks = routing.networks.filter((n) => !(routing.ipv4 === 'all' && !n.includes(':')) && !(routing.ipv6 === 'all' && n.includes(':')));
  const parts = [all, networks.length > 0 ? networks.join(', ') : null].filter((p): p is string => p !== null);
  return parts.length > 0 ? parts.join(' + ') : 'nothing yet';
}
