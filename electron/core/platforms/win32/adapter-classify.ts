/**
 * Which Windows network adapters are VPN connections, from the facts GetAdaptersAddresses gives (IfType,
 * TunnelType, Description, FriendlyName), and the Connection each one becomes. Pure: adapter-source.ts
 * gathers the records, the unit tests feed constructed ones.
 *
 * Most VPN clients on Windows never go through RAS: they bring a virtual adapter of their own (Wintun,
 * WireGuardNT, TAP-Windows, OpenVPN DCO, a vendor miniport). Its driver description is the most reliable
 * sign of who made it, so the table below is matched first; the IfType decides for the rest. Every verdict
 * carries its reason, which `linkwatch diagnose` prints.
 */
import type { ConnectionState } from '../../../../shared/connection';
import type { SourceConnection } from '../source';
import type { AdapterAddress, AdapterRecord } from './iphlpapi-decode';

/** ipifcons.h IF_TYPE_* values the rules below name. */
export const IF_TYPE = {
  OTHER: 1,
  ETHERNET_CSMACD: 6,
  PPP: 23,
  SOFTWARE_LOOPBACK: 24,
  PROP_VIRTUAL: 53,
  IEEE80211: 71,
  TUNNEL: 131,
  IEEE1394: 144,
  WWANPP: 243,
  WWANPP2: 244,
} as const;

/** ifdef.h TUNNEL_TYPE: Microsoft's IPv6 transition tunnels, never a VPN. */
export const TUNNEL_TYPE = { SIX_TO_FOUR: 11, ISATAP: 13, TEREDO: 14, IPHTTPS: 15 } as const;

/** ifdef.h IF_OPER_STATUS. */
export const IF_OPER_STATUS: Record<number, string> = {
  1: 'IfOperStatusUp',
  2: 'IfOperStatusDown',
  3: 'IfOperStatusTesting',
  4: 'IfOperStatusUnknown',
  5: 'IfOperStatusDormant',
  6: 'IfOperStatusNotPresent',
  7: 'IfOperStatusLowerLayerDown',
};

const IF_TYPE_NAMES: Record<number, string> = {
  [IF_TYPE.OTHER]: 'other',
  [IF_TYPE.ETHERNET_CSMACD]: 'Ethernet',
  [IF_TYPE.PPP]: 'PPP',
  [IF_TYPE.SOFTWARE_LOOPBACK]: 'loopback',
  [IF_TYPE.PROP_VIRTUAL]: 'virtual',
  [IF_TYPE.IEEE80211]: 'Wi-Fi',
  [IF_TYPE.TUNNEL]: 'tunnel',
  [IF_TYPE.IEEE1394]: 'FireWire',
  [IF_TYPE.WWANPP]: 'mobile broadband',
  [IF_TYPE.WWANPP2]: 'mobile broadband',
};

export function ifTypeText(ifType: number): string {
  const name = IF_TYPE_NAMES[ifType];
  return name ? `IfType ${ifType} (${name})` : `IfType ${ifType}`;
}

/** One row of the table: a driver description (start of it, case-insensitive) and what it tells. */
export interface AdapterRule {
  /** What the diagnosis says matched ("Wintun"). */
  readonly driver: string;
  readonly description: RegExp;
  /** Connection.deviceType. */
  readonly deviceType: string;
  /** The program that owns adapters of this driver, where the driver is that program's own. */
  readonly owner: string | null;
}

/**
 * The VPN drivers Linkwatch recognises, by the description their adapters carry (as shown in Device Manager
 * and `Get-NetAdapter`'s InterfaceDescription). A numbered copy ("… #2") matches too. Wintun is shared by
 * several programs (WireGuard before WireGuardNT, OpenVPN 2.5, NordVPN, …), so it names no owner; a
 * program that renames its Wintun adapter (Tailscale) is told by that name.
 */
export const VPN_ADAPTER_RULES: readonly AdapterRule[] = [
  { driver: 'WireGuard Tunnel', description: /^WireGuard Tunnel\b/i, deviceType: 'wireguard', owner: 'WireGuard' },
  { driver: 'Tailscale Tunnel', description: /^Tailscale Tunnel\b/i, deviceType: 'wintun', owner: 'Tailscale' },
  { driver: 'Wintun', description: /^Wintun\b/i, deviceType: 'wintun', owner: null },
  { driver: 'OpenVPN Data Channel Offload', description: /^OpenVPN Data Channel Offload\b/i, deviceType: 'ovpn-dco', owner: 'OpenVPN' },
  { driver: 'TAP-Windows Adapter V9', description: /^TAP-Windows Adapter V9\b/i, deviceType: 'tap', owner: 'OpenVPN' },
  { driver: 'ZeroTier Virtual Port', description: /^ZeroTier Virtual Port\b/i, deviceType: 'tap', owner: 'ZeroTier' },
  { driver: 'Cisco AnyConnect / Secure Client', description: /^Cisco (AnyConnect|Secure Client)\b/i, deviceType: 'vpn', owner: 'Cisco Secure Client' },
  { driver: 'PANGP Virtual Ethernet Adapter', description: /^PANGP Virtual Ethernet Adapter\b/i, deviceType: 'vpn', owner: 'GlobalProtect' },
  { driver: 'Fortinet SSL VPN Virtual Ethernet Adapter', description: /^Fortinet SSL VPN Virtual Ethernet Adapter\b/i, deviceType: 'vpn', owner: 'FortiClient' },
  { driver: 'Juniper Networks Virtual Adapter', description: /^Juniper Networks Virtual Adapter\b/i, deviceType: 'vpn', owner: 'Ivanti Secure Access' },
  { driver: 'Check Point Virtual Network Adapter', description: /^Check Point Virtual Network Adapter\b/i, deviceType: 'vpn', owner: 'Check Point' },
  { driver: 'SonicWall NetExtender', description: /^SonicWall NetExtender\b/i, deviceType: 'vpn', owner: 'SonicWall NetExtender' },
];

/**
 * Adapters that are never a VPN whatever their IfType: Hyper-V and WSL virtual switches (vEthernet),
 * Bluetooth PAN, Microsoft's IPv6 transition tunnels (Teredo, ISATAP, 6to4, IP-HTTPS) and the kernel debugger.
 */
const NEVER: readonly { reason: string; test: (a: AdapterRecord) => boolean }[] = [
  { reason: 'loopback', test: (a) => a.ifType === IF_TYPE.SOFTWARE_LOOPBACK },
  { reason: 'Hyper-V/WSL virtual switch (vEthernet)', test: (a) => /^Hyper-V Virtual Ethernet Adapter\b/i.test(a.description) || /^vEthernet \(/i.test(a.friendlyName) },
  { reason: 'Bluetooth PAN', test: (a) => /^Bluetooth Device \(Personal Area Network\)/i.test(a.description) },
  {
    reason: 'Microsoft IPv6 transition tunnel (Teredo, ISATAP, 6to4, IP-HTTPS)',
    test: (a) =>
      (a.tunnelType !== null && [TUNNEL_TYPE.TEREDO, TUNNEL_TYPE.ISATAP, TUNNEL_TYPE.SIX_TO_FOUR, TUNNEL_TYPE.IPHTTPS].includes(a.tunnelType as 11)) ||
      /^(Teredo Tunneling Pseudo-Interface|Microsoft (ISATAP|6to4|IP-HTTPS|Teredo)\b)/i.test(a.description),
  },
  { reason: 'kernel debugger adapter', test: (a) => /^Microsoft Kernel Debug Network Adapter/i.test(a.description) },
];

export interface AdapterVerdict {
  listed: boolean;
  /** "IfType 53 (virtual), description matches Wintun"; "physical Ethernet". */
  reason: string;
  /** Set when listed. */
  deviceType?: string;
  owner?: string | null;
}

/** The OperStatus values that make a listed adapter a connection (down adapters are idle drivers). */
function isActive(a: AdapterRecord): boolean {
  return a.operStatus === 1 || a.operStatus === 5;
}

/** The verdict from the table and the IfType alone, before the adapter's status is looked at. */
function matchTunnel(a: AdapterRecord, rule: AdapterRule | undefined): AdapterVerdict {
  const type = ifTypeText(a.ifType);
  if (rule) return { listed: true, reason: `${type}, description matches ${rule.driver}`, deviceType: rule.deviceType, owner: rule.owner };
  switch (a.ifType) {
    case IF_TYPE.PROP_VIRTUAL:
    case IF_TYPE.TUNNEL:
      return { listed: true, reason: `${type}, description "${a.description}" is not in the table`, deviceType: a.ifType === IF_TYPE.TUNNEL ? 'tunnel' : 'virtual', owner: null };
    case IF_TYPE.PPP:
      return { listed: true, reason: `${type}, not a RAS connection's adapter`, deviceType: 'ppp', owner: null };
    case IF_TYPE.OTHER:
      // Wine reports a Linux tun device so; on Windows a few vendor miniports do.
      return { listed: true, reason: `${type}: no physical adapter type`, deviceType: 'tun', owner: null };
    case IF_TYPE.ETHERNET_CSMACD:
      return { listed: false, reason: 'physical Ethernet' };
    case IF_TYPE.IEEE80211:
      return { listed: false, reason: 'physical Wi-Fi' };
    default:
      return { listed: false, reason: `${type}: not a tunnel type` };
  }
}

/**
 * What the RAS read knows about one of its connections that its network adapter shows too. RASCONNW has no
 * field that names the adapter: its `luid` is the logon session that made the connection (DotRas calls it
 * SessionId), never an adapter's NET_LUID (whose bits 48-63 hold the IfType), so the two never match.
 */
export interface RasAdapterEvidence {
  /** RASCONNW.szEntryName: Windows names the connection's adapter after it ("PPP adapter Office VPN"). */
  name: string;
  /** The addresses RasGetProjectionInfo(Ex) reported, without prefix length ([] until projected). */
  addresses: readonly string[];
}

/** Why an adapter is a RAS connection's own, or null when nothing says so. */
export function rasAdapterOwner(a: AdapterRecord, connections: readonly RasAdapterEvidence[]): { name: string; evidence: string } | null {
  if (connections.length === 0) return null;
  // Windows compares connection names without regard to case (the phone book and Network Connections do).
  const alias = a.friendlyName.toLocaleLowerCase();
  const mine = new Set(a.addresses.map((address) => address.address));
  const named = connections.find((c) => c.name.toLocaleLowerCase() === alias);
  const addressed = connections.find((c) => c.addresses.some((address) => mine.has(address)));
  const ppp = a.ifType === IF_TYPE.PPP;
  // The order of trust, and why:
  // 1. IfType PPP (23) + the entry's name. RAS makes every connection's adapter (PPTP, L2TP, SSTP, IKEv2,
  //    PPPoE, modem) an NDISWAN interface of type PPP, named after the entry (ipconfig: "PPP adapter Office
  //    VPN"), from the moment the adapter exists: this holds while the connection is still connecting, when
  //    RasGetProjectionInfoEx answers 730 and no address is known yet.
  // 2. IfType PPP + an address RasGetProjectionInfo(Ex) reported (IPv4; PPP's IPv6 is only an interface
  //    identifier): for a connection whose adapter does not carry its name (one dialled without an entry,
  //    ".5551234", or a name longer than an interface alias may be).
  // 3. Name and address together on another IfType: two independent facts agreeing, should a Windows build
  //    report the RAS adapter otherwise.
  // A name alone or an address alone on a non-PPP adapter proves nothing: a WireGuard tunnel may be named
  // like an entry, and two VPNs may hand out the same private address.
  if (ppp && named) return { name: named.name, evidence: 'IfType 23 (PPP), named after the entry' };
  if (ppp && addressed) return { name: addressed.name, evidence: 'IfType 23 (PPP), the address RAS projected' };
  if (named && addressed === named) return { name: named.name, evidence: `${ifTypeText(a.ifType)}, named after the entry and with the address RAS projected` };
  return null;
}

/**
 * The verdict for one adapter. `ras`: what the RAS read in the same snapshot knows of each of its connections
 * (rasAdapterOwner): such an adapter is that connection's own and is listed once, by RAS.
 */
export function classifyAdapter(a: AdapterRecord, ras: readonly RasAdapterEvidence[] = []): AdapterVerdict {
  const owner = rasAdapterOwner(a, ras);
  if (owner) return { listed: false, reason: `the adapter of the RAS connection "${owner.name}" (${owner.evidence}): listed by RAS` };
  for (const rule of NEVER) if (rule.test(a)) return { listed: false, reason: rule.reason };
  const rule = VPN_ADAPTER_RULES.find((r) => r.description.test(a.description));
  const found = matchTunnel(a, rule);
  if (!found.listed) return found;
  if (!isActive(a)) return { listed: false, reason: `${found.reason}, but ${IF_OPER_STATUS[a.operStatus] ?? `OperStatus ${a.operStatus}`}: no connection up` };
  return found;
}

/**
 * Assigned addresses in CIDR form: every unicast address except IPv6 link-local (fe80::/10, which every
 * IPv6-capable adapter has) and duplicates (DAD failed), as on Linux.
 */
export function adapterAddresses(addresses: readonly AdapterAddress[]): string[] {
  const out: string[] = [];
  for (const a of addresses) {
    if (a.family === 'ipv6' && /^fe[89ab][0-9a-f]:/i.test(a.address)) continue;
    if (a.dadState === 2) continue;
    out.push(a.prefixLength === null ? a.address : `${a.address}/${a.prefixLength}`);
  }
  return out;
}

/** Up (or dormant: paused) with an address → connected; up without one yet → connecting. */
export function adapterState(a: AdapterRecord, assigned: number): ConnectionState {
  if (a.operStatus === 5) return 'paused';
  if (a.operStatus !== 1) return 'disconnected';
  return assigned > 0 ? 'connected' : 'connecting';
}

/** Stable for the adapter's life: its LUID (NET_LUID.Value), or its index where the LUID is absent. */
export function adapterConnectionId(a: AdapterRecord): string {
  return a.luid !== null ? `adapter:${a.luid.toString(16)}` : `adapter:index:${a.ifIndex}`;
}

export interface AdapterCounters {
  bytesIn: number;
  bytesOut: number;
}

/** A listed adapter as the monitor wants it: kind vpn, the owner from the table, never hung up by us. */
export function adapterConnection(a: AdapterRecord, verdict: AdapterVerdict, counters: AdapterCounters | null): SourceConnection {
  const addresses = adapterAddresses(a.addresses);
  return {
    id: adapterConnectionId(a),
    name: a.friendlyName || a.description,
    kind: 'vpn',
    state: adapterState(a, addresses.length),
    stateDetail: IF_OPER_STATUS[a.operStatus] ?? `OperStatus ${a.operStatus}`,
    deviceType: verdict.deviceType ?? 'adapter',
    deviceName: a.description,
    phonebook: null,
    adHoc: false,
    phoneNumber: null,
    owner: verdict.owner ?? null,
    addresses,
    mtu: a.mtu === 0xffffffff ? null : a.mtu,
    bytesIn: counters?.bytesIn ?? null,
    bytesOut: counters?.bytesOut ?? null,
    lastError: null,
    // Linkwatch does not control third-party adapters: their own program connects and disconnects them.
    canDisconnect: false,
    upSince: null,
  };
}
