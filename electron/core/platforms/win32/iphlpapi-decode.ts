/**
 * Pure decoding of what GetAdaptersAddresses and GetIfEntry2 wrote: bytes in, plain objects out, every offset
 * taken from the declared structs (iphlpapi-structs.ts). No library is needed to test any of it.
 *
 * GetAdaptersAddresses fills the caller's buffer with a linked list of IP_ADAPTER_ADDRESSES_LH whose `Next`,
 * `FirstUnicastAddress`, name and SOCKADDR members are absolute pointers INTO THAT SAME BUFFER. So the list is
 * decoded from the buffer and its base address alone: a pointer outside the buffer, a string without its NUL,
 * a loop in a list or a struct shorter than its `Length` says is corrupt data and a RangeError naming what
 * was wrong, never a read of foreign memory, an endless walk or a crash.
 */
import { ipv4Text, ipv6Text } from '../ip-text';
import { ipLayouts, ipFieldByteLength, type IpLayout, type IpLayouts } from './iphlpapi-structs';

/** ws2def.h: AF_INET 2, AF_INET6 23 (Windows' own number, not Linux's 10). */
export const WIN_AF_INET = 2;
export const WIN_AF_INET6 = 23;
/** nldef.h NL_DAD_STATE: an address that failed duplicate detection is not assigned. */
export const IP_DAD_STATE_DUPLICATE = 2;

export interface AdapterAddress {
  family: 'ipv4' | 'ipv6';
  address: string;
  /** OnLinkPrefixLength (Vista+); null when the entry's Length stops before it. */
  prefixLength: number | null;
  /** NL_DAD_STATE (0 invalid, 1 tentative, 2 duplicate, 3 deprecated, 4 preferred). */
  dadState: number;
}

/** One IP_ADAPTER_ADDRESSES_LH, as data. */
export interface AdapterRecord {
  ifIndex: number;
  /** NET_LUID.Value (64-bit); null when the entry is an XP-sized one without it. */
  luid: bigint | null;
  /** The adapter's GUID string ("{…}"), ASCII. */
  adapterName: string;
  /** The driver's description ("Wintun Userspace Tunnel", "TAP-Windows Adapter V9"…). */
  description: string;
  /** What Windows shows in Network Connections ("Ethernet", "wg0"…). */
  friendlyName: string;
  /** ipifcons.h IF_TYPE_* (6 Ethernet, 71 Wi-Fi, 23 PPP, 24 loopback, 53 PROP_VIRTUAL, 131 TUNNEL…). */
  ifType: number;
  /** ifdef.h IF_OPER_STATUS (1 up, 2 down, 3 testing, 4 unknown, 5 dormant, 6 not present, 7 lower layer down). */
  operStatus: number;
  mtu: number;
  /** Hardware address as lowercase hex pairs joined by ':' ("" when none). */
  physicalAddress: string;
  /** ifdef.h TUNNEL_TYPE (0 none, 2 other, 3 direct, 11 6to4, 13 ISATAP, 14 Teredo, 15 IP-HTTPS); null when absent. */
  tunnelType: number | null;
  /** ifdef.h NET_IF_CONNECTION_TYPE (1 dedicated, 2 passive, 3 demand-dial, 4 maximum); null when absent. */
  connectionType: number | null;
  addresses: AdapterAddress[];
}

/** The caller's buffer and the address it lives at: pointers are resolved against both. */
class BufferMemory {
  constructor(
    readonly buf: Buffer,
    readonly base: bigint,
    readonly pointerSize: 4 | 8,
  ) {}

  /** The buffer offset of `length` bytes at `pointer`; RangeError unless they lie inside the buffer. */
  offsetOf(pointer: bigint, length: number, what: string): number {
    const offset = pointer - this.base;
    if (offset < 0n || offset + BigInt(length) > BigInt(this.buf.length)) {
      throw new RangeError(`${what} points outside the ${this.buf.length}-byte buffer (0x${pointer.toString(16)})`);
    }
    return Number(offset);
  }

  pointerAt(offset: number): bigint {
    return this.pointerSize === 8 ? this.buf.readBigUInt64LE(offset) : BigInt(this.buf.readUInt32LE(offset));
  }

  /** A NUL-terminated UTF-16 string at `pointer` (PWCHAR); "" for NULL. */
  wideString(pointer: bigint, what: string): string {
    if (pointer === 0n) return '';
    const start = this.offsetOf(pointer, 2, what);
    let end = start;
    while (end + 1 < this.buf.length && (this.buf[end] !== 0 || this.buf[end + 1] !== 0)) end += 2;
    if (end + 1 >= this.buf.length) throw new RangeError(`${what} has no terminating NUL inside the buffer`);
    return this.buf.toString('utf16le', start, end);
  }

  /** A NUL-terminated 8-bit string at `pointer` (PCHAR); "" for NULL. */
  narrowString(pointer: bigint, what: string): string {
    if (pointer === 0n) return '';
    const start = this.offsetOf(pointer, 1, what);
    const end = this.buf.indexOf(0, start);
    if (end < 0) throw new RangeError(`${what} has no terminating NUL inside the buffer`);
    return this.buf.toString('latin1', start, end);
  }
}

function offset(layout: IpLayout, field: string): number {
  const value = layout.offsets[field];
  if (value === undefined) throw new Error(`${layout.name} has no field ${field}`);
  return value;
}

/** Bytes of the struct up to and including `field`: an entry whose Length is shorter does not have it. */
function endOf(layout: IpLayout, field: string): number {
  return offset(layout, field) + ipFieldByteLength(layout, field);
}

/** A SOCKADDR (SOCKET_ADDRESS.lpSockaddr + iSockaddrLength) as text; null for NULL or another family. */
export function decodeSockaddr(memory: BufferMemory, pointer: bigint, length: number, layouts: IpLayouts, what: string): { family: 'ipv4' | 'ipv6'; address: string } | null {
  if (pointer === 0n || length < 2) return null;
  const at = memory.offsetOf(pointer, length, what);
  const family = memory.buf.readUInt16LE(at);
  if (family === WIN_AF_INET && length >= layouts.sockaddrIn.size) {
    const addr = at + offset(layouts.sockaddrIn, 'sin_addr');
    return { family: 'ipv4', address: ipv4Text(memory.buf.subarray(addr, addr + 4)) };
  }
  if (family === WIN_AF_INET6 && length >= layouts.sockaddrIn6.size) {
    const addr = at + offset(layouts.sockaddrIn6, 'sin6_addr');
    return { family: 'ipv6', address: ipv6Text(memory.buf.subarray(addr, addr + 16)) };
  }
  return null;
}

function decodeUnicastList(memory: BufferMemory, first: bigint, layouts: IpLayouts, adapterName: string): AdapterAddress[] {
  const u = layouts.unicast;
  const minimum = endOf(u, 'LeaseLifetime'); // the XP struct: every field but OnLinkPrefixLength
  const addresses: AdapterAddress[] = [];
  const seen = new Set<bigint>();
  for (let pointer = first; pointer !== 0n; ) {
    if (seen.has(pointer)) throw new RangeError(`the unicast address list of ${adapterName} loops`);
    seen.add(pointer);
    const at = memory.offsetOf(pointer, minimum, `a unicast address of ${adapterName}`);
    const length = memory.buf.readUInt32LE(at + offset(u, 'Length'));
    if (length < minimum) throw new RangeError(`a unicast address of ${adapterName} is ${length} bytes, shorter than the ${minimum} of its fields`);
    const hasPrefix = length >= endOf(u, 'OnLinkPrefixLength') && at + endOf(u, 'OnLinkPrefixLength') <= memory.buf.length;
    const sa = at + offset(u, 'Address');
    const sockaddr = decodeSockaddr(
      memory,
      memory.pointerAt(sa + offset(layouts.socketAddress, 'lpSockaddr')),
      memory.buf.readInt32LE(sa + offset(layouts.socketAddress, 'iSockaddrLength')),
      layouts,
      `the SOCKADDR of a unicast address of ${adapterName}`,
    );
    if (sockaddr) {
      addresses.push({
        ...sockaddr,
        prefixLength: hasPrefix ? memory.buf[at + offset(u, 'OnLinkPrefixLength')]! : null,
        dadState: memory.buf.readUInt32LE(at + offset(u, 'DadState')),
      });
    }
    pointer = memory.pointerAt(at + offset(u, 'Next'));
  }
  return addresses;
}

/**
 * The adapter list GetAdaptersAddresses wrote into `buf`, which lives at address `base` (koffi.address of the
 * buffer). The first entry is at the start of the buffer. Throws RangeError on corrupt data.
 */
export function decodeAdapterAddresses(buf: Buffer, base: bigint, layouts: IpLayouts = ipLayouts()): AdapterRecord[] {
  const a = layouts.adapter;
  const memory = new BufferMemory(buf, base, a.pointerSize);
  // The XP part of the struct (up to FirstPrefix) holds everything but the LUID: an entry must have it.
  const minimum = endOf(a, 'FirstPrefix');
  const records: AdapterRecord[] = [];
  const seen = new Set<bigint>();
  for (let pointer = buf.length === 0 ? 0n : base; pointer !== 0n; ) {
    if (seen.has(pointer)) throw new RangeError('the adapter list loops');
    seen.add(pointer);
    const at = memory.offsetOf(pointer, minimum, `adapter ${records.length + 1}`);
    const length = buf.readUInt32LE(at + offset(a, 'Length'));
    if (length < minimum) throw new RangeError(`adapter ${records.length + 1} is ${length} bytes, shorter than the ${minimum} of its fields`);
    // A field past the entry's Length, or past the end of the buffer, is absent.
    const has = (field: string): boolean => length >= endOf(a, field) && at + endOf(a, field) <= buf.length;
    const friendlyName = memory.wideString(memory.pointerAt(at + offset(a, 'FriendlyName')), `the FriendlyName of adapter ${records.length + 1}`);
    const name = friendlyName || `adapter ${records.length + 1}`;
    const physicalLength = Math.min(buf.readUInt32LE(at + offset(a, 'PhysicalAddressLength')), ipFieldByteLength(a, 'PhysicalAddress'));
    const physical = buf.subarray(at + offset(a, 'PhysicalAddress'), at + offset(a, 'PhysicalAddress') + physicalLength);
    records.push({
      ifIndex: buf.readUInt32LE(at + offset(a, 'IfIndex')),
      luid: has('Luid') ? buf.readBigUInt64LE(at + offset(a, 'Luid')) : null,
      adapterName: memory.narrowString(memory.pointerAt(at + offset(a, 'AdapterName')), `the AdapterName of ${name}`),
      description: memory.wideString(memory.pointerAt(at + offset(a, 'Description')), `the Description of ${name}`),
      friendlyName,
      ifType: buf.readUInt32LE(at + offset(a, 'IfType')),
      operStatus: buf.readUInt32LE(at + offset(a, 'OperStatus')),
      mtu: buf.readUInt32LE(at + offset(a, 'Mtu')),
      physicalAddress: [...physical].map((byte) => byte.toString(16).padStart(2, '0')).join(':'),
      tunnelType: has('TunnelType') ? buf.readUInt32LE(at + offset(a, 'TunnelType')) : null,
      connectionType: has('ConnectionType') ? buf.readUInt32LE(at + offset(a, 'ConnectionType')) : null,
      addresses: decodeUnicastList(memory, memory.pointerAt(at + offset(a, 'FirstUnicastAddress')), layouts, name),
    });
    pointer = memory.pointerAt(at + offset(a, 'Next'));
  }
  return records;
}

/** The MIB_IF_ROW2 fields Linkwatch reads after GetIfEntry2. */
export interface IfRow2Record {
  luid: bigint;
  ifIndex: number;
  /** 64-bit byte counters (as numbers: exact up to 2^53 bytes, 8 PiB). */
  inOctets: number;
  outOctets: number;
  operStatus: number;
  /** ifdef.h NET_IF_MEDIA_CONNECT_STATE: 0 unknown, 1 connected, 2 disconnected. */
  mediaConnectState: number;
}

export function decodeIfRow2(buf: Buffer, layout: IpLayout = ipLayouts().ifRow2): IfRow2Record {
  if (buf.length < layout.size) throw new RangeError(`a ${buf.length}-byte buffer is shorter than ${layout.name} (${layout.size})`);
  return {
    luid: buf.readBigUInt64LE(offset(layout, 'InterfaceLuid')),
    ifIndex: buf.readUInt32LE(offset(layout, 'InterfaceIndex')),
    inOctets: Number(buf.readBigUInt64LE(offset(layout, 'InOctets'))),
    outOctets: Number(buf.readBigUInt64LE(offset(layout, 'OutOctets'))),
    operStatus: buf.readUInt32LE(offset(layout, 'OperStatus')),
    mediaConnectState: buf.readUInt32LE(offset(layout, 'MediaConnectState')),
  };
}

/** The row GetIfEntry2 wants: zeroed, with the interface named by its LUID (or by index when the LUID is 0). */
export function prepareIfRow2(buf: Buffer, luid: bigint | null, ifIndex: number, layout: IpLayout = ipLayouts().ifRow2): void {
  buf.fill(0, 0, layout.size);
  buf.writeBigUInt64LE(luid ?? 0n, offset(layout, 'InterfaceLuid'));
  buf.writeUInt32LE(ifIndex, offset(layout, 'InterfaceIndex'));
}
