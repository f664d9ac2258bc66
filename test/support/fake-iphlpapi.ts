/**
 * The fake iphlpapi (test/fixtures/fake-iphlpapi.c) for tests: builds it with the system `cc` when missing or
 * stale, and drives it, in-process (fakeIphlpapi().setState) or across processes (a FAKE_IPHLPAPI_STATE file
 * written with writeFakeIphlpapiState). Both take the same adapters; the state text's format is documented at
 * the top of the C file.
 *
 *     const fake = loadFakeIphlpapi();
 *     fake.setState([{ ifIndex: 7, luid: 0x35000001000000n, ifType: 53, description: 'WireGuard Tunnel', friendlyName: 'office',
 *                      addresses: ['10.6.0.2/32', 'fd00:6::2/128'] }]);
 *     const source = createAdapterSource(fake.path);
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, win32 } from 'node:path';
import koffi from 'koffi';
import { FAKE_RAS_DIR_ENV } from './fake-ras';
import { BUILD_DIR, FAKE_LIBRARIES, FIXTURES_DIR, buildFakeSharedObject } from './fake-libraries';
import { buildWindowsDll, windowsPath } from './windows-node';

const FAKE = FAKE_LIBRARIES.iphlpapi;
/** The SDK slice both the fake and the benchmark baseline are built with. */
export const FAKE_IPHLPAPI_HEADER = join(FIXTURES_DIR, 'fake-iphlpapi.h');
/** Its own file name: a DLL named iphlpapi.dll would be Wine's built-in. */
export const FAKE_IPHLPAPI_DLL = `${FAKE.dllBase}.dll`;

export interface FakeAdapter {
  ifIndex: number;
  /** NET_LUID.Value: its bits 48-63 must be the IfType, as on Windows (netLuid() builds one). */
  luid: bigint;
  /** IF_TYPE_*; default 53 (PROP_VIRTUAL). */
  ifType?: number;
  /** IF_OPER_STATUS; default 1 (up). */
  operStatus?: number;
  mtu?: number;
  friendlyName: string;
  description: string;
  /** CIDR; IPv4 or IPv6. */
  addresses?: string[];
  /** Addresses (from `addresses`) that failed duplicate detection. */
  duplicate?: string[];
  inOctets?: bigint | number;
  outOctets?: bigint | number;
  /** Reported only with GAA_FLAG_INCLUDE_ALL_INTERFACES (WAN miniports, filter drivers). */
  hidden?: boolean;
  /** TUNNEL_TYPE (14 Teredo…). */
  tunnelType?: number;
}

/** `grow` calls of GetAdaptersAddresses each leave the list `growPerCall` (default 1) adapters longer. */
export interface GrowOptions {
  grow?: number;
  growPerCall?: number;
}

export type FakeIphlpapiFunction = 'GetAdaptersAddresses' | 'GetIfEntry2' | 'Notify' | 'Cancel';

export interface FakeIphlpapi {
  readonly path: string;
  /** Replace the adapters; the fake's notifier thread then calls the registered callbacks for what changed. */
  setState(adapters: readonly FakeAdapter[], options?: GrowOptions): void;
  /** No adapters, call counters zeroed (registrations stay). */
  reset(): void;
  calls(fn: FakeIphlpapiFunction): number;
  /** Notification registrations active now. */
  registrations(): number;
}

/**
 * NET_LUID.Value as ifdef.h lays it out: Reserved (bits 0-23), NetLuidIndex (24-47), IfType (48-63). Every
 * adapter LUID Windows hands out carries its IfType so; nothing else (RASCONNW.luid: a logon session) does.
 */
export function netLuid(ifType: number, netLuidIndex: number): bigint {
  return (BigInt(ifType) << 48n) | (BigInt(netLuidIndex) << 24n);
}

/** What a RAS connection's adapter needs from the connection: its entry name, device and projected address. */
export interface RasAdapterSource {
  name: string;
  deviceName?: string;
  projection?: { ipv4?: string; ipv6?: string; prefixLength?: number };
}

/**
 * The adapter Windows makes for a RAS connection, as GetAdaptersAddresses reports it: an NDISWAN interface of
 * IfType 23 (PPP) for every RAS VPN and dial-up (PPTP, L2TP, SSTP, IKEv2: ipconfig prints "PPP adapter
 * <entry>"), FriendlyName = the entry's name, Description = the WAN miniport ("WAN Miniport (IKEv2)"), the
 * projected IPv4 address as a /32, a NET_LUID of its own (nothing in RASCONNW points at it), MTU 1400.
 */
export function rasConnectionAdapter(connection: RasAdapterSource, ifIndex: number, netLuidIndex: number): FakeAdapter {
  const addresses: string[] = [];
  if (connection.projection?.ipv4) addresses.push(`${connection.projection.ipv4}/32`);
  if (connection.projection?.ipv6) addresses.push(`${connection.projection.ipv6}/${connection.projection.prefixLength ?? 64}`);
  return {
    ifIndex,
    luid: netLuid(IF_TYPE_PPP, netLuidIndex),
    ifType: IF_TYPE_PPP,
    mtu: 1400,
    friendlyName: connection.name,
    description: connection.deviceName ?? 'WAN Miniport (IKEv2)',
    addresses,
  };
}

const IF_TYPE_PPP = 23;

function field(value: string): string {
  if (/[\t\r\n]/.test(value)) throw new Error(`fake iphlpapi state: a field cannot hold a tab or newline: ${JSON.stringify(value)}`);
  return value;
}

/** The state text for `adapters` (the format at the top of fake-iphlpapi.c). */
export function fakeIphlpapiStateText(adapters: readonly FakeAdapter[], options: GrowOptions = {}): string {
  const lines = ['# fake iphlpapi state'];
  if (options.grow) lines.push(`!grow ${options.grow} ${options.growPerCall ?? 1}`);
  for (const a of adapters) {
    const ifType = a.ifType ?? 53;
    if (a.luid >> 48n !== BigInt(ifType)) {
      throw new Error(`fake iphlpapi: adapter ${a.ifIndex}'s LUID 0x${a.luid.toString(16)} does not carry its IfType ${ifType} in bits 48-63 (Windows' always does: use netLuid())`);
    }
    const extra = [...(a.hidden ? ['hidden'] : []), ...(a.tunnelType !== undefined ? [String(a.tunnelType)] : [])];
    lines.push(
      [
        'adapter',
        String(a.ifIndex),
        `0x${a.luid.toString(16)}`,
        String(ifType),
        String(a.operStatus ?? 1),
        String(a.mtu ?? 1420),
        field(a.friendlyName),
        field(a.description),
        String(a.inOctets ?? 0),
        String(a.outOctets ?? 0),
        ...extra,
      ].join('\t'),
    );
    for (const address of a.addresses ?? []) {
      lines.push(`addr\t${field(address)}`);
      if (a.duplicate?.includes(address)) lines.push('!dad-duplicate');
    }
  }
  return `${lines.join('\n')}\n`;
}

/** Write a FAKE_IPHLPAPI_STATE file atomically (temporary file + rename: the fake always sees a new inode). */
export function writeFakeIphlpapiState(path: string, adapters: readonly FakeAdapter[], options: GrowOptions = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, fakeIphlpapiStateText(adapters, options));
  renameSync(temporary, path);
}

/**
 * Path of the fake for this process: the Linux build (built if needed), or under Windows Node the DLL in the
 * folder LINKWATCH_FAKE_RAS_DIR names (built beforehand on the Linux side, fakeIphlpapiWindowsEnv).
 */
export function fakeIphlpapiPath(): string {
  if (process.platform === 'win32') {
    const dir = process.env[FAKE_RAS_DIR_ENV];
    if (!dir) throw new Error(`${FAKE_RAS_DIR_ENV} is not set: the Wine tier sets it to the folder of the fakes' DLLs`);
    return win32.join(dir, FAKE_IPHLPAPI_DLL);
  }
  return buildFakeSharedObject(FAKE, join(BUILD_DIR, 'fake-iphlpapi.so'));
}

/** The mingw DLL of the same source, built if needed. */
export function fakeIphlpapiDllPath(): string {
  return buildWindowsDll(join(BUILD_DIR, FAKE_IPHLPAPI_DLL), FAKE);
}

/** What a test file needs under Windows Node to find the DLL. */
export function fakeIphlpapiWindowsEnv(): NodeJS.ProcessEnv {
  fakeIphlpapiDllPath();
  return { [FAKE_RAS_DIR_ENV]: windowsPath(BUILD_DIR) };
}

let loaded: FakeIphlpapi | null = null;

/** Build (if needed) and load the fake in this process. */
export function loadFakeIphlpapi(): FakeIphlpapi {
  if (loaded) return loaded;
  const path = fakeIphlpapiPath();
  const lib = koffi.load(path);
  const setState = lib.func('void fake_iphlpapi_set_state(str text)');
  const reset = lib.func('void fake_iphlpapi_reset(void)');
  const calls = lib.func('uint32_t fake_iphlpapi_calls(str function)');
  const registrations = lib.func('uint32_t fake_iphlpapi_registrations(void)');
  loaded = {
    path,
    setState: (adapters, options) => setState(fakeIphlpapiStateText(adapters, options)),
    reset: () => reset(),
    calls: (fn) => calls(fn),
    registrations: () => registrations(),
  };
  return loaded;
}
