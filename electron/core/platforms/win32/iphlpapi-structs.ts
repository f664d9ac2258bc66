import koffi, { type TypeObject } from 'koffi';

/**
 * The iphlpapi structures Linkwatch reads, declared ONCE, as data, from which the koffi struct of each
 * architecture is built (the same approach as ras-structs.ts). Sources: the Windows SDK's `iptypes.h`
 * (IP_ADAPTER_ADDRESSES_LH, IP_ADAPTER_UNICAST_ADDRESS_LH; the `_LH` = "Longhorn" versions, Windows Vista
 * and later), `ws2def.h` / `ws2ipdef.h` (SOCKET_ADDRESS, SOCKADDR_IN, SOCKADDR_IN6), `ifdef.h` (NET_LUID)
 * and `netioapi.h` (MIB_IF_ROW2, Vista+). None of them is packed: natural alignment, where a 64-bit member
 * (ULONGLONG, ULONG64, NET_LUID) aligns to 8 on x86 too (the Microsoft ABI), which koffi's per-member
 * alignment (`[8, 'uint64']`) states explicitly. Layouts are checked against mingw-w64's headers for x64
 * and x86 in test/native/platforms/win32/adapter-structs-sdk.test.ts.
 */

/** iptypes.h / ifdef.h / netioapi.h limits. */
export const MAX_ADAPTER_ADDRESS_LENGTH = 8;
export const MAX_DHCPV6_DUID_LENGTH = 130;
export const IF_MAX_STRING_SIZE = 256;
export const IF_MAX_PHYS_ADDRESS_LENGTH = 32;

/**
 * The C types these structures use. PTR is any pointer (4 or 8 bytes); U64 is ULONGLONG/ULONG64/NET_LUID
 * (8 bytes, 8-aligned on both architectures); ULONG covers every 4-byte integer and enum (IFTYPE,
 * IF_OPER_STATUS, TUNNEL_TYPE…); GUID is 16 bytes, 4-aligned; SOCKET_ADDRESS is { LPSOCKADDR; INT }.
 */
export type IpFieldType = 'ULONG' | 'U64' | 'PTR' | 'BYTE' | 'WCHAR' | 'USHORT' | 'GUID' | 'SOCKET_ADDRESS';

export interface IpField {
  readonly name: string;
  readonly type: IpFieldType;
  /** Array length; 1 when absent. */
  readonly count?: number;
  /** Alignment forced by a union around the field (iptypes.h's `ULONGLONG Alignment`). */
  readonly align?: number;
}

/**
 * iptypes.h `struct _IP_ADAPTER_ADDRESSES_LH` (Vista+; the list GetAdaptersAddresses writes). The leading
 * `union { ULONGLONG Alignment; struct { ULONG Length; IF_INDEX IfIndex; } }` is Length (8-aligned) + IfIndex;
 * the Flags bit-field union is one ULONG. `FirstDnsSuffix` is the Vista SP1 addition (NTDDI 0x06000100).
 */
export const IP_ADAPTER_ADDRESSES_FIELDS: readonly IpField[] = [
  { name: 'Length', type: 'ULONG', align: 8 },
  { name: 'IfIndex', type: 'ULONG' },
  { name: 'Next', type: 'PTR' },
  { name: 'AdapterName', type: 'PTR' },
  { name: 'FirstUnicastAddress', type: 'PTR' },
  { name: 'FirstAnycastAddress', type: 'PTR' },
  { name: 'FirstMulticastAddress', type: 'PTR' },
  { name: 'FirstDnsServerAddress', type: 'PTR' },
  { name: 'DnsSuffix', type: 'PTR' },
  { name: 'Description', type: 'PTR' },
  { name: 'FriendlyName', type: 'PTR' },
  { name: 'PhysicalAddress', type: 'BYTE', count: MAX_ADAPTER_ADDRESS_LENGTH },
  { name: 'PhysicalAddressLength', type: 'ULONG' },
  { name: 'Flags', type: 'ULONG' },
  { name: 'Mtu', type: 'ULONG' },
  { name: 'IfType', type: 'ULONG' },
  { name: 'OperStatus', type: 'ULONG' },
  { name: 'Ipv6IfIndex', type: 'ULONG' },
  { name: 'ZoneIndices', type: 'ULONG', count: 16 },
  { name: 'FirstPrefix', type: 'PTR' },
  { name: 'TransmitLinkSpeed', type: 'U64' },
  { name: 'ReceiveLinkSpeed', type: 'U64' },
  { name: 'FirstWinsServerAddress', type: 'PTR' },
  { name: 'FirstGatewayAddress', type: 'PTR' },
  { name: 'Ipv4Metric', type: 'ULONG' },
  { name: 'Ipv6Metric', type: 'ULONG' },
  { name: 'Luid', type: 'U64' },
  { name: 'Dhcpv4Server', type: 'SOCKET_ADDRESS' },
  { name: 'CompartmentId', type: 'ULONG' },
  { name: 'NetworkGuid', type: 'GUID' },
  { name: 'ConnectionType', type: 'ULONG' },
  { name: 'TunnelType', type: 'ULONG' },
  { name: 'Dhcpv6Server', type: 'SOCKET_ADDRESS' },
  { name: 'Dhcpv6ClientDuid', type: 'BYTE', count: MAX_DHCPV6_DUID_LENGTH },
  { name: 'Dhcpv6ClientDuidLength', type: 'ULONG' },
  { name: 'Dhcpv6Iaid', type: 'ULONG' },
  { name: 'FirstDnsSuffix', type: 'PTR' },
];

/** iptypes.h `struct _IP_ADAPTER_UNICAST_ADDRESS_LH` (Vista+: OnLinkPrefixLength is the LH addition). */
export const IP_ADAPTER_UNICAST_ADDRESS_FIELDS: readonly IpField[] = [
  { name: 'Length', type: 'ULONG', align: 8 },
  { name: 'Flags', type: 'ULONG' },
  { name: 'Next', type: 'PTR' },
  { name: 'Address', type: 'SOCKET_ADDRESS' },
  { name: 'PrefixOrigin', type: 'ULONG' },
  { name: 'SuffixOrigin', type: 'ULONG' },
  { name: 'DadState', type: 'ULONG' },
  { name: 'ValidLifetime', type: 'ULONG' },
  { name: 'PreferredLifetime', type: 'ULONG' },
  { name: 'LeaseLifetime', type: 'ULONG' },
  { name: 'OnLinkPrefixLength', type: 'BYTE' },
];

/** ws2def.h `struct _SOCKET_ADDRESS { LPSOCKADDR lpSockaddr; INT iSockaddrLength; }`. */
export const SOCKET_ADDRESS_FIELDS: readonly IpField[] = [
  { name: 'lpSockaddr', type: 'PTR' },
  { name: 'iSockaddrLength', type: 'ULONG' },
];

/** ws2def.h `struct sockaddr_in` (16 bytes; port and address in network order). */
export const SOCKADDR_IN_FIELDS: readonly IpField[] = [
  { name: 'sin_family', type: 'USHORT' },
  { name: 'sin_port', type: 'USHORT' },
  { name: 'sin_addr', type: 'BYTE', count: 4 },
  { name: 'sin_zero', type: 'BYTE', count: 8 },
];

/** ws2ipdef.h `struct sockaddr_in6` (28 bytes). */
export const SOCKADDR_IN6_FIELDS: readonly IpField[] = [
  { name: 'sin6_family', type: 'USHORT' },
  { name: 'sin6_port', type: 'USHORT' },
  { name: 'sin6_flowinfo', type: 'ULONG' },
  { name: 'sin6_addr', type: 'BYTE', count: 16 },
  { name: 'sin6_scope_id', type: 'ULONG' },
];

/**
 * netioapi.h `struct _MIB_IF_ROW2` (Vista+): what GetIfEntry2 fills for the interface named by
 * InterfaceLuid (or InterfaceIndex when the LUID is 0). The bit-field struct InterfaceAndOperStatusFlags is
 * one byte (eight BOOLEAN bits); every enum is 4 bytes.
 */
export const MIB_IF_ROW2_FIELDS: readonly IpField[] = [
  { name: 'InterfaceLuid', type: 'U64' },
  { name: 'InterfaceIndex', type: 'ULONG' },
  { name: 'InterfaceGuid', type: 'GUID' },
  { name: 'Alias', type: 'WCHAR', count: IF_MAX_STRING_SIZE + 1 },
  { name: 'Description', type: 'WCHAR', count: IF_MAX_STRING_SIZE + 1 },
  { name: 'PhysicalAddressLength', type: 'ULONG' },
  { name: 'PhysicalAddress', type: 'BYTE', count: IF_MAX_PHYS_ADDRESS_LENGTH },
  { name: 'PermanentPhysicalAddress', type: 'BYTE', count: IF_MAX_PHYS_ADDRESS_LENGTH },
  { name: 'Mtu', type: 'ULONG' },
  { name: 'Type', type: 'ULONG' },
  { name: 'TunnelType', type: 'ULONG' },
  { name: 'MediaType', type: 'ULONG' },
  { name: 'PhysicalMediumType', type: 'ULONG' },
  { name: 'AccessType', type: 'ULONG' },
  { name: 'DirectionType', type: 'ULONG' },
  { name: 'InterfaceAndOperStatusFlags', type: 'BYTE' },
  { name: 'OperStatus', type: 'ULONG' },
  { name: 'AdminStatus', type: 'ULONG' },
  { name: 'MediaConnectState', type: 'ULONG' },
  { name: 'NetworkGuid', type: 'GUID' },
  { name: 'ConnectionType', type: 'ULONG' },
  { name: 'TransmitLinkSpeed', type: 'U64' },
  { name: 'ReceiveLinkSpeed', type: 'U64' },
  { name: 'InOctets', type: 'U64' },
  { name: 'InUcastPkts', type: 'U64' },
  { name: 'InNUcastPkts', type: 'U64' },
  { name: 'InDiscards', type: 'U64' },
  { name: 'InErrors', type: 'U64' },
  { name: 'InUnknownProtos', type: 'U64' },
  { name: 'InUcastOctets', type: 'U64' },
  { name: 'InMulticastOctets', type: 'U64' },
  { name: 'InBroadcastOctets', type: 'U64' },
  { name: 'OutOctets', type: 'U64' },
  { name: 'OutUcastPkts', type: 'U64' },
  { name: 'OutNUcastPkts', type: 'U64' },
  { name: 'OutDiscards', type: 'U64' },
  { name: 'OutErrors', type: 'U64' },
  { name: 'OutUcastOctets', type: 'U64' },
  { name: 'OutMulticastOctets', type: 'U64' },
  { name: 'OutBroadcastOctets', type: 'U64' },
  { name: 'OutQLen', type: 'U64' },
];

/** x64: 8-byte pointers; x86: 4-byte. */
export type IpArch = 'x64' | 'x86';
export const HOST_IP_ARCH: IpArch = koffi.sizeof('void *') === 8 ? 'x64' : 'x86';

export interface IpLayout {
  /** e.g. "IP_ADAPTER_ADDRESSES_LH_x64". */
  readonly name: string;
  readonly arch: IpArch;
  readonly size: number;
  readonly pointerSize: 4 | 8;
  readonly fields: readonly IpField[];
  /** Byte offset of every field, read from the koffi struct. */
  readonly offsets: Readonly<Record<string, number>>;
  readonly type: TypeObject;
}

// guiddef.h: four members of at most 4 bytes, 16 bytes.
const GUID = koffi.struct('IPH_GUID', { Data1: 'uint32', Data2: 'uint16', Data3: 'uint16', Data4: koffi.array('uint8', 8) });

const socketAddressTypes = new Map<IpArch, TypeObject>();
function socketAddressType(arch: IpArch): TypeObject {
  let type = socketAddressTypes.get(arch);
  if (!type) {
    type = koffi.struct(`IPH_SOCKET_ADDRESS_${arch}`, { lpSockaddr: memberType({ name: '', type: 'PTR' }, arch), iSockaddrLength: 'int32' });
    socketAddressTypes.set(arch, type);
  }
  return type;
}

function memberType(field: IpField, arch: IpArch): TypeObject | string | [number, string | TypeObject] {
  const count = field.count ?? 1;
  const array = (element: string): TypeObject | string => (count > 1 || field.count !== undefined ? koffi.array(element, count) : element);
  switch (field.type) {
    case 'ULONG':
      return array('uint32');
    case 'USHORT':
      return array('uint16');
    case 'BYTE':
      return array('uint8');
    case 'WCHAR':
      return koffi.array('char16_t', count);
    case 'U64':
      // 8-aligned on x86 too (MSVC ABI), where the System V i386 ABI would give 4.
      return [8, 'uint64'];
    case 'PTR':
      return arch === 'x64' ? [8, 'uint64'] : [4, 'uint32'];
    case 'GUID':
      return GUID;
    case 'SOCKET_ADDRESS':
      return socketAddressType(arch);
  }
}

const cache = new Map<string, IpLayout>();

/** The layout of `fields` on `arch`, as the SDK header lays it out; built once, then cached. */
export function ipLayout(structName: string, fields: readonly IpField[], arch: IpArch = HOST_IP_ARCH): IpLayout {
  const name = `${structName}_${arch}`;
  const cached = cache.get(name);
  if (cached) return cached;
  const def: Record<string, TypeObject | string | [number, string | TypeObject]> = {};
  for (const field of fields) {
    const member = memberType(field, arch);
    def[field.name] = field.align && typeof member === 'string' ? [field.align, member] : member;
  }
  const type = koffi.struct(name, def);
  const offsets: Record<string, number> = {};
  for (const field of fields) offsets[field.name] = koffi.offsetof(type, field.name);
  const layout: IpLayout = { name, arch, size: koffi.sizeof(type), pointerSize: arch === 'x64' ? 8 : 4, fields, offsets, type };
  cache.set(name, layout);
  return layout;
}

/** Every layout the decoders read, for one architecture. */
export interface IpLayouts {
  adapter: IpLayout;
  unicast: IpLayout;
  socketAddress: IpLayout;
  sockaddrIn: IpLayout;
  sockaddrIn6: IpLayout;
  ifRow2: IpLayout;
}

export function ipLayouts(arch: IpArch = HOST_IP_ARCH): IpLayouts {
  return {
    adapter: ipLayout('IP_ADAPTER_ADDRESSES_LH', IP_ADAPTER_ADDRESSES_FIELDS, arch),
    unicast: ipLayout('IP_ADAPTER_UNICAST_ADDRESS_LH', IP_ADAPTER_UNICAST_ADDRESS_FIELDS, arch),
    socketAddress: ipLayout('SOCKET_ADDRESS', SOCKET_ADDRESS_FIELDS, arch),
    sockaddrIn: ipLayout('SOCKADDR_IN', SOCKADDR_IN_FIELDS, arch),
    sockaddrIn6: ipLayout('SOCKADDR_IN6', SOCKADDR_IN6_FIELDS, arch),
    ifRow2: ipLayout('MIB_IF_ROW2', MIB_IF_ROW2_FIELDS, arch),
  };
}

/** Byte length of a declared field (ras-structs.ts' helper: the same for every koffi layout). */
export { fieldByteLength as ipFieldByteLength } from './ras-structs';
