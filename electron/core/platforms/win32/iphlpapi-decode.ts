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
  /**
   * The DNS servers configured on it (FirstDnsServerAddress, IP_ADAPTER_DNS_SERVER_ADDRESS_XP: Length, Reserved,
   * Next, Address at the offsets of the unicast entry's first members), for the routing verdict (issue 25).
   */
  dnsServers: string[];
}

/** The caller's buffer and the address it lives at: pointers are resolved against both. */
class BufferMemory {
  readonly end: bigint;
  constructor(
    readonly buf: Buffer,
    readonly base: bigint,
    readonly pointerSize: 4 | 8,
  ) {
    this.end = BigInt(buf.length);
  }

  /**
   * The buffer offset of `length` bytes at `pointer`; RangeError unless they lie inside the buffer. `what`
   * names the pointer for the message, and is only called when there is one to write.
   */
  offsetOf(pointer: bigint, length: number, what: () => string): number {
    const offset = pointer - this.base;
    if (offset < 0n || offset > this.end) throw new RangeError(`${what()} points outside the ${this.buf.length}-byte buffer (0x${pointer.toString(16)})`);
    const at = Number(offset);
    if (at + length > this.buf.length) throw new RangeError(`${what()} points outside the ${this.buf.length}-byte buffer (0x${pointer.toString(16)})`);
    return at;
  }

  pointerAt(offset: number): bigint {
    return this.pointerSize === 8 ? this.buf.readBigUInt64LE(offset) : BigInt(this.buf.readUInt32LE(offset));
  }

  /** A NUL-terminated UTF-16 string at `pointer` (PWCHAR); "" for NULL. */
  wideString(pointer: bigint, what: () => string): string {
    if (pointer === 0n) return '';
    const start = this.offsetOf(pointer, 2, what);
    const buf = this.buf;
    let end = start;
    while (end + 1 < buf.length && (buf[end] !== 0 || buf[end + 1] !== 0)) end += 2;
    if (end + 1 >= buf.length) throw new RangeError(`${what()} has no terminating NUL inside the buffer`);
    return end === start ? '' : buf.toString('utf16le', start, end);
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
/**
 * Offsets and lengths of the members the decoder reads, derived once per set of layouts (the declared structs
 * stay the one source; this only saves looking them up by name for every entry).
 */
interface DecodePlan {
  adapter: {
    length: number;
    ifIndex: number;
    next: number;
    firstUnicast: number;
    firstDns: number;
    description: number;
    friendlyName: number;
    physical: number;
    physicalBytes: number;
    physicalLength: number;
    mtu: number;
    ifType: number;
    operStatus: number;
    luid: number;
    tunnelType: number;
    connectionType: number;
    /** The XP part of the struct (up to FirstPrefix) holds everything but the LUID: an entry must have it. */
    minimum: number;
    luidEnd: number;
    tunnelTypeEnd: number;
    connectionTypeEnd: number;
  };
  unicast: { length: number; next: number; sockaddr: number; sockaddrLength: number; dadState: number; prefix: number; minimum: number; prefixEnd: number };
  sockaddrIn: { size: number; addr: number };
  sockaddrIn6: { size: number; addr: number };
}

const plans = new WeakMap<IpLayouts, DecodePlan>();

function planFor(layouts: IpLayouts): DecodePlan {
  let plan = plans.get(layouts);
  if (plan) return plan;
  const a = layouts.adapter;
  const u = layouts.unicast;
  const sa = layouts.socketAddress;
  plan = {
    adapter: {
      length: offset(a, 'Length'),
      ifIndex: offset(a, 'IfIndex'),
      next: offset(a, 'Next'),
      firstUnicast: offset(a, 'FirstUnicastAddress'),
      firstDns: offset(a, 'FirstDnsServerAddress'),
      description: offset(a, 'Description'),
      friendlyName: offset(a, 'FriendlyName'),
      physical: offset(a, 'PhysicalAddress'),
      physicalBytes: ipFieldByteLength(a, 'PhysicalAddress'),
      physicalLength: offset(a, 'PhysicalAddressLength'),
      mtu: offset(a, 'Mtu'),
      ifType: offset(a, 'IfType'),
      operStatus: offset(a, 'OperStatus'),
      luid: offset(a, 'Luid'),
      tunnelType: offset(a, 'TunnelType'),
      connectionType: offset(a, 'ConnectionType'),
      minimum: endOf(a, 'FirstPrefix'),
      luidEnd: endOf(a, 'Luid'),
      tunnelTypeEnd: endOf(a, 'TunnelType'),
      connectionTypeEnd: endOf(a, 'ConnectionType'),
    },
    unicast: {
      length: offset(u, 'Length'),
      next: offset(u, 'Next'),
      sockaddr: offset(u, 'Address') + offset(sa, 'lpSockaddr'),
      sockaddrLength: offset(u, 'Address') + offset(sa, 'iSockaddrLength'),
      dadState: offset(u, 'DadState'),
      prefix: offset(u, 'OnLinkPrefixLength'),
      minimum: endOf(u, 'LeaseLifetime'), // the XP struct: every field but OnLinkPrefixLength
      prefixEnd: endOf(u, 'OnLinkPrefixLength'),
    },
    sockaddrIn: { size: layouts.sockaddrIn.size, addr: offset(layouts.sockaddrIn, 'sin_addr') },
    sockaddrIn6: { size: layouts.sockaddrIn6.size, addr: offset(layouts.sockaddrIn6, 'sin6_addr') },
  };
  plans.set(layouts, plan);
  return plan;
}

/** A SOCKADDR (SOCKET_ADDRESS.lpSockaddr + iSockaddrLength) as text; null for NULL or another family. */
function decodeSockaddr(memory: BufferMemory, pointer: bigint, length: number, plan: DecodePlan, what: () => string): { family: 'ipv4' | 'ipv6'; address: string } | null {
  if (pointer === 0n || length < 2) return null;
  const at = memory.offsetOf(pointer, length, what);
  const family = memory.buf.readUInt16LE(at);
  if (family === WIN_AF_INET && length >= plan.sockaddrIn.size) {
    const addr = at + plan.sockaddrIn.addr;
    return { family: 'ipv4', address: ipv4Text(memory.buf.subarray(addr, addr + 4)) };
  }
  if (family === WIN_AF_INET6 && length >= plan.sockaddrIn6.size) {
    const addr = at + plan.sockaddrIn6.addr;
    return { family: 'ipv6', address: ipv6Text(memory.buf.subarray(addr, addr + 16)) };
  }
  return null;
}

function decodeUnicastList(memory: BufferMemory, first: bigint, plan: DecodePlan, adapter: () => string): AdapterAddress[] {
  const u = plan.unicast;
  const buf = memory.buf;
  const addresses: AdapterAddress[] = [];
  // A list longer than the buffer could hold loops: cheaper than remembering every entry seen.
  const limit = Math.floor(buf.length / u.minimum) + 1;
  const what = () => `a unicast address of ${adapter()}`;
  for (let pointer = first, n = 0; pointer !== 0n; n++) {
    if (n >= limit) throw new RangeError(`the unicast address list of ${adapter()} loops`);
    const at = memory.offsetOf(pointer, u.minimum, what);
    const length = buf.readUInt32LE(at + u.length);
    if (length < u.minimum) throw new RangeError(`${what()} is ${length} bytes, shorter than the ${u.minimum} of its fields`);
    const hasPrefix = length >= u.prefixEnd && at + u.prefixEnd <= buf.length;
    const sockaddr = decodeSockaddr(memory, memory.pointerAt(at + u.sockaddr), buf.readInt32LE(at + u.sockaddrLength), plan, () => `the SOCKADDR of ${what()}`);
    if (sockaddr) {
      addresses.push({
        family: sockaddr.family,
        address: sockaddr.address,
        prefixLength: hasPrefix ? buf[at + u.prefix]! : null,
        dadState: buf.readUInt32LE(at + u.dadState),
      });
    }
    pointer = memory.pointerAt(at + u.next);
  }
  return addresses;
}

/**
 * An adapter's DNS server list (issue 25). IP_ADAPTER_DNS_SERVER_ADDRESS_XP shares its first members (Length,
 * Next, Address) with IP_ADAPTER_UNICAST_ADDRESS_LH (iptypes.h: both open with the same Alignment union), so
 * the unicast entry's offsets serve; an entry need only reach the end of its Address.
 */
function decodeDnsList(memory: BufferMemory, first: bigint, plan: DecodePlan, adapter: () => string): string[] {
  const u = plan.unicast;
  const minimum = u.sockaddrLength + 4;
  const servers: string[] = [];
  const limit = Math.floor(memory.buf.length / minimum) + 1;
  const what = () => `a DNS server of ${adapter()}`;
  for (let pointer = first, n = 0; pointer !== 0n; n++) {
    if (n >= limit) throw new RangeError(`the DNS server list of ${adapter()} loops`);
    const at = memory.offsetOf(pointer, minimum, what);
    const sockaddr = decodeSockaddr(memory, memory.pointerAt(at + u.sockaddr), memory.buf.readInt32LE(at + u.sockaddrLength), plan, () => `the SOCKADDR of ${what()}`);
    if (sockaddr) servers.push(sockaddr.address);
    pointer = memory.pointerAt(at + u.next);
  }
  return servers;
}

/**
 * The adapter list GetAdaptersAddresses wrote into `buf`, which lives at address `base` (koffi.address of the
 * buffer). The first entry is at the start of the buffer. Throws RangeError on corrupt data.
 */
export function decodeAdapterAddresses(buf: Buffer, base: bigint, layouts: IpLayouts = ipLayouts()): AdapterRecord[] {
  const plan = planFor(layouts);
  const a = plan.adapter;
  const memory = new BufferMemory(buf, base, layouts.adapter.pointerSize);
  const records: AdapterRecord[] = [];
  const limit = Math.floor(buf.length / a.minimum) + 1;
  for (let pointer = buf.length === 0 ? 0n : base; pointer !== 0n; ) {
    const n = records.length + 1;
    if (n > limit) throw new RangeError('the adapter list loops');
    const at = memory.offsetOf(pointer, a.minimum, () => `adapter ${n}`);
    const length = buf.readUInt32LE(at + a.length);
    if (length < a.minimum) throw new RangeError(`adapter ${n} is ${length} bytes, shorter than the ${a.minimum} of its fields`);
    // A field past the entry's Length, or past the end of the buffer, is absent.
    const has = (end: number): boolean => length >= end && at + end <= buf.length;
    const friendlyName = memory.wideString(memory.pointerAt(at + a.friendlyName), () => `the FriendlyName of adapter ${n}`);
    const name = () => friendlyName || `adapter ${n}`;
    const physicalLength = Math.min(buf.readUInt32LE(at + a.physicalLength), a.physicalBytes);
    let physicalAddress = '';
    for (let i = 0; i < physicalLength; i++) physicalAddress += (i ? ':' : '') + buf[at + a.physical + i]!.toString(16).padStart(2, '0');
    records.push({
      ifIndex: buf.readUInt32LE(at + a.ifIndex),
      luid: has(a.luidEnd) ? buf.readBigUInt64LE(at + a.luid) : null,
      description: memory.wideString(memory.pointerAt(at + a.description), () => `the Description of ${name()}`),
      friendlyName,
      ifType: buf.readUInt32LE(at + a.ifType),
      operStatus: buf.readUInt32LE(at + a.operStatus),
      mtu: buf.readUInt32LE(at + a.mtu),
      physicalAddress,
      tunnelType: has(a.tunnelTypeEnd) ? buf.readUInt32LE(at + a.tunnelType) : null,
      connectionType: has(a.connectionTypeEnd) ? buf.readUInt32LE(at + a.connectionType) : null,
      addresses: decodeUnicastList(memory, memory.pointerAt(at + a.firstUnicast), plan, name),
      dnsServers: decodeDnsList(memory, memory.pointerAt(at + a.firstDns), plan, name),
    });
    pointer = memory.pointerAt(at + a.next);
  }
  return records;
}

/**
 * decodeAdapterAddresses for a caller that enumerates again and again into the same buffer (the monitor
 * reads every poll, and adapters rarely change): when the buffer's bytes and address equal those of the
 * previous decode, the previous records are the answer (they are a pure function of those bytes, and never
 * handed out for mutation); otherwise the list is decoded and the bytes kept for the next comparison.
 */
export class AdapterListDecoder {
  private previous: { base: bigint; bytes: Buffer; records: AdapterRecord[] } | null = null;

  constructor(
    private readonly layouts: IpLayouts = ipLayouts(),
    private readonly reuse = true,
  ) {}

  decode(buf: Buffer, base: bigint): AdapterRecord[] {
    const before = this.previous;
    if (this.reuse && before && before.base === base && before.bytes.length === buf.length && before.bytes.equals(buf)) return before.records;
    const records = decodeAdapterAddresses(buf, base, this.layouts);
    if (this.reuse) {
      const bytes = before && before.bytes.length === buf.length ? before.bytes : Buffer.allocUnsafe(buf.length);
      buf.copy(bytes);
      this.previous = { base, bytes, records };
    }
    return records;
  }
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
  if (buf.length < layout.size) throw new RangeError(`a ${buf.length}-byte buffer is shorter than ${layout.name} (${layout.size})`);
  buf.fill(0, 0, layout.size);
  buf.writeBigUInt64LE(luid ?? 0n, offset(layout, 'InterfaceLuid'));
  buf.writeUInt32LE(ifIndex, offset(layout, 'InterfaceIndex'));
}
