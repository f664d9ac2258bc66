/**
 * The IP helper's routing structures (issue 25), declared once, and pure decoders from their bytes: what
 * GetIpForwardTable2 and GetBestRoute2 write. Sources: the Windows SDK's `netioapi.h` (MIB_IPFORWARD_ROW2,
 * MIB_IPFORWARD_TABLE2, IP_ADDRESS_PREFIX; Vista+) and `ws2ipdef.h` (SOCKADDR_INET: the union of SOCKADDR_IN,
 * SOCKADDR_IN6 and the family, 28 bytes). No pointer lies inside them, and NET_LUID (a ULONG64) aligns to 8
 * on x86 too, so the layout is one for both architectures; test/native/platforms/win32/route-structs-sdk.test.ts
 * checks it against mingw-w64's headers for x64 and x86.
 */
import { ipv4Text, ipv6Text } from '../ip-text';
import { addressValue } from '../../routing/prefix';

/** ws2def.h: Windows' own family numbers. */
export const WIN_AF_INET = 2;
export const WIN_AF_INET6 = 23;

/** SOCKADDR_INET: si_family, then sockaddr_in (port, addr at 4) or sockaddr_in6 (port, flowinfo, addr at 8, scope id at 24). */
export const SOCKADDR_INET = { size: 28, family: 0, v4Addr: 4, v6Addr: 8, v6ScopeId: 24 } as const;
/** IP_ADDRESS_PREFIX { SOCKADDR_INET Prefix; UINT8 PrefixLength; } */
export const IP_ADDRESS_PREFIX = { size: 32, Prefix: 0, PrefixLength: 28 } as const;
/** MIB_IPFORWARD_ROW2 (netioapi.h). */
export const MIB_IPFORWARD_ROW2 = {
  size: 104,
  InterfaceLuid: 0,
  InterfaceIndex: 8,
  DestinationPrefix: 12,
  NextHop: 44,
  SitePrefixLength: 72,
  ValidLifetime: 76,
  PreferredLifetime: 80,
  Metric: 84,
  Protocol: 88,
  Loopback: 92,
  AutoconfigureAddress: 93,
  Publish: 94,
  Immortal: 95,
  Age: 96,
  Origin: 100,
} as const;
/** MIB_IPFORWARD_TABLE2 { ULONG NumEntries; MIB_IPFORWARD_ROW2 Table[ANY_SIZE]; }: rows 8-aligned. */
export const MIB_IPFORWARD_TABLE2 = { NumEntries: 0, Table: 8 } as const;

/** NL_ROUTE_PROTOCOL (nldef.h): RouteProtocolLocal, the routes Windows makes for an interface's own addresses. */
export const ROUTE_PROTOCOL_LOCAL = 2;

export interface ForwardRow {
  luid: bigint;
  ifIndex: number;
  family: 4 | 6;
  /** CIDR text of DestinationPrefix. */
  destination: string;
  /** NextHop, null when it is the unspecified address (an on-link route). */
  nextHop: string | null;
  metric: number;
  protocol: number;
  loopback: boolean;
}

/** A SOCKADDR_INET as family and text; null for another family. */
export function decodeSockaddrInet(buf: Buffer, at: number): { family: 4 | 6; address: string } | null {
  if (at + SOCKADDR_INET.size > buf.length) return null;
  const family = buf.readUInt16LE(at + SOCKADDR_INET.family);
  if (family === WIN_AF_INET) return { family: 4, address: ipv4Text(buf.subarray(at + SOCKADDR_INET.v4Addr, at + SOCKADDR_INET.v4Addr + 4)) };
  if (family === WIN_AF_INET6) return { family: 6, address: ipv6Text(buf.subarray(at + SOCKADDR_INET.v6Addr, at + SOCKADDR_INET.v6Addr + 16)) };
  return null;
}

/** A SOCKADDR_INET for an address (GetBestRoute2's destination). */
export function encodeSockaddrInet(address: string): Buffer {
  const parsed = addressValue(address);
  if (!parsed) throw new Error(`not an address: ${address}`);
  const buf = Buffer.alloc(SOCKADDR_INET.size);
  const size = parsed.family === 4 ? 4 : 16;
  const at = parsed.family === 4 ? SOCKADDR_INET.v4Addr : SOCKADDR_INET.v6Addr;
  buf.writeUInt16LE(parsed.family === 4 ? WIN_AF_INET : WIN_AF_INET6, SOCKADDR_INET.family);
  let value = parsed.value;
  for (let i = size - 1; i >= 0; i--) {
    buf[at + i] = Number(value & 0xffn);
    value >>= 8n;
  }
  return buf;
}

const UNSPECIFIED = new Set(['0.0.0.0', '::']);

/** One MIB_IPFORWARD_ROW2 at `at`; null when its prefix is of another family or longer than the family allows. */
export function decodeForwardRow(buf: Buffer, at: number): ForwardRow | null {
  if (at + MIB_IPFORWARD_ROW2.size > buf.length) return null;
  const prefix = decodeSockaddrInet(buf, at + MIB_IPFORWARD_ROW2.DestinationPrefix + IP_ADDRESS_PREFIX.Prefix);
  if (!prefix) return null;
  const length = buf[at + MIB_IPFORWARD_ROW2.DestinationPrefix + IP_ADDRESS_PREFIX.PrefixLength]!;
  if (length > (prefix.family === 4 ? 32 : 128)) return null;
  const hop = decodeSockaddrInet(buf, at + MIB_IPFORWARD_ROW2.NextHop);
  return {
    luid: buf.readBigUInt64LE(at + MIB_IPFORWARD_ROW2.InterfaceLuid),
    ifIndex: buf.readUInt32LE(at + MIB_IPFORWARD_ROW2.InterfaceIndex),
    family: prefix.family,
    destination: `${prefix.address}/${length}`,
    nextHop: hop && !UNSPECIFIED.has(hop.address) ? hop.address : null,
    metric: buf.readUInt32LE(at + MIB_IPFORWARD_ROW2.Metric),
    protocol: buf.readUInt32LE(at + MIB_IPFORWARD_ROW2.Protocol),
    loopback: buf[at + MIB_IPFORWARD_ROW2.Loopback] !== 0,
  };
}

/**
 * A MIB_IPFORWARD_TABLE2 as GetIpForwardTable2 allocated it, copied into `buf`: NumEntries rows. A count
 * the bytes cannot hold is corrupt data (RangeError), never a read past them.
 */
export function decodeForwardTable(buf: Buffer): ForwardRow[] {
  if (buf.length < MIB_IPFORWARD_TABLE2.Table) throw new RangeError(`a forward table of ${buf.length} bytes has no room for its count`);
  const count = buf.readUInt32LE(MIB_IPFORWARD_TABLE2.NumEntries);
  if (MIB_IPFORWARD_TABLE2.Table + count * MIB_IPFORWARD_ROW2.size > buf.length) throw new RangeError(`the forward table says ${count} rows, ${buf.length} bytes hold fewer`);
  const rows: ForwardRow[] = [];
  for (let i = 0; i < count; i++) {
    const row = decodeForwardRow(buf, MIB_IPFORWARD_TABLE2.Table + i * MIB_IPFORWARD_ROW2.size);
    if (row) rows.push(row);
  }
  return rows;
}

/** Bytes a table of `count` rows takes (what to copy out of the table GetIpForwardTable2 allocated). */
export function forwardTableSize(count: number): number {
  return MIB_IPFORWARD_TABLE2.Table + count * MIB_IPFORWARD_ROW2.size;
}
