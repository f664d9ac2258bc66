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
import { dirname, join } from 'node:path';
import koffi from 'koffi';
import { BUILD_DIR, FIXTURES_DIR, buildC } from './fake-ras';

const SOURCE = join(FIXTURES_DIR, 'fake-iphlpapi.c');

export interface FakeAdapter {
  ifIndex: number;
  /** NET_LUID.Value. */
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

export type FakeIphlpapiFunction = 'GetAdaptersAddresses' | 'GetIfEntry2' | 'Notify' | 'Cancel';

export interface FakeIphlpapi {
  readonly path: string;
  /** Replace the adapters; the fake's notifier thread then calls the registered callbacks for what changed. */
  setState(adapters: readonly FakeAdapter[], options?: { grow?: number }): void;
  /** No adapters, call counters zeroed (registrations stay). */
  reset(): void;
  calls(fn: FakeIphlpapiFunction): number;
  /** Notification registrations active now. */
  registrations(): number;
}

function field(value: string): string {
  if (/[\t\r\n]/.test(value)) throw new Error(`fake iphlpapi state: a field cannot hold a tab or newline: ${JSON.stringify(value)}`);
  return value;
}

/** The state text for `adapters` (the format at the top of fake-iphlpapi.c). */
export function fakeIphlpapiStateText(adapters: readonly FakeAdapter[], options: { grow?: number } = {}): string {
  const lines = ['# fake iphlpapi state'];
  if (options.grow) lines.push(`!grow ${options.grow}`);
  for (const a of adapters) {
    const extra = [...(a.hidden ? ['hidden'] : []), ...(a.tunnelType !== undefined ? [String(a.tunnelType)] : [])];
    lines.push(
      [
        'adapter',
        String(a.ifIndex),
        `0x${a.luid.toString(16)}`,
        String(a.ifType ?? 53),
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
export function writeFakeIphlpapiState(path: string, adapters: readonly FakeAdapter[], options: { grow?: number } = {}): void {
  mkdirSync(dirname(path), { recursive: true });
  const temporary = `${path}.${process.pid}.tmp`;
  writeFileSync(temporary, fakeIphlpapiStateText(adapters, options));
  renameSync(temporary, path);
}

/** Path of the Linux build of the fake (built if needed). */
export function fakeIphlpapiPath(): string {
  return buildC(join(BUILD_DIR, 'fake-iphlpapi.so'), [SOURCE], ['-fPIC', '-shared', '-fvisibility=hidden', '-pthread']);
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
