import type { ConnectionHealth } from './health';

/**
 * The one definition of what Linkwatch knows about a connection. The core produces these, the CLI prints
 * them as JSON (schema in README.md), and the popup renders them. Plain data only: it crosses IPC and stdout.
 */

/** What a user would call the link: `vpn` (RAS device type vpn, tunnels), `broadband` (PPPoE), `dialup`
 * (modem, ISDN, X.25 and the other dial devices, ppp), `other` (anything the backend cannot place). */
export type ConnectionKind = 'vpn' | 'broadband' | 'dialup' | 'other';
export const CONNECTION_KINDS: readonly ConnectionKind[] = ['vpn', 'broadband', 'dialup', 'other'];

/** Coarse state every backend maps onto; the backend's own word is kept in `Connection.stateDetail`. */
export type ConnectionState = 'connecting' | 'connected' | 'paused' | 'disconnected';
export const CONNECTION_STATES: readonly ConnectionState[] = ['connecting', 'connected', 'paused', 'disconnected'];

/** An error travels as data, never as an exception across a process boundary. */
export interface ErrorInfo {
  /** Numeric OS/RAS code (e.g. 632) or a short symbolic code (e.g. "ENOBACKEND"). */
  code: number | string;
  message: string;
}

export interface Connection {
  /** Stable for the life of the connection: the same connection keeps its id from snapshot to snapshot. */
  id: string;
  /** The phone-book entry name as RAS reports it ("." + the number when `adHoc`), or the interface's friendly
   * name on Linux/macOS. Displays show `phoneNumber` for ad hoc connections. */
  name: string;
  kind: ConnectionKind;
  state: ConnectionState;
  /** The backend's own state word, e.g. "RASCS_Connected" or "UP,LOWER_UP". */
  stateDetail: string;
  /** RAS device type ("vpn", "PPPoE", "modem"…) or the link kind on Linux/macOS ("tun", "wireguard", "ppp"…). */
  deviceType: string;
  /** RAS device name ("WAN Miniport (IKEv2)") or the interface name ("tun0"). */
  deviceName: string;
  /** Phone-book file the entry came from; null when there is none. */
  phonebook: string | null;
  /** True when dialled without a phone-book entry: RAS then names the connection "." + phone number. */
  adHoc: boolean;
  /** The number dialled, when the backend knows it (always for ad hoc connections). */
  phoneNumber: string | null;
  /** The program that owns the link (e.g. "OpenVPN", "wireguard-go"), when the backend can tell. */
  owner: string | null;
  /** Assigned addresses in CIDR form ("10.8.0.2/24", "fd00::2/64"); empty when unknown. */
  addresses: string[];
  mtu: number | null;
  /** Byte counters since the link came up; null when the backend does not read them (or was not asked to). */
  bytesIn: number | null;
  bytesOut: number | null;
  /** Throughput in bytes per second, computed by the core from successive counters; null until two readings. */
  rateIn: number | null;
  rateOut: number | null;
  /** Epoch milliseconds when the connection reached `connected` (kernel's figure where it has one). */
  connectedSince: number | null;
  /** The last error the backend reported for this connection (RAS `dwError`), null when none. */
  lastError: ErrorInfo | null;
  /** Whether the backend can hang this connection up. */
  canDisconnect: boolean;
  /**
   * Why `canDisconnect` is false, in words the details show (Linux: "started outside NetworkManager"); null
   * when it can be hung up. Absent where the backend gives no reason.
   */
  disconnectUnavailable?: string | null;
  /** What goes through this connection (issue 25); null where the backend reads no routes. */
  routing: ConnectionRouting | null;
  /**
   * Whether traffic flows (shared/health.ts): set by the monitor for a connected connection whose backend
   * reads byte counters; absent (or null) otherwise.
   */
  health?: ConnectionHealth | null;
}

/**
 * How much of one address family a connection carries: `all` when it carries that family's default route in a
 * table ordinary traffic consults (or prefixes that cover it: OpenVPN's `redirect-gateway def1` installs
 * 0.0.0.0/1 + 128.0.0.0/1; for IPv6, prefixes covering every global unicast address, 2000::/3), `some` when
 * only the prefixes in `networks`, `none` when nothing yet.
 */
export type FamilyRouting = 'all' | 'some' | 'none';
export const FAMILY_ROUTINGS: readonly FamilyRouting[] = ['all', 'some', 'none'];

/** `Connection.routing`: the `list --json` contract scripts rely on (README "Routing and DNS"). */
export interface ConnectionRouting {
  ipv4: FamilyRouting;
  ipv6: FamilyRouting;
  /** The prefixes routed through it (CIDR, e.g. "10.99.0.0/16"), beyond the subnet of its own address. */
  networks: string[];
  /** The DNS resolvers it supplies (addresses), where the system says (systemd-resolved, NetworkManager…). */
  dns: string[];
}

/** What the routing verdict warns about; each can be switched off in the popup's settings. */
export type RoutingWarning = 'ipv6-bypass' | 'dns-outside-tunnel';
export const ROUTING_WARNINGS: readonly RoutingWarning[] = ['ipv6-bypass', 'dns-outside-tunnel'];

/** One resolver the system uses for ordinary names, and where queries to it leave. */
export interface DnsServerVerdict {
  address: string;
  /** The listed connection its queries leave by; null outside every listed connection. */
  via: string | null;
  /** The interface its queries leave by ("eth0", "lo" for a local stub); null when the route lookup failed. */
  interface: string | null;
}

/**
 * The machine's answer to "where does my traffic go": asked of the OS's own route lookup (no packet sent).
 * `ipv4`/`ipv6` hold the `id` of the listed connection a packet to a public address of that family would
 * leave by, or null when it leaves outside every listed connection (or has no route at all: see
 * `ipv4Interface`). `dns` is the listed connection every ordinary name lookup leaves by, or null when some
 * leave outside every listed connection (or the resolvers are unknown).
 */
export interface RoutingVerdict {
  ipv4: string | null;
  ipv6: string | null;
  dns: string | null;
  /** The interface a public address's packet would leave by; null when that family has no route at all. */
  ipv4Interface: string | null;
  ipv6Interface: string | null;
  /** The resolvers used for ordinary names, in the order the system tries them. */
  dnsServers: DnsServerVerdict[];
  /** Where the resolvers were read: "systemd-resolved", "resolv.conf", "GetAdaptersAddresses"… */
  dnsSource: string | null;
  warnings: RoutingWarning[];
}

/**
 * How the list is kept current: `push` when the OS notifies changes (rtnetlink groups,
 * RasConnectionNotification; a slow safety read backs up those that can miss one silently, README "How often
 * the list is read"); `poll` when it is read on a timer (no
 * notifications here: a backend without them, Wine's stub rasapi32, a registration that failed).
 */
export type UpdateMode = 'push' | 'poll';
export const UPDATE_MODES: readonly UpdateMode[] = ['push', 'poll'];

/** One reading of the machine: what `linkwatch list --json` prints. */
export interface Snapshot {
  /** `process.platform` of the machine read. */
  platform: string;
  /** Which backend read it: "rasapi32", "netlink", "getifaddrs", or "none". */
  backend: string;
  /** How the monitor keeps this list current (see UpdateMode). */
  updates: UpdateMode;
  connections: Connection[];
  /** Set when the last read failed; `connections` is then the last good list. */
  error: ErrorInfo | null;
  /** Epoch milliseconds of the last read (successful or not); null before the first. */
  takenAt: number | null;
  /** Where traffic and names go (issue 25); null where the backend reads no routes, or before the first read. */
  verdict: RoutingVerdict | null;
}

/** Fields whose change makes a `changed` event. Counters and rates change on their own and are listed too. */
export type ConnectionField = Exclude<keyof Connection, 'id'>;

export type ConnectionEvent =
  | { type: 'added'; connection: Connection }
  | { type: 'removed'; connection: Connection }
  | { type: 'changed'; connection: Connection; previous: Connection; fields: ConnectionField[] };

/** What the monitor emits: connection events, and a change of the backend's error state (null = recovered). */
export type MonitorEvent = ConnectionEvent | { type: 'error'; error: ErrorInfo | null };

/** One push from the monitor: the events of one read and the snapshot after them. */
export interface MonitorUpdate {
  events: MonitorEvent[];
  snapshot: Snapshot;
}
