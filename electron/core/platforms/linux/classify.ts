/**
 * From the kernel's facts about one link to a Connection: which links are tunnels at all, what kind, what
 * name, what state. Pure: linux-source.ts gathers the facts, the unit tests feed constructed ones.
 */
import type { ConnectionKind, ConnectionState } from '../../../../shared/connection';
import type { SourceConnection } from '../source';
import type { PppCarrier } from './ppp';
import { ARPHRD, AF_INET6, IFA_F_DADFAILED, IFF, TUN_TYPE_TAP, describeFlags, type AddressMessage, type LinkMessage } from './rtnetlink';
import { ownerDisplayName, type TunOwner } from './tun-owners';

/** Link kinds (IFLA_INFO_KIND) that are IP tunnels: shown as VPNs. */
const TUNNEL_KINDS = new Set(['wireguard', 'gre', 'gretap', 'ip6gre', 'ip6gretap', 'erspan', 'ip6erspan', 'ipip', 'sit', 'ip6tnl', 'vti', 'vti6', 'xfrm', 'ipsec']);
/** Tunnel hardware types for links without a kind, named as `ip link` would call them. */
const TUNNEL_ARPHRD = new Map<number, string>([
  [ARPHRD.TUNNEL, 'ipip'],
  [ARPHRD.TUNNEL6, 'ip6tnl'],
  [ARPHRD.SIT, 'sit'],
  [ARPHRD.IPGRE, 'gre'],
  [ARPHRD.IP6GRE, 'ip6gre'],
]);
/**
 * The per-namespace fallback devices the tunnel modules create on load (tunl0, gre0, sit0…): always down,
 * never a connection.
 */
const FALLBACK_DEVICES = new Set(['tunl0', 'gre0', 'gretap0', 'erspan0', 'sit0', 'ip6tnl0', 'ip6gre0', 'ip6gretap0', 'ip6erspan0', 'ip_vti0', 'ip6_vti0']);
/** Programs whose tap (Ethernet-like tun) devices are VPNs; other taps are virtual machines' NICs. */
const TAP_VPN_OWNERS = new Set(['openvpn', 'openconnect', 'vpnc', 'zerotier-one']);

/** Labels of link kinds. A Map, not an object: the key is the kernel's IFLA_INFO_KIND text. */
const KIND_LABELS = new Map<string, string>([
  ['wireguard', 'WireGuard'],
  ['gre', 'GRE tunnel'],
  ['gretap', 'GRE tunnel'],
  ['ip6gre', 'GRE tunnel'],
  ['ip6gretap', 'GRE tunnel'],
  ['erspan', 'ERSPAN tunnel'],
  ['ip6erspan', 'ERSPAN tunnel'],
  ['ipip', 'IP-in-IP tunnel'],
  ['sit', 'IPv6-in-IPv4 tunnel'],
  ['ip6tnl', 'IPv6 tunnel'],
  ['vti', 'IPsec (VTI)'],
  ['vti6', 'IPsec (VTI)'],
  ['xfrm', 'IPsec (XFRM)'],
  ['ipsec', 'IPsec'],
  ['tun', 'Tunnel'],
  ['tap', 'Tunnel'],
  ['ppp', 'PPP'],
]);

/** A network profile NetworkManager has active on a device (see network-manager.ts). */
export interface NmProfile {
  name: string;
  state: ConnectionState;
  /** NetworkManager's state word, e.g. "activated". */
  stateDetail: string;
  /** The active connection's object path when NetworkManager owns this link (Disconnect deactivates it), else null. */
  activePath: string | null;
}

/** Facts about the machine that are not in the link message itself. */
export interface LinkHints {
  /** Owner of each tun/tap device by ifname (from /proc fdinfo), null when unknown. */
  owners: ReadonlyMap<string, TunOwner | null>;
  /** Names with a wireguard-go control socket, /var/run/wireguard/<ifname>.sock. */
  wireguardSockets: ReadonlySet<string>;
  ppp: ReadonlyMap<string, PppCarrier>;
  /** NetworkManager profiles by ifname, when the system bus has NetworkManager. */
  networkManager: ReadonlyMap<string, NmProfile>;
}

export const NO_HINTS: LinkHints = { owners: new Map(), wireguardSockets: new Set(), ppp: new Map(), networkManager: new Map() };

type Family = 'tun' | 'tap' | 'ppp' | 'tunnel' | 'ptp';

/** Which family a link belongs to, or null when it is no connection (ethernet, bridge, veth, loopback…). */
export function linkFamily(link: LinkMessage): Family | null {
  if (link.flags & IFF.LOOPBACK) return null;
  if (link.name && FALLBACK_DEVICES.has(link.name)) return null;
  if (link.kind === 'tun') return link.tunType === TUN_TYPE_TAP || link.type === ARPHRD.ETHER ? 'tap' : 'tun';
  if (link.kind === 'ppp' || link.type === ARPHRD.PPP) return 'ppp';
  if (link.kind && TUNNEL_KINDS.has(link.kind)) return 'tunnel';
  if (!link.kind && TUNNEL_ARPHRD.has(link.type)) return 'tunnel';
  // A tun device on a kernel older than 4.15 has no IFLA_INFO_KIND: ARPHRD_NONE and point-to-point.
  if (!link.kind && link.type === ARPHRD.NONE) return 'tun';
  if (link.flags & IFF.POINTOPOINT) return 'ptp';
  return null;
}

/** Cheap pre-filter on the link message alone: could this link be a connection? */
export function isCandidate(link: LinkMessage): boolean {
  return linkFamily(link) !== null;
}

/**
 * The addresses a user would call "assigned": every address except IPv6 link-local (fe80::/10, which every
 * IPv6-capable link has) and addresses that failed duplicate detection. Tentative ones are kept: they are
 * assigned, only not yet usable.
 */
export function assignedAddresses(addresses: readonly AddressMessage[]): string[] {
  const out: string[] = [];
  for (const a of addresses) {
    if (!a.address) continue;
    if (a.family === AF_INET6 && /^fe[89ab][0-9a-f]:/i.test(a.address)) continue;
    if (a.flags & IFA_F_DADFAILED) continue;
    out.push(`${a.address}/${a.prefixlen}`);
  }
  return out;
}

/**
 * The kernel keeps no up-time for a link, so `upSince` is null and the monitor stamps first-seen-connected.
 * State: administratively down → disconnected; dormant → paused; up with carrier (operstate UP, or UNKNOWN
 * with LOWER_UP, which is how tun and wireguard report) and an address → connected; up without carrier or
 * without an address yet → connecting.
 */
export function linkState(link: LinkMessage, addressCount: number): ConnectionState {
  if (!(link.flags & IFF.UP)) return 'disconnected';
  if (link.operstate === 'DORMANT' || link.flags & IFF.DORMANT) return 'paused';
  const carrier =
    link.operstate === 'UP' || ((link.operstate === 'UNKNOWN' || link.operstate === null) && (link.flags & IFF.LOWER_UP) !== 0);
  return carrier && addressCount > 0 ? 'connected' : 'connecting';
}

export function stateDetail(link: LinkMessage): string {
  const flags = describeFlags(link.flags).join(',');
  return link.operstate ? `${flags} state ${link.operstate}` : flags;
}

export function toConnection(link: LinkMessage, addresses: readonly AddressMessage[], hints: LinkHints, counters: boolean): SourceConnection | null {
  const family = linkFamily(link);
  if (!family || !link.name) return null;
  const ifname = link.name;
  let kind: ConnectionKind = 'vpn';
  let deviceType = link.kind ?? TUNNEL_ARPHRD.get(link.type) ?? family;
  let owner: string | null = null;
  let label = KIND_LABELS.get(deviceType) ?? deviceType;

  if (family === 'tun' || family === 'tap') {
    const tunOwner = hints.owners.get(ifname) ?? null;
    if (family === 'tap' && !(tunOwner && TAP_VPN_OWNERS.has(tunOwner.comm))) return null;
    deviceType = family;
    owner = tunOwner ? ownerDisplayName(tunOwner.comm) : null;
    // wireguard-go's device is a plain tun: its UAPI socket (or its process name) gives it away.
    if (family === 'tun' && (hints.wireguardSockets.has(ifname) || tunOwner?.comm === 'wireguard-go')) {
      deviceType = 'wireguard';
      label = 'WireGuard';
    } else {
      label = owner ?? 'Tunnel';
    }
  } else if (family === 'ppp') {
    deviceType = 'ppp';
    const carrier = hints.ppp.get(ifname) ?? 'unknown';
    if (carrier === 'l2tp') {
      kind = 'vpn';
      label = 'L2TP';
    } else if (carrier === 'pppoe') {
      kind = 'broadband';
      label = 'PPPoE';
    } else if (carrier === 'serial') {
      kind = 'dialup';
      label = 'Dial-up';
    } else {
      kind = 'other';
      label = 'PPP';
    }
  } else if (family === 'ptp') {
    kind = 'other';
    deviceType = link.kind ?? 'ptp';
    label = 'Point-to-point link';
  }

  const assigned = assignedAddresses(addresses);
  const profile = hints.networkManager.get(ifname);
  return {
    id: `netlink:${link.index}:${ifname}`,
    name: profile ? profile.name : `${label} (${ifname})`,
    kind,
    state: linkState(link, assigned.length),
    stateDetail: stateDetail(link),
    deviceType,
    deviceName: ifname,
    phonebook: null,
    adHoc: false,
    phoneNumber: null,
    owner,
    addresses: assigned,
    mtu: link.mtu,
    bytesIn: counters ? link.rxBytes : null,
    bytesOut: counters ? link.txBytes : null,
    upSince: null,
    lastError: null,
    canDisconnect: false,
  };
}

/** Hardware types of links that are never connections, named for `linkwatch diagnose`. */
const ARPHRD_NAMES = new Map<number, string>([
  [ARPHRD.ETHER, 'Ethernet'],
  [ARPHRD.PPP, 'ppp'],
  [ARPHRD.NONE, 'none'],
  [772, 'loopback'],
]);

/** What `linkwatch diagnose` says of a link: its type and why it is listed or not (the rules above, in words). */
export function linkVerdict(link: LinkMessage, hints: LinkHints): { type: string; listed: boolean; reason: string } {
  const type = link.kind ?? ARPHRD_NAMES.get(link.type) ?? `ARPHRD ${link.type}`;
  if (link.flags & IFF.LOOPBACK) return { type, listed: false, reason: 'loopback' };
  if (link.name && FALLBACK_DEVICES.has(link.name)) return { type, listed: false, reason: "the tunnel module's fallback device (never a connection)" };
  const family = linkFamily(link);
  if (!family) {
    const what = link.kind ? `link kind ${link.kind}` : link.type === ARPHRD.ETHER ? 'Ethernet (physical or virtual)' : `hardware type ${link.type}`;
    return { type, listed: false, reason: `not a tunnel or point-to-point link: ${what}` };
  }
  const owner = link.name ? (hints.owners.get(link.name) ?? null) : null;
  const ownerText = owner ? `owned by ${ownerDisplayName(owner.comm)}` : 'owner unknown';
  switch (family) {
    case 'tap':
      return owner && TAP_VPN_OWNERS.has(owner.comm)
        ? { type, listed: true, reason: `tap device ${ownerText}, a VPN program` }
        : { type, listed: false, reason: `tap device ${ownerText}: a virtual machine's NIC, not a VPN` };
    case 'tun': {
      const wireguard = link.name !== null && (hints.wireguardSockets.has(link.name) || owner?.comm === 'wireguard-go');
      return { type, listed: true, reason: wireguard ? `tun device with a wireguard-go control socket (${ownerText})` : `tun device (${ownerText})` };
    }
    case 'ppp':
      return { type, listed: true, reason: `ppp link (${link.name ? (hints.ppp.get(link.name) ?? 'unknown') : 'unknown'} carrier)` };
    case 'tunnel':
      return { type, listed: true, reason: `IP tunnel (${KIND_LABELS.get(link.kind ?? '') ?? TUNNEL_ARPHRD.get(link.type) ?? type})` };
    case 'ptp':
      return { type, listed: true, reason: 'point-to-point link' };
  }
}
