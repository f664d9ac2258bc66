/**
 * The routing verdict (issue 25), a pure function of what the backend read: per connection, what it carries
 * (`Connection.routing`), and for the machine, which connection a packet to a public address of each family
 * and an ordinary name lookup would leave by (`Snapshot.verdict`). The OS's own lookup answers the machine's
 * question wherever the backend made one (it honours policy rules, metrics and scoped routes as the kernel
 * does); the routes and rules answer it otherwise, as Linux's fib rules would.
 */
import type { ConnectionRouting, DnsServerVerdict, FamilyRouting, RoutingVerdict, RoutingWarning } from '../../../shared/connection';
import { addressValue, containsAddress, coversPrefix, formatPrefix, parsePrefix, type IpFamily, type Prefix } from './prefix';
import { VERDICT_TARGETS, type RouteEntry, type RouteLookup, type RouteRule, type RoutingReading } from './routing-reading';

/** What "all of a family" means: IPv4's whole space; for IPv6 every global unicast address (2000::/3, RFC
 * 4291 §2.4), which is what OpenVPN's `redirect-gateway ipv6` covers (::/3, 2000::/4, 3000::/4, fc00::/7). */
const EVERYTHING: Record<IpFamily, Prefix> = {
  4: parsePrefix('0.0.0.0/0') as Prefix,
  6: parsePrefix('2000::/3') as Prefix,
};

interface TableUse {
  table: number;
  suppressPrefixLength: number | null;
}

/**
 * The tables an ordinary packet from this machine is looked up in, in rule order, up to a rule that stops
 * everything (unreachable…). Null when the family has no rules: the OS has a single table (Windows, macOS).
 */
export function ordinaryTables(rules: readonly RouteRule[], family: IpFamily): TableUse[] | null {
  const own = rules.filter((rule) => rule.family === family).sort((a, b) => a.priority - b.priority);
  if (own.length === 0) return null;
  const uses: TableUse[] = [];
  for (const rule of own) {
    // A selective rule matches only marked/sourced traffic; inverted, it matches everything else.
    if (rule.selective !== rule.invert) continue;
    if (rule.action !== 'lookup') {
      if (rule.action === 'other') continue;
      break;
    }
    uses.push({ table: rule.table, suppressPrefixLength: rule.suppressPrefixLength });
  }
  return uses;
}

function counted(route: RouteEntry, prefix: Prefix, uses: TableUse[] | null): boolean {
  if (route.type !== 'unicast') return false;
  if (uses === null) return true;
  return uses.some((use) => use.table === route.table && (use.suppressPrefixLength === null || prefix.length > use.suppressPrefixLength));
}

function familyRouting(prefixes: readonly Prefix[], family: IpFamily, networks: readonly Prefix[]): FamilyRouting {
  if (coversPrefix(prefixes, EVERYTHING[family])) return 'all';
  return networks.some((p) => p.family === family) ? 'some' : 'none';
}

function comparePrefixes(a: Prefix, b: Prefix): number {
  if (a.family !== b.family) return a.family - b.family;
  if (a.network !== b.network) return a.network < b.network ? -1 : 1;
  return a.length - b.length;
}

/** Per connection: its families' coverage, the networks routed through it, the resolvers it supplies. */
export function connectionRouting(reading: RoutingReading, connectionId: string): ConnectionRouting {
  const uses: Record<IpFamily, TableUse[] | null> = { 4: ordinaryTables(reading.rules, 4), 6: ordinaryTables(reading.rules, 6) };
  const carried: Prefix[] = [];
  const networks = new Map<string, Prefix>();
  for (const route of reading.routes) {
    if (route.connectionId !== connectionId) continue;
    const prefix = parsePrefix(route.destination);
    if (!prefix || prefix.family !== route.family || !counted(route, prefix, uses[route.family])) continue;
    carried.push(prefix);
    if (!route.ownSubnet && !isLinkLocal(prefix)) networks.set(formatPrefix(prefix), prefix);
  }
  const sorted = [...networks.values()].sort(comparePrefixes);
  const dns = reading.dns?.supplied.filter((s) => s.connectionId === connectionId).flatMap((s) => s.addresses) ?? [];
  return {
    ipv4: familyRouting(carried, 4, sorted),
    ipv6: familyRouting(carried, 6, sorted),
    networks: sorted.map(formatPrefix),
    dns: [...new Set(dns)],
  };
}

const LINK_LOCAL: Record<IpFamily, Prefix> = { 4: parsePrefix('169.254.0.0/16') as Prefix, 6: parsePrefix('fe80::/10') as Prefix };
const MULTICAST: Record<IpFamily, Prefix> = { 4: parsePrefix('224.0.0.0/4') as Prefix, 6: parsePrefix('ff00::/8') as Prefix };

/** Link-local and multicast prefixes say nothing about where traffic to the world goes. */
function isLinkLocal(prefix: Prefix): boolean {
  return [LINK_LOCAL[prefix.family], MULTICAST[prefix.family]].some((p) => prefix.length >= p.length && coversPrefix([p], prefix));
}

/**
 * The route a packet to `target` would take by the routes and rules alone (fib rules in priority order, the
 * longest prefix in each table, then the lowest metric; `throw` goes on to the next rule), or null when none.
 * Used where the backend made no lookup of its own.
 */
export function routeFor(reading: Pick<RoutingReading, 'routes' | 'rules'>, target: string): RouteEntry | null {
  const address = addressValue(target);
  if (!address) return null;
  const uses = ordinaryTables(reading.rules, address.family) ?? [{ table: -1, suppressPrefixLength: null }];
  for (const use of uses) {
    let best: { route: RouteEntry; length: number } | null = null;
    for (const route of reading.routes) {
      if (route.family !== address.family || (use.table !== -1 && route.table !== use.table)) continue;
      if (route.type === 'local' || route.type === 'broadcast' || route.type === 'multicast' || route.type === 'other') continue;
      const prefix = parsePrefix(route.destination);
      if (!prefix || !containsAddress(prefix, address.family, address.value)) continue;
      if (use.suppressPrefixLength !== null && prefix.length <= use.suppressPrefixLength) continue;
      if (!best || prefix.length > best.length || (prefix.length === best.length && route.metric < best.route.metric)) best = { route, length: prefix.length };
    }
    if (!best || best.route.type === 'throw') continue;
    return best.route.type === 'unicast' ? best.route : null;
  }
  return null;
}

function isLoopback(address: string): boolean {
  const value = addressValue(address);
  if (!value) return false;
  return value.family === 4 ? value.value >> 24n === 127n : value.value === 1n;
}

/** The machine's verdict: the OS's lookups where made, else routeFor; the resolvers; the warnings. */
export function machineVerdict(reading: RoutingReading, connectionIds: readonly string[]): RoutingVerdict {
  const listed = new Set(connectionIds);
  const leave = (family: IpFamily): { id: string | null; interface: string | null } => {
    const lookup: RouteLookup | RouteEntry | null = reading.lookups.find((l) => l.family === family) ?? routeFor(reading, VERDICT_TARGETS[family]);
    if (!lookup) return { id: null, interface: null };
    return { id: lookup.connectionId !== null && listed.has(lookup.connectionId) ? lookup.connectionId : null, interface: lookup.interface };
  };
  const v4 = leave(4);
  const v6 = leave(6);
  const dnsServers: DnsServerVerdict[] = (reading.dns?.used ?? []).map((server) => ({
    address: server.address,
    via: server.connectionId !== null && listed.has(server.connectionId) ? server.connectionId : null,
    interface: server.interface,
  }));
  const dns = dnsServers.length > 0 && dnsServers.every((s) => s.via !== null) ? dnsServers[0]!.via : null;
  const warnings: RoutingWarning[] = [];
  // A classic leak: IPv4 goes through a tunnel, IPv6 has a route and it is not through any.
  if (v4.id !== null && v6.id === null && v6.interface !== null) warnings.push('ipv6-bypass');
  // A local stub (127.0.0.53) forwards elsewhere: no verdict on it alone, and no warning on a guess.
  if (v4.id !== null && dnsServers.some((s) => s.via === null && s.interface !== null && !isLoopback(s.address))) warnings.push('dns-outside-tunnel');
  return {
    ipv4: v4.id,
    ipv6: v6.id,
    dns,
    ipv4Interface: v4.interface,
    ipv6Interface: v6.interface,
    dnsServers,
    dnsSource: reading.dns?.source ?? null,
    warnings,
  };
}

/** Both answers at once: `routing` for each listed connection, and the machine's verdict. */
export function routingVerdict(reading: RoutingReading, connectionIds: readonly string[]): { routing: Map<string, ConnectionRouting>; verdict: RoutingVerdict } {
  return {
    routing: new Map(connectionIds.map((id) => [id, connectionRouting(reading, id)])),
    verdict: machineVerdict(reading, connectionIds),
  };
}
