import koffi, { type TypeObject } from 'koffi';

/**
 * The RAS structures Linkwatch reads, declared ONCE, as data, from which the koffi struct of every
 * version and architecture is built. Source: the Windows SDK's `ras.h`, which wraps them in
 * `#pragma pack(4)` (`pshpack4.h`) and grows them by `#if (WINVER >= 0x...)` blocks. A caller sets `dwSize`
 * to the version it speaks; Windows answers 632 ERROR_INVALID_SIZE to a size it does not know, so the exact
 * size of each version matters more than anything else here.
 *
 * pack(4) is NOT koffi.pack (1-byte packing): only the 8-byte members (the handle on x64) lose their natural
 * alignment, which koffi's per-member alignment (`[4, type]`) reproduces. A naturally aligned RASCONNW is
 * 1392 bytes on x64, the known way to get ERROR_INVALID_SIZE.
 */

/** ras.h limits (WCHAR arrays are these + 1, except szPhonebook which is MAX_PATH). */
export const RAS_MaxEntryName = 256;
export const RAS_MaxDeviceType = 16;
export const RAS_MaxDeviceName = 128;
export const RAS_MaxPhoneNumber = 128;
export const MAX_PATH = 260;
export const RAS_MaxIpAddress = 15;

/**
 * The C types the structures use. WCHAR is UTF-16 (uint16); HRASCONN and POINTER are pointer-sized (ULONG_PTR too, as an integer: HWND, reserved words); LONG is int32; BOOL is
 * an int; RASIPV4ADDR / RASIPV6ADDR are in_addr / in6_addr (network-order bytes, 4-byte aligned at most).
 */
export type RasFieldType = 'DWORD' | 'BOOL' | 'BYTE' | 'HRASCONN' | 'POINTER' | 'WCHAR' | 'GUID' | 'LUID' | 'RASTUNNELENDPOINT' | 'RASIPV4ADDR' | 'RASIPV6ADDR' | 'ULONG_PTR' | 'LONG';

export interface RasField {
  readonly name: string;
  readonly type: RasFieldType;
  /** Array length (WCHAR strings, BYTE arrays); 1 when absent. */
  readonly count?: number;
  /** The `WINVER` whose `#if` block in ras.h adds the field (0x400 = present in every version we read). */
  readonly winver: number;
}

/** ras.h `struct tagRASCONNW`: one active connection, as RasEnumConnectionsW writes it. */
export const RASCONNW_FIELDS: readonly RasField[] = [
  { name: 'dwSize', type: 'DWORD', winver: 0x400 },
  { name: 'hrasconn', type: 'HRASCONN', winver: 0x400 },
  { name: 'szEntryName', type: 'WCHAR', count: RAS_MaxEntryName + 1, winver: 0x400 },
  { name: 'szDeviceType', type: 'WCHAR', count: RAS_MaxDeviceType + 1, winver: 0x400 },
  { name: 'szDeviceName', type: 'WCHAR', count: RAS_MaxDeviceName + 1, winver: 0x400 },
  { name: 'szPhonebook', type: 'WCHAR', count: MAX_PATH, winver: 0x401 },
  { name: 'dwSubEntry', type: 'DWORD', winver: 0x401 },
  { name: 'guidEntry', type: 'GUID', winver: 0x500 },
  { name: 'dwFlags', type: 'DWORD', winver: 0x501 },
  { name: 'luid', type: 'LUID', winver: 0x501 },
  { name: 'guidCorrelationId', type: 'GUID', winver: 0x600 },
];

/** ras.h `struct tagRASCONNSTATUSW`: what RasGetConnectStatusW writes for one handle. */
export const RASCONNSTATUSW_FIELDS: readonly RasField[] = [
  { name: 'dwSize', type: 'DWORD', winver: 0x400 },
  { name: 'rasconnstate', type: 'DWORD', winver: 0x400 }, // enum RASCONNSTATE: an int, 4 bytes
  { name: 'dwError', type: 'DWORD', winver: 0x400 },
  { name: 'szDeviceType', type: 'WCHAR', count: RAS_MaxDeviceType + 1, winver: 0x400 },
  { name: 'szDeviceName', type: 'WCHAR', count: RAS_MaxDeviceName + 1, winver: 0x400 },
  { name: 'szPhoneNumber', type: 'WCHAR', count: RAS_MaxPhoneNumber + 1, winver: 0x401 },
  { name: 'localEndPoint', type: 'RASTUNNELENDPOINT', winver: 0x601 },
  { name: 'remoteEndPoint', type: 'RASTUNNELENDPOINT', winver: 0x601 },
  { name: 'rasconnsubstate', type: 'DWORD', winver: 0x601 }, // enum RASCONNSUBSTATE
];

/** ras.h `struct _RAS_STATS` (WINVER 0x500): what RasGetConnectionStatistics writes. 32-bit counters. */
export const RAS_STATS_FIELDS: readonly RasField[] = [
  'dwSize',
  'dwBytesXmited',
  'dwBytesRcved',
  'dwFramesXmited',
  'dwFramesRcved',
  'dwCrcErr',
  'dwTimeoutErr',
  'dwAlignmentErr',
  'dwHardwareOverrunErr',
  'dwFramingErr',
  'dwBufferOverrunErr',
  'dwCompressionRatioIn',
  'dwCompressionRatioOut',
  'dwBps',
  'dwConnectDuration', // milliseconds
].map((name) => ({ name, type: 'DWORD', winver: 0x500 }) as const);

/** ras.h `struct tagRASPPPIPW`: RasGetProjectionInfoW(RASP_PppIp). The options are WINVER 0x500. */
export const RASPPPIPW_FIELDS: readonly RasField[] = [
  { name: 'dwSize', type: 'DWORD', winver: 0x400 },
  { name: 'dwError', type: 'DWORD', winver: 0x400 },
  { name: 'szIpAddress', type: 'WCHAR', count: RAS_MaxIpAddress + 1, winver: 0x400 },
  { name: 'szServerIpAddress', type: 'WCHAR', count: RAS_MaxIpAddress + 1, winver: 0x400 },
  { name: 'dwOptions', type: 'DWORD', winver: 0x500 },
  { name: 'dwServerOptions', type: 'DWORD', winver: 0x500 },
];

/** ras.h `struct _RASPPPIPV6` (WINVER 0x600): RasGetProjectionInfoW(RASP_PppIpv6): interface identifiers. */
export const RASPPPIPV6_FIELDS: readonly RasField[] = [
  { name: 'dwSize', type: 'DWORD', winver: 0x600 },
  { name: 'dwError', type: 'DWORD', winver: 0x600 },
  { name: 'bLocalInterfaceIdentifier', type: 'BYTE', count: 8, winver: 0x600 },
  { name: 'bPeerInterfaceIdentifier', type: 'BYTE', count: 8, winver: 0x600 },
  { name: 'bLocalCompressionProtocol', type: 'BYTE', count: 2, winver: 0x600 },
  { name: 'bPeerCompressionProtocol', type: 'BYTE', count: 2, winver: 0x600 },
];

/** ras.h `struct _RASPPP_PROJECTION_INFO` (WINVER 0x601, Windows 7): RAS_PROJECTION_INFO's PPP part. */
export const RASPPP_PROJECTION_INFO_FIELDS: readonly RasField[] = [
  { name: 'dwIPv4NegotiationError', type: 'DWORD', winver: 0x601 },
  { name: 'ipv4Address', type: 'RASIPV4ADDR', winver: 0x601 },
  { name: 'ipv4ServerAddress', type: 'RASIPV4ADDR', winver: 0x601 },
  { name: 'dwIPv4Options', type: 'DWORD', winver: 0x601 },
  { name: 'dwIPv4ServerOptions', type: 'DWORD', winver: 0x601 },
  { name: 'dwIPv6NegotiationError', type: 'DWORD', winver: 0x601 },
  { name: 'bInterfaceIdentifier', type: 'BYTE', count: 8, winver: 0x601 },
  { name: 'bServerInterfaceIdentifier', type: 'BYTE', count: 8, winver: 0x601 },
  { name: 'fBundled', type: 'BOOL', winver: 0x601 },
  { name: 'fMultilink', type: 'BOOL', winver: 0x601 },
  ...[
    'dwAuthenticationProtocol',
    'dwAuthenticationData',
    'dwServerAuthenticationProtocol',
    'dwServerAuthenticationData',
    'dwEapTypeId',
    'dwServerEapTypeId',
    'dwLcpOptions',
    'dwLcpServerOptions',
    'dwCcpError',
    'dwCcpCompressionAlgorithm',
    'dwCcpServerCompressionAlgorithm',
    'dwCcpOptions',
    'dwCcpServerOptions',
  ].map((name) => ({ name, type: 'DWORD', winver: 0x601 }) as const),
];

/** ras.h `struct _RASIKEV2_PROJECTION_INFO` (WINVER 0x601): RAS_PROJECTION_INFO's IKEv2 part. Its two
 * pointers sit at 4-byte boundaries on x64 too (pack(4)). */
export const RASIKEV2_PROJECTION_INFO_FIELDS: readonly RasField[] = [
  { name: 'dwIPv4NegotiationError', type: 'DWORD', winver: 0x601 },
  { name: 'ipv4Address', type: 'RASIPV4ADDR', winver: 0x601 },
  { name: 'ipv4ServerAddress', type: 'RASIPV4ADDR', winver: 0x601 },
  { name: 'dwIPv6NegotiationError', type: 'DWORD', winver: 0x601 },
  { name: 'ipv6Address', type: 'RASIPV6ADDR', winver: 0x601 },
  { name: 'ipv6ServerAddress', type: 'RASIPV6ADDR', winver: 0x601 },
  { name: 'dwPrefixLength', type: 'DWORD', winver: 0x601 },
  { name: 'dwAuthenticationProtocol', type: 'DWORD', winver: 0x601 },
  { name: 'dwEapTypeId', type: 'DWORD', winver: 0x601 },
  { name: 'dwFlags', type: 'DWORD', winver: 0x601 },
  { name: 'dwEncryptionMethod', type: 'DWORD', winver: 0x601 },
  { name: 'numIPv4ServerAddresses', type: 'DWORD', winver: 0x601 },
  { name: 'ipv4ServerAddresses', type: 'POINTER', winver: 0x601 },
  { name: 'numIPv6ServerAddresses', type: 'DWORD', winver: 0x601 },
  { name: 'ipv6ServerAddresses', type: 'POINTER', winver: 0x601 },
];

/**
 * The versions we speak, newest first: the order of the ERROR_INVALID_SIZE fallback.
 * RASCONNW: 0x600 (guidCorrelationId: Vista and later, 1388 bytes on x64), 0x501 (dwFlags + luid: XP,
 * 1372), 0x500 (guidEntry: Windows 2000, 1360). RASCONNSTATUSW: 0x601 (tunnel endpoints + substate:
 * Windows 7, 608), 0x401 (szPhoneNumber, 564). RASPPPIPW: 0x500 (options, 80), 0x400 (72).
 */
export const RASCONNW_VERSIONS: readonly number[] = [0x600, 0x501, 0x500];
export const RASCONNSTATUSW_VERSIONS: readonly number[] = [0x601, 0x401];
export const RASPPPIPW_VERSIONS: readonly number[] = [0x500, 0x400];

/** x64: 8-byte HRASCONN; x86: 4-byte. Everything else is the same on both. */
export type RasArch = 'x64' | 'x86';
export const HOST_ARCH: RasArch = koffi.sizeof('void *') === 8 ? 'x64' : 'x86';

export interface RasLayout {
  /** e.g. "RASCONNW_0x600_x64". */
  readonly name: string;
  readonly winver: number;
  readonly arch: RasArch;
  readonly size: number;
  readonly fields: readonly RasField[];
  /** Byte offset of every field, read from the koffi struct. */
  readonly offsets: Readonly<Record<string, number>>;
  /** The koffi struct itself (for koffi.sizeof / offsetof / decode). */
  readonly type: TypeObject;
}

// ras.h (guiddef.h, winnt.h): GUID and LUID are all 4-byte-or-smaller members, so pack(4) leaves them alone.
const GUID = koffi.struct('RAS_GUID', {
  Data1: 'uint32',
  Data2: 'uint16',
  Data3: 'uint16',
  Data4: koffi.array('uint8', 8),
});
const LUID = koffi.struct('RAS_LUID', { LowPart: 'uint32', HighPart: 'int32' });
// ras.h: RASTUNNELENDPOINT { DWORD dwType; union { RASIPV4ADDR ipv4; RASIPV6ADDR ipv6; } } — in_addr and
// in6_addr are byte arrays at heart, so the union is 16 bytes with 4-byte alignment.
const RASTUNNELENDPOINT = koffi.struct('RAS_RASTUNNELENDPOINT', {
  dwType: 'uint32',
  addr: koffi.union('RAS_RASTUNNELENDPOINT_ADDR', { ipv4: 'uint32', ipv6: koffi.array('uint8', 16) }),
});

function memberType(field: RasField, arch: RasArch): TypeObject | string | [number, string] {
  switch (field.type) {
    case 'DWORD':
      return 'uint32';
    case 'BOOL':
      return 'int32';
    case 'BYTE':
      return koffi.array('uint8', field.count ?? 1);
    case 'HRASCONN':
    case 'POINTER':
      // pack(4): the handle sits at offset 4 on x64. A foreign arch gets a same-sized integer instead.
      if (arch === HOST_ARCH) return [4, 'void *'];
      return [4, arch === 'x64' ? 'uint64' : 'uint32'];
    case 'RASIPV4ADDR':
      return koffi.array('uint8', 4);
    case 'RASIPV6ADDR':
      return koffi.array('uint8', 16);
    case 'WCHAR':
      return koffi.array('char16_t', field.count ?? 1);
    case 'GUID':
      return GUID;
    case 'LUID':
      return LUID;
    case 'RASTUNNELENDPOINT':
      return RASTUNNELENDPOINT;
    case 'ULONG_PTR':
      // Pointer-sized (HWND, ULONG_PTR), and like the handle only 4-byte aligned under pack(4).
      return [4, arch === 'x64' ? 'uint64' : 'uint32'];
    case 'LONG':
      return 'int32';
  }
}

const cache = new Map<string, RasLayout>();

/** The layout of `fields` as ras.h lays it out for `winver` on `arch`; built once, then cached. */
export function rasLayout(structName: string, fields: readonly RasField[], winver: number, arch: RasArch = HOST_ARCH): RasLayout {
  const name = `${structName}_0x${winver.toString(16)}_${arch}`;
  const cached = cache.get(name);
  if (cached) return cached;
  const present = fields.filter((field) => field.winver <= winver);
  const def: Record<string, TypeObject | string | [number, string]> = {};
  for (const field of present) def[field.name] = memberType(field, arch);
  const type = koffi.struct(name, def);
  const offsets: Record<string, number> = {};
  for (const field of present) offsets[field.name] = koffi.offsetof(type, field.name);
  const layout: RasLayout = { name, winver, arch, size: koffi.sizeof(type), fields: present, offsets, type };
  cache.set(name, layout);
  return layout;
}

/** RASCONNW layouts, newest first. */
export function rasConnLayouts(arch: RasArch = HOST_ARCH): RasLayout[] {
  return RASCONNW_VERSIONS.map((winver) => rasLayout('RASCONNW', RASCONNW_FIELDS, winver, arch));
}

/** RASCONNSTATUSW layouts, newest first. */
export function rasConnStatusLayouts(arch: RasArch = HOST_ARCH): RasLayout[] {
  return RASCONNSTATUSW_VERSIONS.map((winver) => rasLayout('RASCONNSTATUSW', RASCONNSTATUSW_FIELDS, winver, arch));
}

/** RAS_STATS (one version). */
export function rasStatsLayout(arch: RasArch = HOST_ARCH): RasLayout {
  return rasLayout('RAS_STATS', RAS_STATS_FIELDS, 0x500, arch);
}

/** RASPPPIPW layouts, newest first. */
export function rasPppIpLayouts(arch: RasArch = HOST_ARCH): RasLayout[] {
  return RASPPPIPW_VERSIONS.map((winver) => rasLayout('RASPPPIPW', RASPPPIPW_FIELDS, winver, arch));
}

/** RASPPPIPV6 (one version). */
export function rasPppIpv6Layout(arch: RasArch = HOST_ARCH): RasLayout {
  return rasLayout('RASPPPIPV6', RASPPPIPV6_FIELDS, 0x600, arch);
}

/** The two parts of RAS_PROJECTION_INFO's union. */
export function rasPppProjectionLayout(arch: RasArch = HOST_ARCH): RasLayout {
  return rasLayout('RASPPP_PROJECTION_INFO', RASPPP_PROJECTION_INFO_FIELDS, 0x601, arch);
}
export function rasIkev2ProjectionLayout(arch: RasArch = HOST_ARCH): RasLayout {
  return rasLayout('RASIKEV2_PROJECTION_INFO', RASIKEV2_PROJECTION_INFO_FIELDS, 0x601, arch);
}

/**
 * ras.h `struct _RAS_PROJECTION_INFO` (WINVER 0x601): `RASAPIVERSION version; RASPROJECTION_INFO_TYPE type;`
 * (two enums, 4 bytes each) then `union { RASPPP_PROJECTION_INFO ppp; RASIKEV2_PROJECTION_INFO ikev2; }`,
 * as offsets `version`, `type` and `union`.
 */
export function rasProjectionInfoLayout(arch: RasArch = HOST_ARCH): RasLayout {
  const name = `RAS_PROJECTION_INFO_0x601_${arch}`;
  const cached = cache.get(name);
  if (cached) return cached;
  const union = koffi.union(`${name}_UNION`, { ppp: rasPppProjectionLayout(arch).type, ikev2: rasIkev2ProjectionLayout(arch).type });
  const type = koffi.struct(name, { version: 'uint32', type: 'uint32', union });
  const fields: RasField[] = [
    { name: 'version', type: 'DWORD', winver: 0x601 },
    { name: 'type', type: 'DWORD', winver: 0x601 },
  ];
  const offsets = { version: 0, type: koffi.offsetof(type, 'type'), union: koffi.offsetof(type, 'union') };
  const layout: RasLayout = { name, winver: 0x601, arch, size: koffi.sizeof(type), fields, offsets, type };
  cache.set(name, layout);
  return layout;
}

/** Byte length of a declared field (WCHAR arrays: count × 2), of any layout built with koffi (RAS, iphlpapi). */
export function fieldByteLength(layout: { readonly name: string; readonly type: TypeObject }, fieldName: string): number {
  const member = layout.type.members?.[fieldName];
  if (!member) throw new Error(`${layout.name} has no field ${fieldName}`);
  return member.type.size;
}
