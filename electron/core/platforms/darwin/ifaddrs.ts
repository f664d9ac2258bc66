/**
 * macOS getifaddrs(3) layouts and pure decoders: struct ifaddrs, sockaddr_in/sockaddr_in6 (with sa_len) and
 * the AF_LINK entry's struct if_data, from bytes to plain objects. UNVERIFIED ON REAL macOS: the layouts are
 * taken from <ifaddrs.h>, <sys/socket.h>, <netinet/in.h> and <net/if_var.h> (xnu), identical on x86-64 and
 * arm64 (both LP64, little-endian), and checked against koffi's C layout in the unit tests.
 */
import type { ConnectionKind, ConnectionState } from '../../../../shared/connection';
import type { SourceConnection } from '../source';
import { ipv4Text, ipv6Text } from '../ip-text';

/** struct ifaddrs { ifa_next; ifa_name; u32 ifa_flags; (pad) ifa_addr; ifa_netmask; ifa_dstaddr; ifa_data; } */
export const IFADDRS = { size: 56, next: 0, name: 8, flags: 16, addr: 24, netmask: 32, dstaddr: 40, data: 48 } as const;
/** struct sockaddr { u8 sa_len; u8 sa_family; … } — BSD keeps the length in the first byte. */
export const SOCKADDR = { len: 0, family: 1 } as const;
export const SOCKADDR_IN = { size: 16, addr: 4 } as const;
export const SOCKADDR_IN6 = { size: 28, addr: 8, scopeId: 24 } as const;
/**
 * struct if_data (the 32-bit one getifaddrs hands out; if_data64 is only reachable through sysctl):
 * ifi_ibytes/ifi_obytes wrap at 4 GiB. ifi_lastchange is a struct timeval32 { i32 sec; i32 usec; }.
 */
export const IF_DATA = { size: 96, type: 0, mtu: 8, ibytes: 40, obytes: 44, lastchangeSec: 72, lastchangeUsec: 76 } as const;

export const DARWIN_AF_INET = 2;
export const DARWIN_AF_LINK = 18;
export const DARWIN_AF_INET6 = 30;
export const DARWIN_IFF = { UP: 0x1, LOOPBACK: 0x8, POINTOPOINT: 0x10, RUNNING: 0x40 } as const;

export interface IfaddrsHeader {
  next: bigint;
  name: bigint;
  flags: number;
  addr: bigint;
  netmask: bigint;
  dstaddr: bigint;
  data: bigint;
}

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
  family: number;
  address: string | null;
}

/**
 * A sockaddr's family and address text. KAME-style link-local addresses carry the scope id in the second
 * 16-bit group inside the kernel's copy (fe80:4::1); it is cleared here as ifconfig does.
 */
export function decodeSockaddr(bytes: Buffer): DecodedSockaddr {
  const family = bytes.readUInt8(SOCKADDR.family);
  if (family === DARWIN_AF_INET && bytes.length >= SOCKADDR_IN.addr + 4) {
    const a = bytes.subarray(SOCKADDR_IN.addr, SOCKADDR_IN.addr + 4);
    return { family, address: ipv4Text(a) };
  }
  if (family === DARWIN_AF_INET6 && bytes.length >= SOCKADDR_IN6.addr + 16) {
    const raw = Buffer.from(bytes.subarray(SOCKADDR_IN6.addr, SOCKADDR_IN6.addr + 16));
    if (raw[0] === 0xfe && (raw[1]! & 0xc0) === 0x80) raw.writeUInt16BE(0, 2);
    return { family, address: ipv6Text(raw) };
  }
  return { family, address: null };
}

/** Prefix length of a netmask sockaddr (count of leading one bits). */
export function prefixLength(netmask: Buffer | null): number | null {
  if (!netmask) return null;
  const family = netmask.readUInt8(SOCKADDR.family);
  // A netmask sockaddr may be shortened (sa_len < sizeof): missing bytes are zero.
  const [start, size] = family === DARWIN_AF_INET6 ? [SOCKADDR_IN6.addr, 16] : [SOCKADDR_IN.addr, 4];
  let bits = 0;
  for (let i = 0; i < size; i++) {
    const byte = start + i < netmask.length ? netmask[start + i]! : 0;
    if (byte === 0xff) bits += 8;
    else {
      for (let b = 0x80; b && byte & b; b >>= 1) bits++;
      break;
    }
  }
  return bits;
}

export interface IfData {
  type: number;
  mtu: number;
  ibytes: number;
  obytes: number;
  /** ifi_lastchange in epoch ms, or null when it does not look like a wall-clock time. */
  lastChange: number | null;
}

export function decodeIfData(bytes: Buffer, now = Date.now()): IfData {
  const sec = bytes.readInt32LE(IF_DATA.lastchangeSec);
  const usec = bytes.readInt32LE(IF_DATA.lastchangeUsec);
  const ms = sec * 1000 + Math.floor(usec / 1000);
  // xnu has stamped it from the wall clock; should a release switch to uptime, refuse rather than mislead.
  const plausible = sec > 946_684_800 && ms <= now + 60_000;
  return {
    type: bytes.readUInt8(IF_DATA.type),
    mtu: bytes.readUInt32LE(IF_DATA.mtu),
    ibytes: bytes.readUInt32LE(IF_DATA.ibytes),
    obytes: bytes.readUInt32LE(IF_DATA.obytes),
    lastChange: plausible ? ms : null,
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

interface Gathered {
  name: string;
  flags: number;
  addresses: string[];
  data: IfData | null;
}

function classify(name: string, addressCount: number): { kind: ConnectionKind; deviceType: string; label: string } | null {
  if (/^utun\d+$/.test(name)) {
    // macOS makes utun interfaces for system services that are not VPNs (FIELD-NOTES): a utun counts as a
    // VPN only once it carries an address other than link-local.
    return addressCount > 0 ? { kind: 'vpn', deviceType: 'utun', label: 'VPN tunnel' } : null;
  }
  if (/^ipsec\d+$/.test(name)) return { kind: 'vpn', deviceType: 'ipsec', label: 'IPsec' };
  // ppp on macOS carries L2TP VPNs, PPPoE and modems alike, and getifaddrs cannot tell which.
  if (/^ppp\d+$/.test(name)) return { kind: 'other', deviceType: 'ppp', label: 'PPP' };
  return null;
}

/** Entries (several per interface: AF_LINK, AF_INET, AF_INET6…) → connections. Pure. */
export function buildDarwinConnections(entries: readonly IfaddrsEntry[], counters: boolean, now = Date.now()): SourceConnection[] {
  const byName = new Map<string, Gathered>();
  for (const entry of entries) {
    const g = byName.get(entry.name) ?? { name: entry.name, flags: entry.flags, addresses: [], data: null };
    byName.set(entry.name, g);
    if (!entry.addr) continue;
    const sa = decodeSockaddr(entry.addr);
    if (sa.family === DARWIN_AF_LINK) {
      if (entry.data && entry.data.length >= IF_DATA.size) g.data = decodeIfData(entry.data, now);
      continue;
    }
    if (!sa.address) continue;
    if (sa.family === DARWIN_AF_INET6 && /^fe[89ab][0-9a-f]:/i.test(sa.address)) continue;
    const prefix = prefixLength(entry.netmask) ?? (sa.family === DARWIN_AF_INET ? 32 : 128);
    g.addresses.push(`${sa.address}/${prefix}`);
  }
  const out: SourceConnection[] = [];
  for (const g of byName.values()) {
    const c = classify(g.name, g.addresses.length);
    if (!c || g.flags & DARWIN_IFF.LOOPBACK) continue;
    const up = (g.flags & DARWIN_IFF.UP) !== 0;
    const running = (g.flags & DARWIN_IFF.RUNNING) !== 0;
    const state: ConnectionState = !up ? 'disconnected' : running && g.addresses.length > 0 ? 'connected' : 'connecting';
    out.push({
      id: `getifaddrs:${g.name}`,
      name: `${c.label} (${g.name})`,
      kind: c.kind,
      state,
      stateDetail: [up ? 'UP' : 'DOWN', running ? 'RUNNING' : null, g.flags & DARWIN_IFF.POINTOPOINT ? 'POINTOPOINT' : null].filter(Boolean).join(','),
      deviceType: c.deviceType,
      deviceName: g.name,
      phonebook: null,
      adHoc: false,
      phoneNumber: null,
      owner: null,
      addresses: g.addresses,
      mtu: g.data?.mtu ?? null,
      bytesIn: counters ? (g.data?.ibytes ?? null) : null,
      bytesOut: counters ? (g.data?.obytes ?? null) : null,
      upSince: g.data?.lastChange ?? null,
      lastError: null,
      canDisconnect: false,
    });
  }
  return out;
}
