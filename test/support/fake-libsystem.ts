/**
 * The fake libSystem (test/fixtures/fake-libsystem.c) for tests: builds it with the system `cc` when missing
 * or stale, and drives it. The macOS backend loads the same library by the same path (koffi keeps one
 * instance per path), so what the control API sets is what the backend reads.
 *
 *     const fake = loadFakeLibSystem();
 *     fake.reset();
 *     fake.addInterface({ name: 'utun4', index: 20, addresses: [{ address: '10.8.0.6', prefix: 24 }] });
 *     const source = createDarwinSource(fake.path);   // or LINKWATCH_LIBSYSTEM = fake.path, then createSource()
 *
 * Cross-process (the CLI in a child process): point FAKE_LIBSYSTEM_STATE at a file written with
 * writeFakeLibSystemState(); getifaddrs re-reads it when it changed (format at the top of the C file).
 */
import { isIPv4, isIPv6 } from 'node:net';
import { mkdirSync, renameSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import koffi from 'koffi';
import { BUILD_DIR, FIXTURES_DIR, buildC } from './fake-ras';

const SOURCES = [join(FIXTURES_DIR, 'fake-libsystem.c'), join(FIXTURES_DIR, 'fake-libsystem.h')];

/** Darwin numbers the tests use (xnu bsd/net/if.h, if_types.h, bsd/sys/errno.h). */
export const DARWIN = {
  IFF_UP: 0x1,
  IFF_LOOPBACK: 0x8,
  IFF_POINTOPOINT: 0x10,
  IFF_RUNNING: 0x40,
  IFF_MULTICAST: 0x8000,
  IFT_OTHER: 0x1,
  IFT_ETHER: 0x6,
  IFT_PPP: 0x17,
  IFT_LOOP: 0x18,
  AF_INET: 2,
  AF_INET6: 30,
  ENOENT: 2,
  EPERM: 1,
  ENOMEM: 12,
  EAFNOSUPPORT: 47,
  EPROTONOSUPPORT: 43,
  ENOTSUP: 45,
} as const;
/** What macOS shows for a utun or ipsec interface once created: UP|POINTOPOINT|RUNNING|MULTICAST (FIELD-NOTES). */
export const TUNNEL_FLAGS = DARWIN.IFF_UP | DARWIN.IFF_POINTOPOINT | DARWIN.IFF_RUNNING | DARWIN.IFF_MULTICAST;

export interface FakeAddress {
  /** IPv4 or IPv6 text. */
  address: string;
  prefix: number;
  /** The point-to-point peer (ifa_dstaddr). */
  peer?: string;
  /** sa_family written into the netmask sockaddr (default: the address's own); the kernel does not keep it meaningful. */
  maskFamily?: number;
}

export interface FakeInterface {
  name: string;
  index: number;
  /** Default TUNNEL_FLAGS. */
  flags?: number;
  /** sdl_type / ifi_type; default IFT_OTHER (utun, ipsec). */
  type?: number;
  mtu?: number;
  addresses?: FakeAddress[];
  ibytes?: bigint | number;
  obytes?: bigint | number;
}

export type FakeLibSystemFunction = 'getifaddrs' | 'freeifaddrs' | 'sysctl' | 'socket' | 'ioctl';

export interface FakeLibSystem {
  readonly path: string;
  reset(): void;
  addInterface(i: FakeInterface): void;
  removeInterface(name: string): void;
  setFlags(name: string, flags: number): void;
  addAddress(name: string, a: FakeAddress): void;
  clearAddresses(name: string): void;
  setCounters(name: string, ibytes: bigint | number, obytes: bigint | number): void;
  /** sysctl answers ENOENT for this index from now on, while getifaddrs still lists it. */
  vanishFromSysctl(index: number): void;
  /** Every sysctl fails with this Darwin errno (0: normal). */
  setSysctlErrno(errno: number): void;
  failNext(fn: FakeLibSystemFunction, errno: number): void;
  calls(fn: FakeLibSystemFunction): number;
  /** getifaddrs lists handed out and not freed yet. */
  liveLists(): number;
  routeSockets(): number;
  /** Send these bytes on every open routing socket; returns how many sockets got them. */
  routeInject(bytes: Buffer): number;
  /** The next recv on a routing socket fails with ENOBUFS. */
  routeOverflowNext(): void;
  /** Kernel-event sockets open now. */
  kevSockets(): number;
  /** Send these bytes on every kernel-event socket that has set its filter; returns how many got them. */
  kevInject(bytes: Buffer): number;
  /** sb_max: SO_RCVBUF above it is cut to it (sbreserve); 0 restores the default 8 MiB. */
  setReceiveBufferCap(bytes: number): void;
}

export function fakeLibSystemPath(): string {
  return buildC(join(BUILD_DIR, 'fake-libsystem.so'), [SOURCES[0]!], ['-fPIC', '-shared', '-fvisibility=hidden', '-pthread'], SOURCES);
}

/** Address text → the bytes and Darwin family the fake wants. */
export function addressBytes(text: string): { family: number; bytes: Buffer } {
  if (isIPv4(text)) return { family: DARWIN.AF_INET, bytes: Buffer.from(text.split('.').map(Number)) };
  if (!isIPv6(text)) throw new Error(`fake libSystem: not an IP address: ${text}`);
  const [head, tail] = text.includes('::') ? text.split('::') : [text, undefined];
  const groups = (s: string | undefined) => (s ? s.split(':').map((g) => parseInt(g, 16)) : []);
  const h = groups(head);
  const t = groups(tail);
  const all = tail === undefined ? h : [...h, ...new Array<number>(8 - h.length - t.length).fill(0), ...t];
  const bytes = Buffer.alloc(16);
  all.forEach((g, i) => bytes.writeUInt16BE(g, i * 2));
  return { family: DARWIN.AF_INET6, bytes };
}

let instance: FakeLibSystem | null = null;

export function loadFakeLibSystem(): FakeLibSystem {
  if (instance) return instance;
  const path = fakeLibSystemPath();
  const lib = koffi.load(path);
  const reset = lib.func('void fake_reset(void)');
  const addInterface = lib.func('int fake_add_interface(str name, uint32_t index, uint32_t flags, uint32_t type, uint32_t mtu)');
  const removeInterface = lib.func('int fake_remove_interface(str name)');
  const setFlags = lib.func('int fake_set_flags(str name, uint32_t flags)');
  const addAddress = lib.func('int fake_add_address(str name, uint32_t family, const uint8_t *addr, uint32_t prefix, const uint8_t *dst, uint32_t maskFamily)');
  const clearAddresses = lib.func('int fake_clear_addresses(str name)');
  const setCounters = lib.func('int fake_set_counters(str name, uint64_t ibytes, uint64_t obytes)');
  const vanish = lib.func('int fake_vanish_from_sysctl(uint32_t index)');
  const sysctlErrno = lib.func('void fake_set_sysctl_errno(int e)');
  const failNext = lib.func('void fake_fail_next(str fn, int e)');
  const calls = lib.func('uint32_t fake_calls(str fn)');
  const liveLists = lib.func('int fake_live_lists(void)');
  const routeSockets = lib.func('int fake_route_sockets(void)');
  const routeInject = lib.func('int fake_route_inject(const uint8_t *bytes, uint32_t len)');
  const overflow = lib.func('void fake_route_overflow_next(void)');
  const kevSockets = lib.func('int fake_kev_sockets(void)');
  const kevInject = lib.func('int fake_kev_inject(const uint8_t *bytes, uint32_t len)');
  const rcvbufCap = lib.func('void fake_set_rcvbuf_cap(int bytes)');

  const ok = (what: string, rc: number) => {
    if (rc !== 0) throw new Error(`fake libSystem: ${what} refused`);
  };
  const fake: FakeLibSystem = {
    path,
    reset: () => reset(),
    addInterface(i) {
      ok(`addInterface ${i.name}`, addInterface(i.name, i.index, i.flags ?? TUNNEL_FLAGS, i.type ?? DARWIN.IFT_OTHER, i.mtu ?? 1500));
      for (const a of i.addresses ?? []) fake.addAddress(i.name, a);
      if (i.ibytes !== undefined || i.obytes !== undefined) fake.setCounters(i.name, i.ibytes ?? 0, i.obytes ?? 0);
    },
    removeInterface: (name) => ok(`removeInterface ${name}`, removeInterface(name)),
    setFlags: (name, flags) => ok(`setFlags ${name}`, setFlags(name, flags)),
    addAddress(name, a) {
      const { family, bytes } = addressBytes(a.address);
      const peer = a.peer === undefined ? null : addressBytes(a.peer).bytes;
      ok(`addAddress ${name} ${a.address}`, addAddress(name, family, bytes, a.prefix, peer, a.maskFamily ?? 0));
    },
    clearAddresses: (name) => ok(`clearAddresses ${name}`, clearAddresses(name)),
    setCounters: (name, ibytes, obytes) => ok(`setCounters ${name}`, setCounters(name, BigInt(ibytes), BigInt(obytes))),
    vanishFromSysctl: (index) => ok(`vanishFromSysctl ${index}`, vanish(index)),
    setSysctlErrno: (errno) => sysctlErrno(errno),
    failNext: (fn, errno) => failNext(fn, errno),
    calls: (fn) => calls(fn),
    liveLists: () => liveLists(),
    routeSockets: () => routeSockets(),
    routeInject: (bytes) => routeInject(bytes, bytes.length),
    routeOverflowNext: () => overflow(),
    kevSockets: () => kevSockets(),
    kevInject: (bytes) => kevInject(bytes, bytes.length),
    setReceiveBufferCap: (bytes) => rcvbufCap(bytes),
  };
  instance = fake;
  return fake;
}

/** Write a FAKE_LIBSYSTEM_STATE file atomically (temporary file + rename); `delayMs`: every getifaddrs hangs that long. */
export function writeFakeLibSystemState(path: string, interfaces: readonly FakeInterface[], delayMs?: number): void {
  const lines = ['# fake libSystem state: if <name> <index> <flags> <type> <mtu> <ibytes> <obytes> / addr <name> inet|inet6 <address> <prefix> [<peer>]'];
  if (delayMs) lines.push(`delay ${Math.round(delayMs)}`);
  for (const i of interfaces) {
    if (/\s/.test(i.name)) throw new Error(`fake libSystem state: a name cannot hold spaces: ${JSON.stringify(i.name)}`);
    lines.push(`if ${i.name} ${i.index} 0x${(i.flags ?? TUNNEL_FLAGS).toString(16)} ${i.type ?? DARWIN.IFT_OTHER} ${i.mtu ?? 1500} ${i.ibytes ?? 0} ${i.obytes ?? 0}`);
    for (const a of i.addresses ?? []) {
      lines.push(`addr ${i.name} ${isIPv4(a.address) ? 'inet' : 'inet6'} ${a.address} ${a.prefix}${a.peer ? ` ${a.peer}` : ''}`);
    }
  }
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, `${lines.join('\n')}\n`);
  renameSync(temporary, path);
}

/** A Mac's usual set: loopback, Wi-Fi, and the utuns macOS keeps for its own services (link-local only). */
export function typicalMac(): FakeInterface[] {
  return [
    { name: 'lo0', index: 1, flags: DARWIN.IFF_UP | DARWIN.IFF_LOOPBACK | DARWIN.IFF_RUNNING, type: DARWIN.IFT_LOOP, mtu: 16384, addresses: [{ address: '127.0.0.1', prefix: 8 }, { address: '::1', prefix: 128 }] },
    { name: 'en0', index: 6, flags: DARWIN.IFF_UP | DARWIN.IFF_RUNNING | DARWIN.IFF_MULTICAST, type: DARWIN.IFT_ETHER, addresses: [{ address: '192.168.1.23', prefix: 24 }, { address: 'fe80::1c2b:3d4e:5f60:7182', prefix: 64 }] },
    { name: 'utun0', index: 14, mtu: 1380, addresses: [{ address: 'fe80::a1b2:c3d4:e5f6:1', prefix: 64 }] },
    { name: 'utun1', index: 15, mtu: 2000, addresses: [{ address: 'fe80::a1b2:c3d4:e5f6:2', prefix: 64 }] },
    { name: 'utun2', index: 16, mtu: 1000, addresses: [{ address: 'fe80::ce81:b1c:bd2c:69e', prefix: 64 }] },
  ];
}
