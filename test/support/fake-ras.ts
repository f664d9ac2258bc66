/**
 * The fake rasapi32 (test/fixtures/fake-rasapi32.c) for tests: builds it with the system `cc` when missing or
 * stale, and drives it.
 *
 * In-process (same process as the code under test):
 *     const fake = loadFakeRas();            // builds if needed, koffi-loads test/fixtures/build/…so
 *     fake.reset();
 *     const h = fake.add({ name: 'Office VPN' });   // → HRASCONN as bigint
 *     const source = createRasSource(fake.path);    // the SAME library instance (same dlopen path)
 *     // or: process.env.LINKWATCH_RASAPI = fake.path, then createSource()
 *     fake.setState(h, RASCS.Disconnected, 691); fake.remove(h);
 *
 * Cross-process (CLI tests, an Electron app under Playwright): point FAKE_RAS_STATE at a file and rewrite it
 * with writeFakeRasState(); every rasapi32 call of the fake re-reads it when it changed, and the file replaces
 * the connection table. Line format (UTF-8, TAB-separated, '#' comments; details at the top of the C file):
 *     handle  name  deviceType  deviceName  phonebook  state  error  bytesIn  bytesOut  connectedMs  projection  ipv4  ipv6
 *     !max-dwsize <rasconn> <rasconnstatus>
 *     !delay-ms <ms>
 *     !notify-once 1
 *
 * Under Windows Node (the Wine tier, test/support/windows-node.ts) the same API drives the DLL build.
 */
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join, win32 } from 'node:path';
import koffi from 'koffi';
import { rasConnectionId } from '../../electron/core/platforms/win32/ras-decode';
import { compileC } from './compile-c';
import { BUILD_DIR, FAKE_LIBRARIES, FIXTURES_DIR, buildFakeSharedObject } from './fake-libraries';
import { buildWindowsDll, windowsPath } from './windows-node';

export { BUILD_DIR, FIXTURES_DIR };
/** The fake's sources and headers: one entry of the list every tier builds from (fake-libraries.ts). */
const FAKE_RAS = FAKE_LIBRARIES.rasapi32;
/**
 * Under Windows Node (the Wine tier), where nothing can be compiled and `import.meta.url` names a bundle:
 * the folder (Windows path) holding the DLLs the Linux side built with fakeRasDllPath().
 */
export const FAKE_RAS_DIR_ENV = 'LINKWATCH_FAKE_RAS_DIR';

/** RASCONNSTATE values (ras.h) tests use most. */
export const RASCS = {
  OpenPort: 0,
  ConnectDevice: 2,
  Authenticate: 5,
  Authenticated: 14,
  Projected: 18,
  ApplySettings: 24,
  Interactive: 0x1000,
  RetryAuthentication: 0x1001,
  CallbackSetByCaller: 0x1002,
  PasswordExpired: 0x1003,
  InvokeEapUI: 0x1004,
  Connected: 0x2000,
  Disconnected: 0x2001,
} as const;

export type RasFunction =
  | 'RasEnumConnectionsW'
  | 'RasGetConnectStatusW'
  | 'RasGetErrorStringW'
  | 'RasHangUpW'
  | 'RasConnectionNotificationW'
  | 'RasGetConnectionStatistics'
  | 'RasGetProjectionInfoW'
  | 'RasGetProjectionInfoEx'
  /** The Linux build's kernel32 stand-in (0 in the DLL, which uses Windows' own). */
  | 'WaitForMultipleObjects';

/** What RasGetProjectionInfoEx / RasGetProjectionInfoW answer for a connection. */
export interface FakeRasProjection {
  /** PPP (RASPPP_PROJECTION_INFO, RASPPPIPW, RASPPPIPV6) or IKEv2 (RASIKEV2_PROJECTION_INFO, RASPPPIPW). */
  kind: 'ppp' | 'ikev2';
  /** The IPv4 address negotiated, dotted; absent = IPv4 not negotiated. */
  ipv4?: string;
  /** The IPv6 address (IKEv2) or an address whose low 64 bits are the interface identifier (PPP); absent = none. */
  ipv6?: string;
  /** IKEv2's dwPrefixLength. Default 64. */
  prefixLength?: number;
  /** IKEv2: server addresses (IPv4 and IPv6, n of each) after the struct: RasGetProjectionInfoEx then needs a larger buffer. */
  serverAddresses?: number;
  /** Negotiation errors (dwIPv4NegotiationError…); default 0. */
  ipv4Error?: number;
  ipv6Error?: number;
}

/** Byte counters (64-bit totals: the fake reports them as RAS_STATS' 32-bit counters) and connected time. */
export interface FakeRasTraffic {
  bytesIn: number | bigint;
  bytesOut: number | bigint;
  /** dwConnectDuration now, in ms; it grows from here. */
  connectedMs?: number;
}
/** The fake's dial side (fake-rasapi32-dial.c). */
export type RasDialFunction = 'RasEnumEntriesW' | 'RasGetEntryDialParamsW' | 'RasDialW';

/** What a dial of a fake phone-book entry does (fake-rasapi32-dial.c): after `states` intermediate states. */
export type FakeDialOutcome = 'connect' | 'fail' | 'hang' | 'gone' | 'drop' | 'refuse' | 'no-handle';
const OUTCOME_CODES: Record<FakeDialOutcome, number> = { connect: 0, fail: 1, hang: 2, gone: 3, drop: 4, refuse: 5, 'no-handle': 6 };

/** One phone-book entry of the fake. Defaults: the user's book, a saved password, connects after 3 states. */
export interface FakeRasEntry {
  name: string;
  /** The all-users phone book instead of the user's. */
  allUsers?: boolean;
  userName?: string;
  /** A password the fake's server accepts besides the saved placeholder (the Windows dialog's answer). */
  password?: string;
  /** Whether a password is saved (RasGetEntryDialParamsW then returns a placeholder and TRUE). Default true. */
  saved?: boolean;
  outcome?: FakeDialOutcome;
  /** Intermediate RASCS_* states before the outcome (at most 10). Default 3. */
  states?: number;
  /** dwError of a `fail` outcome (633 port busy, 691, …). */
  error?: number;
  /** Milliseconds between states. Default 20. */
  stepMs?: number;
  deviceType?: string;
  deviceName?: string;
}

/** The fake's phone-book files: what RasEnumEntriesW reports as szPhonebookPath. */
export const FAKE_USER_PHONEBOOK = 'C:\\Users\\fake\\AppData\\Roaming\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk';
export const FAKE_ALL_USERS_PHONEBOOK = 'C:\\ProgramData\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk';
/** What the fake's RasGetEntryDialParamsW puts in szPassword for a saved password: it must never be seen. */
export const FAKE_SAVED_PASSWORD_PLACEHOLDER = '****************';

/** One connection for the fake. Defaults: a connected IKEv2 VPN without a phone book and without error. */
export interface FakeRasConnection {
  /** szEntryName; "." + a number for a connection dialled without a phone-book entry. */
  name: string;
  /** szDeviceType, e.g. "vpn", "PPPoE", "modem", "isdn". Default "vpn". */
  deviceType?: string;
  /** szDeviceName. Default "WAN Miniport (IKEv2)". */
  deviceName?: string;
  /** szPhonebook; default "" (none). */
  phonebook?: string;
  /** RASCONNSTATE; default RASCS.Connected. */
  state?: number;
  /** dwError; default 0. */
  error?: number;
  /** RasGetConnectionStatistics; default zeros. */
  traffic?: FakeRasTraffic;
  /** RasGetProjectionInfo(Ex); default none (ERROR_PROTOCOL_NOT_CONFIGURED). */
  projection?: FakeRasProjection;
}

/** A connection in a FAKE_RAS_STATE file: with its handle, which must stay the same across rewrites. */
export interface FakeRasStateConnection extends FakeRasConnection {
  handle: bigint | number;
}

/** One RasEnumConnectionsW call as the fake saw it. */
export interface FakeEnumCall {
  /** lprasconn was not NULL. */
  hadBuffer: boolean;
  /** *lpcb on entry. */
  cbIn: number;
  /** lprasconn->dwSize on entry (0 for the NULL probe). */
  dwSize: number;
  result: number;
  /** *lpcb and *lpcConnections on return. */
  cbOut: number;
  countOut: number;
}

/** The fake's control API, typed. All handles are HRASCONN values as bigint. */
export interface FakeRas {
  /** Absolute path of the loaded library: give this same string to createRasSource / LINKWATCH_RASAPI. */
  readonly path: string;
  /** No connections, every knob back to its default, counters zeroed. */
  reset(): void;
  add(connection: FakeRasConnection): bigint;
  /** Throws for an unknown handle. */
  setState(handle: bigint, state: number, error?: number): void;
  /** Throws for an unknown handle. */
  remove(handle: bigint): void;
  count(): number;
  /** Emulate an older Windows: accept only RASCONNW sizes ≤ rasconn (and RASCONNSTATUSW ≤ rasconnstatus); 0 = all. */
  setMaxDwSize(rasconn: number, rasconnstatus?: number): void;
  /** After each of the next n RasEnumConnectionsW calls, `perCall` (default 1) new connections appear. */
  growBetweenCalls(n: number, perCall?: number): void;
  /** The next RasGetConnectStatusW on this handle removes the connection and returns 6 ERROR_INVALID_HANDLE. */
  vanishOnStatus(handle: bigint): void;
  /** The next call of `fn` returns `code`. */
  failNext(fn: RasFunction, code: number): void;
  /** How many RasGetConnectStatusW polls a hung-up connection survives (default 2). */
  setHangUpPolls(polls: number): void;
  /** Throws for an unknown handle. */
  setTraffic(handle: bigint, traffic: FakeRasTraffic): void;
  /** Throws for an unknown handle; null = nothing negotiated. */
  setProjection(handle: bigint, projection: FakeRasProjection | null): void;
  /** A RasConnectionNotificationW registration fires once and is gone (Windows 11). */
  setNotifyOnce(once: boolean): void;
  /** RasConnectionNotificationW registrations alive now. */
  registrations(): number;
  /** Calls of `fn` since the last reset. */
  calls(fn: RasFunction): number;
  /** RasEnumConnectionsW calls since the last reset (the first 64). */
  enumLog(): FakeEnumCall[];
  /**
   * A library that lies (outside the contract) until the next reset: the NULL-buffer probe answers
   * `*lpcb = probeCb` and `*lpcConnections = probeCount`, a successful call `*lpcConnections = okCount`.
   * An absent or 0 value tells the truth.
   */
  lie(lies: { probeCb?: number; probeCount?: number; okCount?: number }): void;
  /** As lie(), for RasEnumEntriesW (the phone book). */
  entriesLie(lies: { probeCb?: number; probeCount?: number; okCount?: number }): void;
  /** Add a phone-book entry (reset() removes them all). */
  addEntry(entry: FakeRasEntry): void;
  /** Emulate an older Windows for RASENTRYNAMEW / RASDIALPARAMSW sizes; 0 = all. */
  setEntriesMaxDwSize(rasentryname: number, rasdialparams?: number): void;
  /** The next call of a dial-side function returns `code`. */
  dialFailNext(fn: RasDialFunction, code: number): void;
  dialCalls(fn: RasDialFunction): number;
}

/**
 * 'full': every function. 'minimal': none of the optional ones (RasGetErrorStringW, RasHangUpW,
 * RasConnectionNotificationW, RasGetConnectionStatistics, RasGetProjectionInfoW/Ex). 'legacy': all but
 * RasGetProjectionInfoEx (before Windows 7, and Wine).
 */
export type FakeRasVariant = 'full' | 'minimal' | 'legacy';
export const FAKE_RAS_VARIANTS: readonly FakeRasVariant[] = ['full', 'minimal', 'legacy'];

/** compileC with the system `cc`, C11, warnings on. */
export function buildC(output: string, sources: string[], args: string[], inputs: string[] = sources): string {
  return compileC('cc', output, sources, ['-std=c11', '-D_GNU_SOURCE', '-O2', '-Wall', '-Wextra', ...args], inputs);
}

const variantFlags = (variant: FakeRasVariant) => (variant === 'full' ? [] : [`-DFAKE_RAS_${variant.toUpperCase()}`]);
const suffix = (variant: FakeRasVariant) => (variant === 'full' ? '' : `-${variant}`);

/**
 * The Windows DLL's file name. Not "rasapi32.dll": Wine would load its built-in instead.
 */
export function fakeRasDllName(variant: FakeRasVariant = 'full'): string {
  return `${FAKE_RAS.dllBase}${suffix(variant)}.dll`;
}

/**
 * Path of the fake library for this process (built if needed). "minimal" lacks RasGetErrorStringW and
 * RasHangUpW. Under Windows Node: the DLL in LINKWATCH_FAKE_RAS_DIR (built beforehand on the Linux side).
 */
export function fakeRasPath(variant: FakeRasVariant = 'full'): string {
  if (process.platform === 'win32') {
    const dir = process.env[FAKE_RAS_DIR_ENV];
    if (!dir) throw new Error(`${FAKE_RAS_DIR_ENV} is not set: the Wine tier sets it to the folder of the fake's DLLs`);
    return win32.join(dir, fakeRasDllName(variant));
  }
  return buildFakeSharedObject(FAKE_RAS, join(BUILD_DIR, `fake-rasapi32${suffix(variant)}.so`), variantFlags(variant));
}

/** The Windows DLL of the fake (mingw, x64), built if needed: the same C sources as the Linux library. */
export function fakeRasDllPath(variant: FakeRasVariant = 'full'): string {
  return buildWindowsDll(join(BUILD_DIR, fakeRasDllName(variant)), FAKE_RAS, variantFlags(variant));
}

/** The environment a test file needs under Windows Node to find the fake's DLLs (every variant built). */
export function fakeRasWindowsEnv(): NodeJS.ProcessEnv {
  for (const variant of FAKE_RAS_VARIANTS) fakeRasDllPath(variant);
  return { [FAKE_RAS_DIR_ENV]: windowsPath(BUILD_DIR) };
}

const FakeEnumCallType = koffi.struct('FakeEnumCall', {
  had_buffer: 'uint32',
  cb_in: 'uint32',
  dw_size: 'uint32',
  result: 'uint32',
  cb_out: 'uint32',
  count_out: 'uint32',
});

const loaded = new Map<string, FakeRas>();

/** Build (if needed) and load the fake in this process; one instance per variant. */
export function loadFakeRas(variant: FakeRasVariant = 'full'): FakeRas {
  const path = fakeRasPath(variant);
  const existing = loaded.get(path);
  if (existing) return existing;
  const lib = koffi.load(path);
  const reset = lib.func('void fake_reset(void)');
  const add = lib.func('uint64_t fake_add_connection(str16 name, str16 deviceType, str16 deviceName, str16 phonebook, uint32_t state, uint32_t error)');
  const setState = lib.func('int fake_set_state(uint64_t handle, uint32_t state, uint32_t error)');
  const remove = lib.func('int fake_remove(uint64_t handle)');
  const count = lib.func('uint32_t fake_count(void)');
  const setMax = lib.func('void fake_set_max_dwsize(uint32_t rasconn, uint32_t rasconnstatus)');
  const grow = lib.func('void fake_grow_between_calls(uint32_t n, uint32_t perCall)');
  const vanish = lib.func('int fake_vanish_on_status(uint64_t handle)');
  const failNext = lib.func('void fake_fail_next(str function, uint32_t code)');
  const hangUpPolls = lib.func('void fake_set_hangup_polls(uint32_t polls)');
  const calls = lib.func('uint32_t fake_calls(str function)');
  const enumLog = lib.func('fake_enum_log', 'uint32', ['uint32', koffi.out(koffi.pointer(FakeEnumCallType))]);
  const setTraffic = lib.func('int fake_set_traffic(uint64_t handle, uint64_t bytesIn, uint64_t bytesOut, uint32_t connectedMs)');
  const setProjection = lib.func(
    'int fake_set_projection(uint64_t handle, uint32_t kind, const uint8_t *ipv4, const uint8_t *ipv6, uint32_t prefix, uint32_t ipv4Error, uint32_t ipv6Error)',
  );
  const setServers = lib.func('int fake_set_server_addresses(uint64_t handle, uint32_t count)');
  const setNotifyOnce = lib.func('void fake_set_notify_once(uint32_t once)');
  const registrations = lib.func('uint32_t fake_registrations(void)');
  const applyProjection = (handle: bigint, p: FakeRasProjection | null): number => {
    if (!p) return setProjection(handle, 0, null, null, 0, 0, 0);
    const v4 = p.ipv4 === undefined ? null : Buffer.from(p.ipv4.split('.').map(Number));
    const v6 = p.ipv6 === undefined ? null : ipv6Bytes(p.ipv6);
    const rc: number = setProjection(handle, p.kind === 'ppp' ? 1 : 2, v4, v6, p.prefixLength ?? 64, p.ipv4Error ?? 0, p.ipv6Error ?? 0);
    return rc !== 0 ? rc : setServers(handle, p.serverAddresses ?? 0);
  };
  const lie = lib.func('void fake_lie(uint32_t probeCb, uint32_t probeCount, uint32_t okCount)');
  const addEntry = lib.func(
    'int fake_add_entry(str16 name, uint32_t allUsers, str16 userName, str16 password, uint32_t saved, uint32_t outcome, uint32_t states, uint32_t error, uint32_t stepMs, str16 deviceType, str16 deviceName)',
  );
  const entriesMax = lib.func('void fake_entries_set_max_dwsize(uint32_t rasentryname, uint32_t rasdialparams)');
  const dialFailNext = lib.func('void fake_dial_fail_next(str function, uint32_t code)');
  const dialCalls = lib.func('uint32_t fake_dial_calls(str function)');
  const entriesLie = lib.func('void fake_entries_lie(uint32_t probeCb, uint32_t probeCount, uint32_t okCount)');

  const known = (what: string, handle: bigint, rc: number) => {
    if (rc !== 0) throw new Error(`fake rasapi32: ${what}: no connection with handle 0x${handle.toString(16)}`);
  };
  const fake: FakeRas = {
    path,
    reset: () => reset(),
    add: (c) => {
      const handle = BigInt(
        add(c.name, c.deviceType ?? 'vpn', c.deviceName ?? 'WAN Miniport (IKEv2)', c.phonebook ?? '', c.state ?? RASCS.Connected, c.error ?? 0),
      );
      if (c.traffic) fake.setTraffic(handle, c.traffic);
      if (c.projection) fake.setProjection(handle, c.projection);
      return handle;
    },
    setState: (handle, state, error = 0) => known('setState', handle, setState(handle, state, error)),
    remove: (handle) => known('remove', handle, remove(handle)),
    count: () => count(),
    setMaxDwSize: (rasconn, rasconnstatus = 0) => setMax(rasconn, rasconnstatus),
    growBetweenCalls: (n, perCall = 1) => grow(n, perCall),
    vanishOnStatus: (handle) => known('vanishOnStatus', handle, vanish(handle)),
    failNext: (fn, code) => failNext(fn, code),
    setHangUpPolls: (polls) => hangUpPolls(polls),
    setTraffic: (handle, t) => known('setTraffic', handle, setTraffic(handle, BigInt(t.bytesIn), BigInt(t.bytesOut), t.connectedMs ?? 0)),
    setProjection: (handle, p) => known('setProjection', handle, applyProjection(handle, p)),
    setNotifyOnce: (once) => setNotifyOnce(once ? 1 : 0),
    registrations: () => registrations(),
    calls: (fn) => calls(fn),
    addEntry: (e) => {
      const rc = addEntry(
        e.name,
        e.allUsers ? 1 : 0,
        e.userName ?? 'ana',
        e.password ?? '',
        e.saved === false ? 0 : 1,
        OUTCOME_CODES[e.outcome ?? 'connect'],
        e.states ?? 3,
        e.error ?? 0,
        e.stepMs ?? 20,
        e.deviceType ?? 'vpn',
        e.deviceName ?? 'WAN Miniport (IKEv2)',
      );
      if (rc !== 0) throw new Error('fake rasapi32: too many phone-book entries');
    },
    setEntriesMaxDwSize: (rasentryname, rasdialparams = 0) => entriesMax(rasentryname, rasdialparams),
    dialFailNext: (fn, code) => dialFailNext(fn, code),
    dialCalls: (fn) => dialCalls(fn),
    enumLog: () => {
      const entries: FakeEnumCall[] = [];
      const total: number = enumLog(0, [null]);
      for (let i = 0; i < total; i++) {
        const out: [Record<string, number> | null] = [null];
        enumLog(i, out);
        const e = out[0]!;
        entries.push({
          hadBuffer: e.had_buffer !== 0,
          cbIn: e.cb_in!,
          dwSize: e.dw_size!,
          result: e.result!,
          cbOut: e.cb_out!,
          countOut: e.count_out!,
        });
      }
      return entries;
    },
    lie: (lies) => lie(lies.probeCb ?? 0, lies.probeCount ?? 0, lies.okCount ?? 0),
    entriesLie: (lies) => entriesLie(lies.probeCb ?? 0, lies.probeCount ?? 0, lies.okCount ?? 0),
  };
  loaded.set(path, fake);
  return fake;
}

/** The Connection id the RAS backend gives the connection with this handle. */
export function fakeRasConnectionId(handle: bigint | number): string {
  return rasConnectionId(BigInt(handle));
}

/** The sixteen bytes of an IPv6 address in text form ("fd00::2", full or with one "::"). */
export function ipv6Bytes(text: string): Buffer {
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (part: string | undefined) => (part ? part.split(':').map((group) => parseInt(group, 16)) : []);
  const before = groups(head);
  const after = groups(tail);
  const all = tail === undefined ? before : [...before, ...new Array<number>(8 - before.length - after.length).fill(0), ...after];
  if (all.length !== 8 || all.some((group) => !(group >= 0 && group <= 0xffff))) throw new Error(`not an IPv6 address: ${text}`);
  const bytes = Buffer.alloc(16);
  all.forEach((group, i) => bytes.writeUInt16BE(group, i * 2));
  return bytes;
}

function field(value: string): string {
  if (/[\t\r\n]/.test(value)) throw new Error(`fake rasapi32 state: a field cannot hold a tab or newline: ${JSON.stringify(value)}`);
  return value;
}

/**
 * Write a FAKE_RAS_STATE file atomically (temporary file + rename), so the fake never reads half of it and
 * always sees the change (new inode). `maxDwSize` emulates an older Windows, as FakeRas.setMaxDwSize; `delayMs`
 * makes every RasEnumConnectionsW call block its thread that long (a slow RasMan).
 */
export function writeFakeRasState(
  path: string,
  connections: readonly FakeRasStateConnection[],
  options: { maxDwSize?: [number, number]; delayMs?: number; notifyOnce?: boolean } = {},
): void {
  const lines = [
    '# fake rasapi32 state (TAB-separated): handle, name, deviceType, deviceName, phonebook, state, error,',
    '# bytesIn, bytesOut, connectedMs, projection, ipv4, ipv6/prefix',
  ];
  if (options.maxDwSize) lines.push(`!max-dwsize ${options.maxDwSize[0]} ${options.maxDwSize[1]}`);
  if (options.delayMs) lines.push(`!delay-ms ${Math.round(options.delayMs)}`);
  if (options.notifyOnce) lines.push('!notify-once 1');
  for (const c of connections) {
    const handle = BigInt(c.handle);
    if (handle === 0n) throw new Error('fake rasapi32 state: a handle cannot be 0');
    lines.push(
      [
        `0x${handle.toString(16)}`,
        field(c.name),
        field(c.deviceType ?? 'vpn'),
        field(c.deviceName ?? 'WAN Miniport (IKEv2)'),
        field(c.phonebook ?? ''),
        `0x${(c.state ?? RASCS.Connected).toString(16)}`,
        String(c.error ?? 0),
        String(c.traffic?.bytesIn ?? 0),
        String(c.traffic?.bytesOut ?? 0),
        String(c.traffic?.connectedMs ?? 0),
        c.projection?.kind ?? '',
        c.projection?.ipv4 ?? '',
        c.projection?.ipv6 === undefined ? '' : `${ipv6Bytes(c.projection.ipv6).toString('hex')}/${c.projection.prefixLength ?? 64}`,
      ].join('\t'),
    );
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${lines.join('\n')}\n`);
  renameSync(temporary, path);
}

/**
 * Write a FAKE_RAS_ENTRIES file (the fake's phone books for another process: the CLI, a popup under test)
 * atomically. ASCII names only (the file side of the fake does not decode UTF-8; addEntry takes any text).
 */
export function writeFakeRasEntries(path: string, entries: readonly FakeRasEntry[], options: { maxDwSize?: [number, number] } = {}): void {
  const lines = ['# fake rasapi32 phone books: name, book, user, password, saved, outcome, states, error, step_ms, deviceType, deviceName'];
  if (options.maxDwSize) lines.push(`!max-dwsize ${options.maxDwSize[0]} ${options.maxDwSize[1]}`);
  for (const e of entries) {
    if (/[^\x20-\x7e]/.test(e.name)) throw new Error(`fake rasapi32 entries file: ASCII names only: ${JSON.stringify(e.name)}`);
    lines.push(
      [
        field(e.name),
        e.allUsers ? 'all' : 'user',
        field(e.userName ?? 'ana'),
        field(e.password ?? ''),
        e.saved === false ? '0' : '1',
        e.outcome ?? 'connect',
        String(e.states ?? 3),
        String(e.error ?? 0),
        String(e.stepMs ?? 20),
        field(e.deviceType ?? 'vpn'),
        field(e.deviceName ?? 'WAN Miniport (IKEv2)'),
      ].join('\t'),
    );
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${lines.join('\n')}\n`);
  renameSync(temporary, path);
}
