/**
 * The macOS backend ("getifaddrs"): utun, ipsec and ppp interfaces from getifaddrs(3), decoded by
 * ifaddrs.ts; 64-bit byte counters from the ifmibdata sysctl (if-mib.ts) while counters are wanted; live
 * changes from a PF_ROUTE socket (route-socket.ts), with the monitor's safety read behind it.
 *
 * `libraryPath` is libSystem on a Mac, or a library with the same functions anywhere (LINKWATCH_LIBSYSTEM,
 * the contract fake in the tests). Loaded on the first read: failing to load is a BackendError ELOAD.
 * The id is the interface name: the index (sdl_index) is reused by the kernel for the next interface.
 */
import type { ErrorInfo } from '../../../../shared/connection';
import type { SourceDiagnosis } from '../../../../shared/diagnostics';
import { BackendError, toErrorInfo } from '../../backend-error';
import type { ConnectionSource, ReadOptions, SourceConnection } from '../source';
import { IFMIBDATA, decodeIfMibData, ifMibName } from './if-mib';
import {
  IFADDRS,
  IF_DATA,
  SOCKADDR,
  buildDarwinConnections,
  darwinVerdict,
  connectionInterfaces,
  decodeIfaddrsHeader,
  followCounter32,
  gatherInterfaces,
  isCandidateName,
  type Counter32,
  type Counters,
  type DarwinInterface,
  type IfaddrsEntry,
} from './ifaddrs';
import { DEFAULT_LIBSYSTEM, darwinErrnoError, loadLibSystem, type LibSystem } from './libsystem';
import { RTM, RTM_VERSION, affectsInterfaces, type DecodedRead } from './route-messages';
import { createDarwinRouting } from './darwin-routing';
import { subscribeRouteSocket } from './route-socket';

/** A list longer than this is a broken library (a cycle in ifa_next), not a Mac: stop, say so. */
export const MAX_IFADDRS_ENTRIES = 65_536;

function sockaddrAt(lib: LibSystem, ptr: bigint): Buffer | null {
  if (ptr === 0n) return null;
  const len = lib.byteAt(ptr);
  return len > SOCKADDR.family ? lib.bytesAt(ptr, len) : null;
}

/**
 * A netmask: like sockaddrAt, except that sa_len 0 is the zero mask (/0), which Libinfo hands out as zeroed
 * bytes with sa_len 0 (getifaddrs.c, RTAX_NETMASK with SA_LEN(sa) == 0), not a missing one.
 */
function netmaskAt(lib: LibSystem, ptr: bigint): Buffer | null {
  if (ptr === 0n) return null;
  return lib.byteAt(ptr) === 0 ? Buffer.alloc(SOCKADDR.family + 1) : sockaddrAt(lib, ptr);
}

/**
 * getifaddrs, copy out the entries of candidate interfaces (isCandidateName), freeifaddrs (also when copying
 * fails). `everyName` (`linkwatch diagnose`) collects the names of all interfaces, candidates or not.
 */
export function readIfaddrs(lib: LibSystem, everyName?: Set<string>): IfaddrsEntry[] {
  const out: [unknown] = [null];
  if (lib.getifaddrs(out) !== 0) throw darwinErrnoError(lib.errno(), 'getifaddrs');
  const head = out[0];
  const entries: IfaddrsEntry[] = [];
  const scratch = Buffer.alloc(IFADDRS.size);
  const names = new Map<bigint, string>();
  let walked = 0;
  try {
    let ptr: unknown = head;
    while (ptr) {
      if (++walked > MAX_IFADDRS_ENTRIES) throw new BackendError('ELOOP', `getifaddrs returned more than ${MAX_IFADDRS_ENTRIES} entries`);
      const header = decodeIfaddrsHeader(lib.bytesAt(ptr, IFADDRS.size, scratch));
      ptr = header.next === 0n ? null : header.next;
      // Libinfo points every entry of one interface at the same name (getifaddrs.c: ifa_name = cif->ifa_name).
      let name = header.name === 0n ? '' : names.get(header.name);
      if (name === undefined) names.set(header.name, (name = lib.stringAt(header.name)));
      everyName?.add(name);
      if (!isCandidateName(name)) continue;
      entries.push({
        name,
        flags: header.flags,
        addr: sockaddrAt(lib, header.addr),
        netmask: netmaskAt(lib, header.netmask),
        // Libinfo sets ifa_data only on the AF_LINK entry (getifaddrs.c, RTM_IFINFO): a struct if_data.
        data: header.data !== 0n ? lib.bytesAt(header.data, IF_DATA.size) : null,
      });
    }
  } finally {
    lib.freeifaddrs(head);
  }
  return entries;
}

/** The ifmibdata of one interface index, or null when the kernel has none for it (ENOENT: it vanished). */
function readIfMib(lib: LibSystem, index: number, buf: Buffer, length: BigUint64Array): ReturnType<typeof decodeIfMibData> {
  length[0] = BigInt(buf.length);
  if (lib.sysctl(ifMibName(index), buf, length) !== 0) return null;
  return decodeIfMibData(buf.subarray(0, Number(length[0])));
}

/** A route added, deleted or changed (issue 25): the routing alone is read again. */
function affectsRoutes(read: DecodedRead): boolean {
  return read.messages.some((m) => m.version === RTM_VERSION && (m.type === RTM.ADD || m.type === RTM.DELETE || m.type === RTM.CHANGE));
}

export interface DarwinSourceOptions {
  /** Where the routing calls come from (issue 25): libSystem itself by default; false leaves routes out. */
  routesLibrary?: string | false;
}

export function createDarwinSource(libraryPath: string = DEFAULT_LIBSYSTEM, options: DarwinSourceOptions = {}): ConnectionSource {
  const routing = options.routesLibrary === false ? null : createDarwinRouting(options.routesLibrary ?? libraryPath);
  let lib: LibSystem | null = null;
  const api = (): LibSystem => (lib ??= loadLibSystem(libraryPath));
  const mibBuffer = Buffer.alloc(IFMIBDATA.size);
  const mibLength = new BigUint64Array(1);
  // Per interface name: the 32-bit if_data counters followed across reads, for when the sysctl fails.
  let followed = new Map<string, { in: Counter32; out: Counter32 }>();

  function counters(interfaces: readonly DarwinInterface[]): Map<string, Counters> {
    const result = new Map<string, Counters>();
    const next = new Map<string, { in: Counter32; out: Counter32 }>();
    for (const g of connectionInterfaces(interfaces)) {
      const mib = g.index !== null ? readIfMib(api(), g.index, mibBuffer, mibLength) : null;
      const before = followed.get(g.name);
      // The index must still name this interface: the kernel hands a freed index to the next one.
      if (mib && mib.name === g.name) {
        result.set(g.name, { bytesIn: mib.bytesIn, bytesOut: mib.bytesOut });
        if (g.data) next.set(g.name, { in: { raw: g.data.ibytes, total: mib.bytesIn }, out: { raw: g.data.obytes, total: mib.bytesOut } });
      } else if (g.data) {
        // Only the 32-bit if_data: follow its wraps (ifaddrs.ts followCounter32).
        const f = { in: followCounter32(before?.in, g.data.ibytes), out: followCounter32(before?.out, g.data.obytes) };
        next.set(g.name, f);
        result.set(g.name, { bytesIn: f.in.total, bytesOut: f.out.total });
      }
    }
    followed = next;
    return result;
  }

  return {
    backend: 'getifaddrs',
    read: async (options: ReadOptions): Promise<SourceConnection[]> => {
      const interfaces = gatherInterfaces(readIfaddrs(api()));
      return buildDarwinConnections(interfaces, options.counters ? counters(interfaces) : null);
    },
    watch(onChange: (scope?: 'routing') => void): () => void {
      return subscribeRouteSocket(api(), (reads, overflow) => {
        if (overflow || reads.some(affectsInterfaces)) onChange();
        else if (routing && reads.some(affectsRoutes)) onChange('routing');
      });
    },
    ...(routing ? { readRouting: async () => routing.read() } : {}),
    async diagnose(): Promise<SourceDiagnosis> {
      const every = new Set<string>();
      let lastError: ErrorInfo | null = null;
      let candidates: DarwinInterface[] = [];
      try {
        candidates = gatherInterfaces(readIfaddrs(api(), every));
      } catch (error) {
        lastError = toErrorInfo(error);
      }
      const copied = new Map(candidates.map((g) => [g.name, g]));
      const interfaces = [...every].map((name) => {
        const g = copied.get(name);
        if (!g) return { name, description: '', type: /^[a-z]+/.exec(name)?.[0] ?? name, state: '', addresses: [], listed: false, reason: 'not a utun, ipsec or ppp interface', connectionId: null };
        const verdict = darwinVerdict(g);
        const id = verdict.listed ? (buildDarwinConnections([g], null)[0]?.id ?? null) : null;
        return { name, description: '', type: verdict.type, state: `flags 0x${g.flags.toString(16)}`, addresses: g.addresses, listed: verdict.listed, reason: verdict.reason, connectionId: id };
      });
      return { parts: [{ name: 'libSystem', detail: libraryPath, lastError }], interfaces, notes: ['addresses are read for utun, ipsec and ppp interfaces only'] };
    },
    close: () => routing?.close(),
  };
}
