/**
 * The macOS routing reading (issue 25) for ConnectionSource.readRouting: the routing table from the NET_RT_DUMP
 * sysctl, and the kernel's own lookup for a public address of each family, an RTM_GET written to a PF_ROUTE
 * socket (route(8) `get`: nothing is sent). The lookup honours what the table alone does not say plainly: when a
 * VPN takes the primary default route, the physical interface's default becomes a scoped route (RTF_IFSCOPE)
 * that an unscoped lookup never picks (xnu bsd/net/route.c, rt_lookup). Interfaces pair with connections by
 * name (`getifaddrs:<name>`, the id darwin-source.ts gives), names from if_indextoname(3).
 *
 * Resolvers: dns_configuration_copy() (dns-config.ts), what `scutil --dns` prints: the default resolver's servers
 * take ordinary names, each leaving by its interface where the resolver is bound to one, else by the route to
 * it (an RTM_GET of its address); the scoped resolvers are what each interface's service supplies.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { BackendError } from '../../backend-error';
import { VERDICT_TARGETS, type DnsReading, type DnsServerReading, type RouteEntry, type RouteLookup, type RoutingReading } from '../../routing/routing-reading';
import { DNS_RESOLVER_FLAGS_SCOPED, decodeDnsConfiguration, type ForeignMemory } from './dns-config';
import { darwinErrnoError } from './libsystem';
import { NET_RT_DUMP_MIB, RTF, buildRouteGet, decodeRouteDump, findRouteGetAnswer, type DarwinRoute } from './route-table';

const PF_ROUTE = 17;
const SOCK_RAW = 3;
const MSG_DONTWAIT = 0x80;
const ESRCH = 3;
const EAGAIN = 35;
const ENOMEM = 12;
/** The kernel answers an RTM_GET before write(2) returns; a few empty reads mean it did not. */
const ANSWER_ATTEMPTS = 50;

interface RouteFunctions {
  sysctl(name: Int32Array, namelen: number, old: Buffer | null, oldlen: BigUint64Array, newp: null, newlen: number): number;
  socket(domain: number, type: number, protocol: number): number;
  write(fd: number, buf: Buffer, len: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  close(fd: number): number;
  getpid(): number;
  if_indextoname(index: number, name: Buffer): unknown;
  /** dnsinfo.h; null where the library lacks them (then `dns` is null). */
  dnsCopy: (() => number | bigint) | null;
  dnsFree: ((config: number | bigint) => void) | null;
  memcpy(dst: Buffer, src: bigint, n: number): unknown;
  strlen(s: bigint): number | bigint;
  lib: LibraryHandle;
}

function bind(path: string): RouteFunctions {
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (error) {
    throw new BackendError('ELOAD', `Cannot load ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    return {
      sysctl: lib.func('int sysctl(void *name, unsigned int namelen, void *oldp, void *oldlenp, void *newp, uintptr_t newlen)'),
      socket: lib.func('int socket(int domain, int type, int protocol)'),
      write: lib.func('intptr_t write(int fd, const void *buf, uintptr_t len)'),
      recv: lib.func('intptr_t recv(int fd, void *buf, uintptr_t len, int flags)'),
      close: lib.func('int close(int fd)'),
      getpid: lib.func('int getpid(void)'),
      if_indextoname: lib.func('void *if_indextoname(unsigned int index, void *name)'),
      ...optionalDns(lib),
      // Foreign memory by address (the resolver configuration's pointers): copied out, never viewed in place.
      memcpy: lib.func('void *memcpy(void *dst, uintptr_t src, uintptr_t n)'),
      strlen: lib.func('uintptr_t strlen(uintptr_t s)'),
      lib,
    } as RouteFunctions;
  } catch (error) {
    lib.unload();
    throw new BackendError('ELOAD', `${path} lacks a function the macOS routing reader needs: ${(error as Error).message}`, { cause: error });
  }
}

function optionalDns(lib: LibraryHandle): Pick<RouteFunctions, 'dnsCopy' | 'dnsFree'> {
  try {
    return { dnsCopy: lib.func('uintptr_t dns_configuration_copy(void)'), dnsFree: lib.func('void dns_configuration_free(uintptr_t config)') };
  } catch {
    return { dnsCopy: null, dnsFree: null };
  }
}

export interface DarwinRouting {
  read(): RoutingReading;
  close(): void;
}

export function createDarwinRouting(libraryPath: string): DarwinRouting {
  let fns: RouteFunctions | null = null;
  let seq = 0;
  const functions = (): RouteFunctions => (fns ??= bind(libraryPath));

  function dump(f: RouteFunctions): DarwinRoute[] {
    const mib = Int32Array.from(NET_RT_DUMP_MIB);
    const size = new BigUint64Array(1);
    for (let attempt = 0; attempt < 4; attempt++) {
      if (f.sysctl(mib, mib.length, null, size, null, 0) !== 0) throw darwinErrnoError(koffi.errno(), 'sysctl(NET_RT_DUMP) size');
      // The table may grow between the two calls: room for more, and ENOMEM means ask again.
      const buf = Buffer.alloc(Number(size[0]) + 4096);
      size[0] = BigInt(buf.length);
      if (f.sysctl(mib, mib.length, buf, size, null, 0) === 0) return decodeRouteDump(buf.subarray(0, Number(size[0])));
      const errno = koffi.errno();
      if (errno !== ENOMEM) throw darwinErrnoError(errno, 'sysctl(NET_RT_DUMP)');
    }
    throw new BackendError('ENOMEM', 'sysctl(NET_RT_DUMP): the routing table kept growing');
  }

  function ifName(f: RouteFunctions, index: number, names: Map<number, string | null>): string | null {
    if (!names.has(index)) {
      const buf = Buffer.alloc(16); // IF_NAMESIZE
      names.set(index, f.if_indextoname(index, buf) ? buf.toString('utf8', 0, Math.max(0, buf.indexOf(0))) : null);
    }
    return names.get(index) ?? null;
  }

  function lookup(f: RouteFunctions, fd: number, target: string): DarwinRoute | null {
    seq = (seq + 1) & 0x7fffffff;
    const pid = f.getpid();
    const request = buildRouteGet(target, seq, pid);
    if (Number(f.write(fd, request, request.length)) < 0) {
      const errno = koffi.errno();
      if (errno === ESRCH) return null; // "not in table": no route
      throw darwinErrnoError(errno, 'write(RTM_GET)');
    }
    const buf = Buffer.alloc(2048);
    for (let attempt = 0; attempt < ANSWER_ATTEMPTS; attempt++) {
      const n = Number(f.recv(fd, buf, buf.length, MSG_DONTWAIT));
      if (n < 0) {
        const errno = koffi.errno();
        if (errno !== EAGAIN) throw darwinErrnoError(errno, 'recv(PF_ROUTE)');
        continue;
      }
      const answer = findRouteGetAnswer(buf.subarray(0, n), seq, pid);
      if (!answer) continue; // someone else's news
      if (answer.errno !== 0) return null;
      return answer.route;
    }
    throw new BackendError('ETIMEDOUT', 'the routing socket did not answer RTM_GET');
  }

  function read(): RoutingReading {
    const f = functions();
    const names = new Map<number, string | null>();
    const idOf = (name: string | null): string | null => (name ? `getifaddrs:${name}` : null);
    const routes: RouteEntry[] = [];
    for (const route of dump(f)) {
      // Cloned host entries (ARP/ND), local and broadcast addresses say nothing about where traffic goes;
      // scoped routes serve only lookups scoped to their interface.
      if (route.flags & (RTF.WASCLONED | RTF.LOCAL | RTF.BROADCAST | RTF.MULTICAST | RTF.IFSCOPE)) continue;
      const name = ifName(f, route.index, names);
      const stops = route.flags & (RTF.REJECT | RTF.BLACKHOLE);
      routes.push({
        family: route.family,
        destination: route.destination,
        interface: name,
        connectionId: idOf(name),
        gateway: route.gateway,
        table: 254,
        metric: 0,
        type: stops ? (route.flags & RTF.BLACKHOLE ? 'blackhole' : 'unreachable') : 'unicast',
        // An interface route without a gateway is the subnet of the interface's own address.
        ownSubnet: !(route.flags & RTF.GATEWAY) && !(route.flags & RTF.HOST) && route.gateway === null && !route.destination.endsWith('/0'),
      });
    }
    const lookups: RouteLookup[] = [];
    const fd = f.socket(PF_ROUTE, SOCK_RAW, 0);
    if (fd < 0) throw darwinErrnoError(koffi.errno(), 'socket(PF_ROUTE)');
    try {
      for (const family of [4, 6] as const) {
        const target = VERDICT_TARGETS[family];
        const answer = lookup(f, fd, target);
        const name = answer ? (answer.ifName ?? ifName(f, answer.index, names)) : null;
        lookups.push({ family, target, interface: name, connectionId: idOf(name), gateway: answer?.gateway ?? null });
      }
    } finally {
      f.close(fd);
    }
    return { routes, rules: [], lookups, dns: readDns(f, names) };
  }

  /** The resolvers (dns-config.ts); null where the library has no dns_configuration_copy or no configuration. */
  function readDns(f: RouteFunctions, names: Map<number, string | null>): DnsReading | null {
    if (!f.dnsCopy || !f.dnsFree) return null;
    const config = BigInt(f.dnsCopy());
    if (config === 0n) return null;
    let decoded;
    try {
      const memory: ForeignMemory = {
        bytes: (address, length) => {
          const buf = Buffer.alloc(length);
          f.memcpy(buf, address, length);
          return buf;
        },
        string: (address) => {
          const length = Math.min(Number(f.strlen(address)), 1024);
          const buf = Buffer.alloc(length);
          f.memcpy(buf, address, length);
          return buf.toString('utf8');
        },
      };
      decoded = decodeDnsConfiguration(memory, config);
    } catch (error) {
      throw new BackendError('EDECODE', `dns_configuration_copy returned data Linkwatch cannot read: ${(error as Error).message}`, { cause: error });
    } finally {
      f.dnsFree(config);
    }
    const idOf = (name: string | null): string | null => (name ? `getifaddrs:${name}` : null);
    const ordinary = decoded.resolvers.find((r) => r.domain === null && !(r.flags & DNS_RESOLVER_FLAGS_SCOPED)) ?? null;
    const used: DnsServerReading[] = [];
    if (ordinary) {
      const fd = ordinary.ifIndex === 0 && ordinary.servers.length > 0 ? f.socket(PF_ROUTE, SOCK_RAW, 0) : -1;
      try {
        for (const address of ordinary.servers) {
          let name = ordinary.ifIndex !== 0 ? (ordinary.ifName ?? ifName(f, ordinary.ifIndex, names)) : null;
          if (ordinary.ifIndex === 0 && fd >= 0) {
            const route = lookup(f, fd, address);
            name = route ? (route.ifName ?? ifName(f, route.index, names)) : null;
          }
          used.push({ address, interface: name, connectionId: idOf(name) });
        }
      } finally {
        if (fd >= 0) f.close(fd);
      }
    }
    const supplied = decoded.scoped.flatMap((r) => {
      const name = r.ifName ?? ifName(f, r.ifIndex, names);
      const connectionId = idOf(name);
      return connectionId && r.servers.length > 0 ? [{ connectionId, addresses: r.servers }] : [];
    });
    return { source: 'dns_configuration_copy', used, supplied };
  }

  return {
    read,
    close() {
      fns?.lib.unload();
      fns = null;
    },
  };
}
