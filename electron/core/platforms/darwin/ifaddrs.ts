/**
 * macOS getifaddrs(3) layouts and pure decoders: struct ifaddrs, the BSD sockaddrs (with sa_len), the AF_LINK
 * entry's sockaddr_dl and struct if_data, from bytes to plain objects, and the entries → connections mapping.
 * Layouts from Apple's sources (apple-oss-distributions): Libinfo gen.subproj/ifaddrs.h and getifaddrs.c,
 * xnu bsd/sys/socket.h, bsd/netinet/in.h, bsd/netinet6/in6.h, bsd/net/if_dl.h, bsd/net/if_var.h (xnu-11417);
 * identical on x86-64 and arm64 (both LP64, little-endian), asserted in the unit tests and, byte for byte,
 * against the C fake (test/fixtures/fake-libsystem.h) in the native tier.
 */
import type { ConnectionKind, ConnectionState } from '../../../../shared/connection';
import type { SourceConnection } from '../source';
import { ipv4Text, ipv6Text } from '../ip-text';

/** struct ifaddrs (Libinfo ifaddrs.h): ifa_next; char *ifa_name; unsigned int ifa_flags; (pad) ifa_addr; ifa_netmask; ifa_dstaddr; ifa_data. */
export const IFADDRS = { size: 56, next: 0, name: 8, flags: 16, addr: 24, netmask: 32, dstaddr: 40, data: 48 } as const;
/** struct sockaddr { u_char sa_len; sa_family_t sa_family; … } (bsd/sys/socket.h): BSD keeps the length first. */
export const SOCKADDR = { len: 0, family: 1 } as const;
/** struct sockaddr_in (bsd/netinet/in.h): sin_len, sin_family, sin_port, sin_addr at 4; 16 bytes. */
export const SOCKADDR_IN = { size: 16, addr: 4 } as const;
/** struct sockaddr_in6 (bsd/netinet6/in6.h): …, sin6_flowinfo at 4, sin6_addr at 8, sin6_scope_id at 24; 28 bytes. */
export const SOCKADDR_IN6 = { size: 28, addr: 8, scopeId: 24 } as const;
/**
 * struct sockaddr_dl (bsd/net/if_dl.h, the __APPLE__ variant without the token-ring tail): sdl_len,
 * sdl_family, u_short sdl_index at 2, sdl_type at 4, sdl_nlen 5, sdl_alen 6, sdl_slen 7, sdl_data[12] at 8
 * (the name, then the link-level address); 20 bytes minimum, longer when name + address need it.
 */
export const SOCKADDR_DL = { minSize: 20, index: 2, type: 4, nlen: 5, alen: 6, slen: 7, data: 8 } as const;
/**
 * struct if_data (bsd/net/if_var.h, inside `#pragma pack(4)`; on LP64 ifi_lastchange is a struct timeval32):
 * eight u_char, then u_int32_t ifi_mtu at 8, …, ifi_ibytes at 40, ifi_obytes at 44, …, ifi_lastchange at 72;
 * 96 bytes. The counters are 32-bit and, for a program that is not an Apple platform binary, rounded down to
 * 1 KiB (bsd/net/rtsock.c, ALIGN_BYTES in sysctl_iflist, which getifaddrs reads): the byte counters are taken
 * from the ifmibdata sysctl instead (if-mib.ts). ifi_lastchange is not read at all: the kernel stamps it with
 * net_uptime() on every counted packet (TOUCHLASTCHANGE in bsd/net/kpi_interface.c, called through
 * ifnet_stat_increment_* from if_utun.c and if_ipsec.c), so it is neither an up-time nor a wall-clock time.
 */
export const IF_DATA = { size: 96, type: 0, mtu: 8, ibytes: 40, obytes: 44, lastchange: 72 } as const;

export const DARWIN_AF_INET = 2;
export const DARWIN_AF_LINK = 18;
export const DARWIN_AF_INET6 = 30;
/** bsd/net/if.h. getifaddrs's ifa_flags are the low 16 bits of if_flags (rtsock.c casts ifm_flags to u_short). */
export const DARWIN_IFF = { UP: 0x1, LOOPBACK: 0x8, POINTOPOINT: 0x10, RUNNING: 0x40 } as const;
/** bsd/net/if_types.h */
export const DARWIN_IFT = { OTHER: 0x1, ETHER: 0x6, PPP: 0x17, LOOP: 0x18 } as const;

export interface IfaddrsHeader {
  next: bigint;
  name: bigint;
  flags: number;
  addr: bigint;
  netmask: bigint;
  dstaddr: bigint;
  data: bigint;
}

/** The 56 bytes of one struct ifaddrs. Throws RangeError for fewer bytes (the walker always reads 56). */
export function decodeIfaddrsHeader(bytes: Buffer): IfaddrsHeader {
  return {
    next: bytes.readBigUInt64LE(IFADDRS.next),
    name: bytes.readBigUInt64LE(IFADDRS.name),
    flags: bytes.readUInt32LE(IFADDRS.flags),
    addr: bytes.readBigUInt64LE(IFADDRS.addr),
    netmask: bytes.readBigUInt64LE(IFADDRS.netmask),
    dstaddr: bytes.readBigUInt64LE(IFADDRS.dstaddr),
    data: bytes.readBigUInt64LE(IFADDRS.data),
  };
}

export interface DecodedSockaddr {
  /** sa_family, or null when the bytes are too short to hold one. */
  family: number | null;
  /** Address text for AF_INET / AF_INET6, else null. */
  address: string | null;
  /** sdl_index of an AF_LINK sockaddr (the interface index), else null. */
  index: number | null;
}

/**
 * A sockaddr's family and address text (or, for AF_LINK, the interface index). Total over any bytes: a
 * sockaddr too short for its family decodes to a null address. KAME-style link-local addresses carry the
 * scope id in the second 16-bit group inside the kernel's copy (fe80:4::1); it is cleared as ifconfig does.
 */
export function decodeSockaddr(bytes: Buffer): DecodedSockaddr {
  if (bytes.length <= SOCKADDR.family) return { family: null, address: null, index: null };
  const family = bytes[SOCKADDR.family]!;
  if (family === DARWIN_AF_INET && bytes.length >= SOCKADDR_IN.addr + 4) {
    return { family, address: ipv4Text(bytes.subarray(SOCKADDR_IN.addr, SOCKADDR_IN.addr + 4)), index: null };
  }
  if (family === DARWIN_AF_INET6 && bytes.length >= SOCKADDR_IN6.addr + 16) {
    const raw = Buffer.from(bytes.subarray(SOCKADDR_IN6.addr, SOCKADDR_IN6.addr + 16));
    if (raw[0] === 0xfe && (raw[1]! & 0xc0) === 0x80) raw.writeUInt16BE(0, 2);
    return { family, address: ipv6Text(raw), index: null };
  }
  if (family === DARWIN_AF_LINK && bytes.length >= SOCKADDR_DL.index + 2) {
    return { family, address: null, index: bytes.readUInt16LE(SOCKADDR_DL.index) };
  }
  return { family, address: null, index: null };
}

/** Longest prefix each address family allows. */
export function maxPrefix(family: number): number | null {
  return family === DARWIN_AF_INET ? 32 : family === DARWIN_AF_INET6 ? 128 : null;
}

/**
 * Prefix length of a netmask sockaddr, read as a mask for `family`: the ADDRESS's family, never the mask's
 * own sa_family, which the kernel does not keep meaningful (bsd/net/route.c, rt_getmask / RTAX_NETMASK: "we
 * cannot rely on sa_family", the mask's bytes before the address may be all-ones from rn_addmask). A mask
 * may also be shortened (sa_len < sizeof): the missing bytes are zero. Null for a family without prefixes,
 * for a mask that is not contiguous ones then zeros, and for a prefix longer than the family allows.
 */
export function prefixLength(netmask: Buffer | null, family: number): number | null {
  const max = maxPrefix(family);
  if (!netmask || max === null) return null;
  const start = family === DARWIN_AF_INET6 ? SOCKADDR_IN6.addr : SOCKADDR_IN.addr;
  const end = Math.min(netmask.length, netmask[SOCKADDR.len] || netmask.length);
  let bits = 0;
  let ended = false;
  for (let i = 0; i < max / 8; i++) {
    const byte = start + i < end ? netmask[start + i]! : 0;
    if (ended) {
      if (byte !== 0) return null;
      continue;
    }
    const ones = Math.min(8, Math.clz32((~byte & 0xff) << 24));
    if ((byte << ones) & 0xff) return null; // a one after a zero inside the byte
    bits += ones;
    if (ones < 8) ended = true;
  }
  return bits <= max ? bits : null;
}

export interface IfData {
  type: number;
  mtu: number;
  /** 32-bit, possibly rounded down to 1 KiB (see IF_DATA). */
  ibytes: number;
  obytes: number;
}

/** struct if_data → its fields we use. Null when the bytes are too short (never from a real getifaddrs). */
export function decodeIfData(bytes: Buffer): IfData | null {
  if (bytes.length < IF_DATA.size) return null;
  return {
    type: bytes[IF_DATA.type]!,
    mtu: bytes.readUInt32LE(IF_DATA.mtu),
    ibytes: bytes.readUInt32LE(IF_DATA.ibytes),
    obytes: bytes.readUInt32LE(IF_DATA.obytes),
  };
}

/** One getifaddrs entry with its pointers already followed (by the native walker or a test). */
export interface IfaddrsEntry {
  name: string;
  flags: number;
  addr: Buffer | null;
  netmask: Buffer | null;
  /** if_data bytes, present on AF_LINK entries. */
  data: Buffer | null;
}

/** What the entries say about one interface (several entries per interface: AF_LINK, AF_INET, AF_INET6…). */
export interface DarwinInterface {
  name: string;
  flags: number;
  /** sdl_index from the AF_LINK entry: the index the ifmibdata sysctl wants. */
  index: number | null;
  /** Addresses in CIDR form, link-local IPv6 left out. */
  addresses: string[];
  data: IfData | null;
}

/** Entries → interfaces, in the order getifaddrs lists them. Pure. */
export function gatherInterfaces(entries: readonly IfaddrsEntry[]): DarwinInterface[] {
  const byName = new Map<string, DarwinInterface>();
  for (const entry of entries) {
    let g = byName.get(entry.name);
    if (!g) {
      g = { name: entry.name, flags: entry.flags, index: null, addresses: [], data: null };
      byName.set(entry.name, g);
    }
    if (!entry.addr) continue;
    const sa = decodeSockaddr(entry.addr);
    if (sa.family === DARWIN_AF_LINK) {
      g.flags = entry.flags;
      g.index = sa.index;
      if (entry.data) g.data = decodeIfData(entry.data);
      continue;
    }
    if (!sa.address || sa.family === null) continue;
    if (sa.family === DARWIN_AF_INET6 && /^fe[89ab][0-9a-f]:/i.test(sa.address)) continue;
    // A missing or unusable mask: the address alone (a host prefix), as ifconfig shows a p2p peer.
    const prefix = prefixLength(entry.netmask, sa.family) ?? maxPrefix(sa.family)!;
    g.addresses.push(`${sa.address}/${prefix}`);
  }
  return [...byName.values()];
}

/**
 * The interface families that can carry a connection on a Mac: utun (WireGuard, Tunnelblick, Tailscale,
 * Network Extension VPNs, Cisco IPSec), ipsec (IKEv2 and Cisco IPSec on older systems), ppp (L2TP, PPPoE,
 * and PPTP before macOS 10.12), tun/tap (the tuntaposx kext, Tunnelblick's "kext" mode), feth (the fake
 * Ethernet pairs ZeroTier uses since 1.6) and gpd (GlobalProtect's own). The walker copies the sockaddrs and
 * if_data of these only, and skips a Mac's many others (en0, awdl0, llw0, bridge0, anpi0…); the push
 * sockets drop events about the others by the same rule.
 */
export const CANDIDATE_FAMILIES = ['utun', 'ipsec', 'ppp', 'tun', 'tap', 'feth', 'gpd'] as const;
const CANDIDATE = new RegExp(`^(?:${CANDIDATE_FAMILIES.join('|')})\\d+$`);

export function isCandidateName(name: string): boolean {
  return CANDIDATE.test(name);
}

/** What the system configuration says of the network service an interface carries (sc-services.ts). */
export interface DarwinService {
  /** The service's id (a UUID): the connection's identity, stable across utun numbers. */
  serviceId: string;
  /** The name the user gave it in System Settings (or the VPN app gave its configuration). */
  name: string;
  /** scutil's type and subtype: `PPP`/`L2TP`, `IPSec`, `VPN`/`com.wireguard.macos`… */
  type: string;
  subtype: string | null;
}

/** Interface families that macOS or an app also makes for things that are not VPNs: only an address counts. */
const NEEDS_ADDRESS: ReadonlySet<string> = new Set(['utun', 'tun', 'tap', 'feth', 'gpd']);
const LABELS: Readonly<Record<string, string>> = {
  utun: 'VPN tunnel',
  ipsec: 'IPsec',
  ppp: 'PPP',
  tun: 'VPN tunnel',
  tap: 'VPN tap',
  feth: 'Virtual Ethernet',
  gpd: 'GlobalProtect',
};

export function interfaceFamily(name: string): string {
  return /^[a-z]+/.exec(name)?.[0] ?? name;
}

/**
 * A PPP service's kind from its subtype (scutil --nc list prints `[PPP:L2TP]`; SCSchemaDefinitions.h
 * kSCValNetInterfaceSubTypeL2TP / PPTP / PPPoE / PPPSerial): L2TP and PPTP are VPNs, PPPoE broadband, a
 * serial PPP a modem. A ppp without a known service stays `other`: getifaddrs cannot tell them apart.
 */
export function pppKind(service: DarwinService | null): ConnectionKind {
  const sub = service?.subtype?.toUpperCase() ?? null;
  if (sub === 'L2TP' || sub === 'PPTP') return 'vpn';
  if (sub === 'PPPOE') return 'broadband';
  if (sub === 'PPPSERIAL' || sub === 'MODEM') return 'dialup';
  return 'other';
}

function classify(name: string, addressCount: number, service: DarwinService | null): { kind: ConnectionKind; deviceType: string; label: string } | null {
  if (!isCandidateName(name)) return null;
  const family = interfaceFamily(name);
  // macOS makes utun interfaces for system services that are not VPNs (FIELD-NOTES), ZeroTier a feth pair of
  // which only one end is addressed: these count once they carry an address other than link-local.
  if (NEEDS_ADDRESS.has(family) && addressCount === 0) return null;
  return { kind: family === 'ppp' ? pppKind(service) : 'vpn', deviceType: family, label: LABELS[family]! };
}

/** What `linkwatch diagnose` says of an interface the walker copied: the rules of `classify`, in words. */
export function darwinVerdict(g: DarwinInterface, service: DarwinService | null = null): { type: string; listed: boolean; reason: string } {
  const type = interfaceFamily(g.name);
  if (g.flags & DARWIN_IFF.LOOPBACK) return { type, listed: false, reason: 'loopback' };
  const c = classify(g.name, g.addresses.length, service);
  if (!c) {
    const what = type === 'feth' ? 'a feth (fake Ethernet) end' : `a ${type}`;
    const why = type === 'utun' ? 'a system service, not a VPN' : 'nothing routes through it yet';
    return { type, listed: false, reason: `${what} without an address other than link-local: ${why}` };
  }
  const base = NEEDS_ADDRESS.has(type) ? `${type} with an address` : `${c.label} interface`;
  const hint =
    service !== null
      ? `network service "${service.name}" (${[service.type, service.subtype].filter(Boolean).join(':')}, id ${service.serviceId})`
      : type === 'utun' || type === 'tun' || type === 'tap'
        ? 'no network service owns it: a VPN app that manages its own tunnel (Tunnelblick, OpenVPN, Tailscale standalone), named by interface'
        : type === 'gpd'
          ? 'GlobalProtect\'s interface'
          : type === 'feth'
            ? 'ZeroTier uses feth pairs'
            : type === 'ppp'
              ? 'no network service known for it: kind unknown'
              : null;
  return { type, listed: true, reason: hint ? `${base}; ${hint}` : base };
}

/** The interfaces that are connections (see classify), with no native call. */
export function connectionInterfaces(interfaces: readonly DarwinInterface[]): DarwinInterface[] {
  return interfaces.filter((g) => classify(g.name, g.addresses.length, null) !== null && !(g.flags & DARWIN_IFF.LOOPBACK));
}

/** Owners the service's VPN type names (scutil's subtype of a `VPN` service is the provider's bundle id). */
const PROVIDERS: ReadonlyArray<[RegExp, string]> = [
  [/^com\.wireguard\./i, 'WireGuard'],
  [/^com\.apple\.neplugin\.IKEv2$/i, 'IKEv2'],
  [/^com\.tailscale\./i, 'Tailscale'],
  [/^com\.cisco\./i, 'Cisco Secure Client'],
  [/^com\.paloaltonetworks\./i, 'GlobalProtect'],
  [/^com\.fortinet\./i, 'FortiClient'],
  [/^net\.mullvad\./i, 'Mullvad'],
];

function ownerOf(family: string, service: DarwinService | null): string | null {
  if (family === 'gpd') return 'GlobalProtect';
  const sub = service?.subtype ?? '';
  return PROVIDERS.find(([pattern]) => pattern.test(sub))?.[1] ?? null;
}

/** The connection id: the network service's where there is one (stable across utun numbers), else the interface's. */
export function darwinConnectionId(interfaceName: string, service: DarwinService | null): string {
  return service ? `sc:${service.serviceId}` : `getifaddrs:${interfaceName}`;
}

export interface Counters {
  bytesIn: number;
  bytesOut: number;
}

/**
 * Interfaces → connections. `counters` holds the byte counters of each interface by name when they were
 * read (null when nobody wants them); `services` the network service each interface carries, by interface
 * name, where the system configuration says (sc-services.ts). `connectedSince` is left to the monitor
 * (first seen connected): macOS keeps no up-time for an interface that a reader could trust (IF_DATA,
 * ifi_lastchange). Pure.
 */
export function buildDarwinConnections(
  interfaces: readonly DarwinInterface[],
  counters: ReadonlyMap<string, Counters> | null,
  services: ReadonlyMap<string, DarwinService> = new Map(),
): SourceConnection[] {
  const out: SourceConnection[] = [];
  for (const g of interfaces) {
    if (g.flags & DARWIN_IFF.LOOPBACK) continue;
    const service = services.get(g.name) ?? null;
    const c = classify(g.name, g.addresses.length, service);
    if (!c) continue;
    const up = (g.flags & DARWIN_IFF.UP) !== 0;
    const running = (g.flags & DARWIN_IFF.RUNNING) !== 0;
    const state: ConnectionState = !up ? 'disconnected' : running && g.addresses.length > 0 ? 'connected' : 'connecting';
    const counted = counters?.get(g.name) ?? null;
    out.push({
      id: darwinConnectionId(g.name, service),
      name: service ? service.name : `${c.label} (${g.name})`,
      kind: c.kind,
      state,
      stateDetail: [up ? 'UP' : 'DOWN', running ? 'RUNNING' : null, g.flags & DARWIN_IFF.POINTOPOINT ? 'POINTOPOINT' : null].filter(Boolean).join(','),
      deviceType: c.deviceType,
      deviceName: g.name,
      phonebook: null,
      adHoc: false,
      phoneNumber: null,
      owner: ownerOf(c.deviceType, service),
      addresses: g.addresses,
      mtu: g.data?.mtu ?? null,
      bytesIn: counted ? counted.bytesIn : null,
      bytesOut: counted ? counted.bytesOut : null,
      upSince: null,
      lastError: null,
      // A network service is stopped as System Settings does (scutil --nc stop); a tunnel without one
      // belongs to the app that made it.
      canDisconnect: service !== null,
    });
  }
  return out;
}

const TWO_32 = 2 ** 32;

/** A 32-bit counter followed across reads: the last raw value and the running total. */
export interface Counter32 {
  raw: number;
  total: number;
}

/**
 * Follow a 32-bit if_data counter (used only where the 64-bit sysctl is unavailable). A drop from the upper
 * half to the lower half is a wrap past 4 GiB and adds 2^32; any other drop means the interface was made
 * anew under the same name (its counters restarted), and the total restarts with it. Pure.
 */
export function followCounter32(previous: Counter32 | undefined, raw: number): Counter32 {
  if (!previous) return { raw, total: raw };
  if (raw >= previous.raw) return { raw, total: previous.total + (raw - previous.raw) };
  if (previous.raw >= TWO_32 / 2 && raw < TWO_32 / 2) return { raw, total: previous.total + (raw + TWO_32 - previous.raw) };
  return { raw, total: raw };
}
