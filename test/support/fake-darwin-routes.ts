/**
 * The macOS routing fake (test/fixtures/fake-darwin-routes.c), built and loaded for the tests: the routes,
 * interfaces and answers of NET_RT_DUMP and RTM_GET with Darwin's layouts (issue 25).
 */
import { join } from 'node:path';
import koffi from 'koffi';
import { compileC } from './compile-c';
import { addressBytes } from './fake-libsystem';

const FIXTURES = join(import.meta.dirname, '..', 'fixtures');
const SOURCE = join(FIXTURES, 'fake-darwin-routes.c');

export const FAKE_RTF = { GATEWAY: 0x2, STATIC: 0x800, IFSCOPE: 0x1000000 } as const;

export interface FakeRoutes {
  path: string;
  reset(): void;
  addInterface(name: string, index: number): void;
  /** `destination` in CIDR; `gateway` an address or null (an interface route). */
  add(destination: string, gateway: string | null, index: number, flags?: number): void;
  calls(fn: 'sysctl' | 'write_rtm_get'): number;
  /** The resolver configuration dns_configuration_copy hands out (dnsinfo.h). */
  dnsReset(): void;
  /** A resolver: `scoped` ones are an interface's own; a `domain` makes it a split-DNS one. Returns its number. */
  addResolver(r: { scoped?: boolean; domain?: string | null; ifIndex?: number; ifName?: string | null; servers: string[] }): number;
  /** Configurations handed out and not freed yet. */
  dnsLive(): number;
}

let instance: FakeRoutes | null = null;

export function fakeRoutesPath(): string {
  return compileC('cc', join(FIXTURES, 'build', 'fake-darwin-routes.so'), [SOURCE], ['-fPIC', '-shared', '-fvisibility=hidden', '-O1', '-Wall']);
}

export function loadFakeRoutes(): FakeRoutes {
  if (instance) return instance;
  const path = fakeRoutesPath();
  const lib = koffi.load(path);
  const reset = lib.func('void fake_routes_reset(void)');
  const addInterface = lib.func('int fake_routes_add_interface(str name, uint32_t index)');
  const add = lib.func('int fake_routes_add(int family, const uint8_t *dst, int prefix, const uint8_t *gateway, uint32_t index, int32_t flags)');
  const calls = lib.func('int fake_routes_calls(str fn)');
  const dnsReset = lib.func('void fake_dns_reset(void)');
  const addResolver = lib.func('int fake_dns_add_resolver(int scoped, str domain, uint32_t ifIndex, str ifName)');
  const addServer = lib.func('int fake_dns_add_server(int resolver, int family, const uint8_t *addr)');
  const dnsLive = lib.func('int fake_dns_live(void)');
  instance = {
    path,
    reset: () => reset(),
    addInterface: (name, index) => void addInterface(name, index),
    add: (destination, gateway, index, flags = 0) => {
      const [address = '', prefix = ''] = destination.split('/');
      const dst = addressBytes(address);
      const padded = Buffer.alloc(16);
      dst.bytes.copy(padded);
      let gw: Buffer | null = null;
      if (gateway) {
        gw = Buffer.alloc(16);
        addressBytes(gateway).bytes.copy(gw);
      }
      if (add(dst.family, padded, Number(prefix), gw, index, flags | (gateway ? FAKE_RTF.GATEWAY : 0)) !== 0) throw new Error('fake routes: table full');
    },
    calls: (fn) => calls(fn) as number,
    dnsReset: () => dnsReset(),
    addResolver: (r) => {
      const n = addResolver(r.scoped ? 1 : 0, r.domain ?? null, r.ifIndex ?? 0, r.ifName ?? null) as number;
      for (const server of r.servers) {
        const { family, bytes } = addressBytes(server);
        const padded = Buffer.alloc(16);
        bytes.copy(padded);
        addServer(n, family, padded);
      }
      return n;
    },
    dnsLive: () => dnsLive() as number,
  };
  return instance;
}
