/**
 * The IP helper's routing functions as a contract fake (test/fixtures/fake-win32-routes.c), built with the
 * system `cc` and loaded for the Windows routing reader's tests (issue 25): routes with metrics, interface
 * metrics, GetBestRoute2's choice, NotifyRouteChange2's callbacks from a thread of its own.
 */
import { isIPv4 } from 'node:net';
import { join } from 'node:path';
import koffi from 'koffi';
import { compileC } from './compile-c';
import { addressBytes } from './fake-libsystem';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const SOURCE = join(FIXTURES, 'fake-win32-routes.c');

export interface FakeIphlpapiRoutes {
  path: string;
  reset(): void;
  /** `destination` in CIDR; `nextHop` an address or null (on-link). Protocol 2 (local) marks an own subnet. */
  add(route: { luid: bigint; ifIndex: number; destination: string; nextHop?: string | null; metric?: number; protocol?: number }): void;
  interfaceMetric(luid: bigint, metric: number): void;
  /** Every registration's callback runs once more, on the fake's thread. */
  changed(): Promise<void>;
  calls(fn: 'GetIpForwardTable2' | 'GetBestRoute2' | 'NotifyRouteChange2'): number;
}

let instance: FakeIphlpapiRoutes | null = null;

export function loadFakeIphlpapiRoutes(): FakeIphlpapiRoutes {
  if (instance) return instance;
  const path = compileC('cc', join(FIXTURES, 'build', 'fake-win32-routes.so'), [SOURCE], ['-fPIC', '-shared', '-pthread', '-fvisibility=hidden', '-O1', '-Wall']);
  const lib = koffi.load(path);
  const reset = lib.func('void fake_rt_reset(void)');
  const add = lib.func('int fake_rt_add(uint64_t luid, uint32_t ifIndex, int family, const uint8_t *dst, int prefix, const uint8_t *nexthop, uint32_t metric, uint32_t protocol)');
  const metric = lib.func('int fake_rt_interface_metric(uint64_t luid, uint32_t metric)');
  const changed = lib.func('void fake_rt_changed(void)');
  const calls = lib.func('int fake_rt_calls(str name)');
  const bytes = (text: string): Buffer => {
    const b = Buffer.alloc(16);
    addressBytes(text).bytes.copy(b);
    return b;
  };
  instance = {
    path,
    reset: () => reset(),
    add: (r) => {
      const [address = '', prefix = ''] = r.destination.split('/');
      const family = isIPv4(address) ? 2 : 23;
      if (add(r.luid, r.ifIndex, family, bytes(address), Number(prefix), r.nextHop ? bytes(r.nextHop) : null, r.metric ?? 0, r.protocol ?? 3) !== 0) throw new Error('fake routes: table full');
    },
    interfaceMetric: (luid, value) => void metric(luid, value),
    // Off this thread: the fake joins a callback thread that may be waiting for this (JS) thread.
    changed: () => new Promise<void>((resolve, reject) => changed.async((error: unknown) => (error ? reject(error) : resolve()))),
    calls: (fn) => calls(fn) as number,
  };
  return instance;
}
