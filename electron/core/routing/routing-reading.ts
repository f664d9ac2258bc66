/**
 * What a backend reads of the routing state (ConnectionSource.readRouting): its routes, policy rules, the OS's
 * own answer to "which way would a packet to a public address leave" (a lookup: no packet is sent), and where
 * names are resolved. Plain data (it crosses the core protocol). Each route and lookup names the listed
 * connection it leaves by, as the backend pairs interfaces with connections; `verdict.ts` turns this into
 * `Connection.routing` and `Snapshot.verdict`.
 */
import type { IpFamily } from './prefix';

export type RouteType = 'unicast' | 'local' | 'broadcast' | 'multicast' | 'unreachable' | 'blackhole' | 'prohibit' | 'throw' | 'other';

export interface RouteEntry {
  family: IpFamily;
  /** CIDR text: "0.0.0.0/0", "10.99.0.0/16", "2000::/3". */
  destination: string;
  /** The interface it leaves by ("tun0", "eth0"); null for routes without one (unreachable, blackhole). */
  interface: string | null;
  /** The listed connection that interface belongs to; null for any other interface. */
  connectionId: string | null;
  gateway: string | null;
  /** Routing table: Linux's 254 (main), 255 (local), wg-quick's 51820…; 254 where the OS has one table. */
  table: number;
  /** Lower wins among routes of the same prefix (Linux priority, Windows route + interface metric). */
  metric: number;
  type: RouteType;
  /** Made by the OS for an address's own subnet (Linux `proto kernel`): implied by the address, not routed to it. */
  ownSubnet: boolean;
}

export type RuleAction = 'lookup' | 'unreachable' | 'blackhole' | 'prohibit' | 'other';

/** A policy routing rule (Linux `ip rule`); platforms without policy routing report none. */
export interface RouteRule {
  family: IpFamily;
  priority: number;
  action: RuleAction;
  /** For `lookup`: the table consulted. */
  table: number;
  /**
   * The rule matches only some traffic (an fwmark, an input or output interface, a source or destination
   * prefix, a uid range, ports, a DS field…): an ordinary packet from this machine does not match it.
   */
  selective: boolean;
  /** `not`: the rule applies to what its selectors do not match (wg-quick's `not fwmark 51820`). */
  invert: boolean;
  /** Routes this long or shorter are ignored when found through this rule (wg-quick's `suppress_prefixlength 0`). */
  suppressPrefixLength: number | null;
}

/** The OS's route lookup for one address (Linux RTM_GETROUTE, Windows GetBestRoute2, macOS RTM_GET). */
export interface RouteLookup {
  family: IpFamily;
  /** The address asked about. */
  target: string;
  /** The interface a packet would leave by; null when there is no route (ENETUNREACH, an unreachable route). */
  interface: string | null;
  connectionId: string | null;
  gateway: string | null;
}

/** One resolver and where the queries to it leave. */
export interface DnsServerReading {
  address: string;
  /** The interface its queries leave by (systemd-resolved binds per-link servers to their link; otherwise the route to it). */
  interface: string | null;
  connectionId: string | null;
}

export interface DnsReading {
  /** Where it was read: "systemd-resolved", "resolv.conf", "GetAdaptersAddresses", "scutil". */
  source: string;
  /** The resolvers used for ordinary names (no routing domain of their own), in the order tried. */
  used: DnsServerReading[];
  /** The resolvers each listed connection supplies. */
  supplied: { connectionId: string; addresses: string[] }[];
}

export interface RoutingReading {
  routes: RouteEntry[];
  rules: RouteRule[];
  lookups: RouteLookup[];
  /** Null when the resolvers could not be read. */
  dns: DnsReading | null;
}

/**
 * The addresses the verdict asks the OS about: documentation addresses (RFC 5737 TEST-NET-2, RFC 3849) that
 * are routed like any public address, used only as lookup keys: no packet is ever sent to them.
 */
export const VERDICT_TARGETS: Record<IpFamily, string> = { 4: '198.51.100.1', 6: '2001:db8::1' };
