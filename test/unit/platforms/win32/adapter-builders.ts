/**
 * Writes an adapter list as GetAdaptersAddresses does: IP_ADAPTER_ADDRESSES_LH entries in one buffer, every
 * pointer absolute (base + offset) and into the same buffer, strings and address entries between the
 * structs, 8-aligned. Every member is written at its declared offset; unused bytes are 0xAA so that a
 * decoder reading one would show it.
 */
import { ipFieldByteLength, ipLayouts, type IpArch, type IpLayout } from '../../../../electron/core/platforms/win32/iphlpapi-structs';

export interface BuiltAddress {
  family: 'ipv4' | 'ipv6';
  /** 4 or 16 bytes. */
  bytes: number[];
  prefixLength: number;
  dadState?: number;
}

export interface BuiltAdapter {
  ifIndex: number;
  luid: bigint;
  adapterName?: string;
  description: string;
  friendlyName: string;
  ifType: number;
  operStatus: number;
  mtu: number;
  tunnelType?: number;
  addresses: BuiltAddress[];
  /** Write this Length instead of the struct's size (an XP-sized entry, a corrupt one). */
  length?: number;
}

const align8 = (n: number): number => (n + 7) & ~7;

class Writer {
  readonly buf: Buffer;
  used = 0;
  constructor(
    size: number,
    readonly base: bigint,
    readonly pointerSize: 4 | 8,
  ) {
    this.buf = Buffer.alloc(size, 0xaa);
  }
  take(bytes: number): number {
    const at = this.used;
    this.used = align8(this.used + bytes);
    return at;
  }
  pointer(at: number, offset: number | null): void {
    const value = offset === null ? 0n : this.base + BigInt(offset);
    if (this.pointerSize === 8) this.buf.writeBigUInt64LE(value, at);
    else this.buf.writeUInt32LE(Number(value), at);
  }
}

function put(layout: IpLayout, w: Writer, at: number, field: string, value: number | bigint): void {
  const where = at + layout.offsets[field]!;
  const bytes = ipFieldByteLength(layout, field);
  if (bytes === 8) w.buf.writeBigUInt64LE(BigInt(value), where);
  else if (bytes === 4) w.buf.writeUInt32LE(Number(value), where);
  else if (bytes === 2) w.buf.writeUInt16LE(Number(value), where);
  else if (bytes === 1) w.buf.writeUInt8(Number(value), where);
  else throw new Error(`${field}: ${bytes} bytes`);
}

/** The buffer GetAdaptersAddresses would have written for `adapters`, living at `base`. */
export function adapterListBuffer(adapters: readonly BuiltAdapter[], arch: IpArch = 'x64', base = 0x7f00_0010_0000n): Buffer {
  const L = ipLayouts(arch);
  const w = new Writer(64 + adapters.length * 4096 + adapters.reduce((n, a) => n + a.addresses.length * 256 + a.description.length * 4 + a.friendlyName.length * 4, 0), base, L.adapter.pointerSize);
  let previous: number | null = null;
  for (const a of adapters) {
    const at = w.take(L.adapter.size);
    w.buf.fill(0, at, at + L.adapter.size);
    if (previous !== null) w.pointer(previous + L.adapter.offsets.Next!, at);
    previous = at;
    put(L.adapter, w, at, 'Length', a.length ?? L.adapter.size);
    put(L.adapter, w, at, 'IfIndex', a.ifIndex);
    put(L.adapter, w, at, 'IfType', a.ifType);
    put(L.adapter, w, at, 'OperStatus', a.operStatus);
    put(L.adapter, w, at, 'Mtu', a.mtu);
    put(L.adapter, w, at, 'Luid', a.luid);
    put(L.adapter, w, at, 'TunnelType', a.tunnelType ?? 0);
    put(L.adapter, w, at, 'ConnectionType', 1);
    const name = a.adapterName ?? `{${a.ifIndex.toString(16).padStart(8, '0')}-0000-0000-0000-000000000000}`;
    const nameAt = w.take(name.length + 1);
    w.buf.write(`${name}\0`, nameAt, 'latin1');
    w.pointer(at + L.adapter.offsets.AdapterName!, nameAt);
    for (const [field, text] of [['FriendlyName', a.friendlyName], ['Description', a.description], ['DnsSuffix', '']] as const) {
      const textAt = w.take((text.length + 1) * 2);
      w.buf.write(`${text}\0`, textAt, 'utf16le');
      w.pointer(at + L.adapter.offsets[field]!, textAt);
    }
    let previousAddress: number | null = null;
    for (const address of a.addresses) {
      const u = w.take(L.unicast.size);
      w.buf.fill(0, u, u + L.unicast.size);
      if (previousAddress === null) w.pointer(at + L.adapter.offsets.FirstUnicastAddress!, u);
      else w.pointer(previousAddress + L.unicast.offsets.Next!, u);
      previousAddress = u;
      put(L.unicast, w, u, 'Length', L.unicast.size);
      put(L.unicast, w, u, 'DadState', address.dadState ?? 4);
      put(L.unicast, w, u, 'OnLinkPrefixLength', address.prefixLength);
      const sockaddr = address.family === 'ipv4' ? L.sockaddrIn : L.sockaddrIn6;
      const sa = w.take(sockaddr.size);
      w.buf.fill(0, sa, sa + sockaddr.size);
      w.buf.writeUInt16LE(address.family === 'ipv4' ? 2 : 23, sa);
      w.buf.set(address.bytes, sa + sockaddr.offsets[address.family === 'ipv4' ? 'sin_addr' : 'sin6_addr']!);
      const socketAddress = u + L.unicast.offsets.Address!;
      w.pointer(socketAddress + L.socketAddress.offsets.lpSockaddr!, sa);
      w.buf.writeInt32LE(sockaddr.size, socketAddress + L.socketAddress.offsets.iSockaddrLength!);
    }
  }
  return w.buf.subarray(0, Math.max(w.used, 1));
}

/** A MIB_IF_ROW2 as GetIfEntry2 writes it (only the members Linkwatch reads set). */
export function ifRow2Buffer(row: { luid: bigint; ifIndex: number; inOctets: bigint; outOctets: bigint; operStatus: number; mediaConnectState: number }, arch: IpArch = 'x64'): Buffer {
  const L = ipLayouts(arch).ifRow2;
  const buf = Buffer.alloc(L.size, 0xaa);
  buf.writeBigUInt64LE(row.luid, L.offsets.InterfaceLuid!);
  buf.writeUInt32LE(row.ifIndex, L.offsets.InterfaceIndex!);
  buf.writeBigUInt64LE(row.inOctets, L.offsets.InOctets!);
  buf.writeBigUInt64LE(row.outOctets, L.offsets.OutOctets!);
  buf.writeUInt32LE(row.operStatus, L.offsets.OperStatus!);
  buf.writeUInt32LE(row.mediaConnectState, L.offsets.MediaConnectState!);
  return buf;
}
