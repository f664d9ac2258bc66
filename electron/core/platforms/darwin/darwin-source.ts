/**
 * The macOS backend ("getifaddrs"): tunnel interfaces from getifaddrs(3), decoded by ifaddrs.ts; 64-bit byte
 * counters from the ifmibdata sysctl (if-mib.ts) while counters are wanted; live changes from a kernel-event
 * socket (route-socket.ts; the routing socket where that cannot open), read with no periodic wake-up; and the
 * network service each tunnel carries, from the system configuration through `scutil` (sc-services.ts): its
 * name, its id as the connection's identity, and Connect/Disconnect of the saved VPNs.
 *
 * `libraryPath` is libSystem on a Mac, or a library with the same functions anywhere (LINKWATCH_LIBSYSTEM,
 * the contract fake in the tests). Loaded on the first read: failing to load is a BackendError ELOAD.
 * `scutilPath` is /usr/sbin/scutil on a Mac (null: no system configuration, interfaces named by themselves).
 * The id is the network service's (`sc:<service id>`) where the interface carries one: macOS hands utun
 * numbers out dynamically, so the same VPN is utun4 today and utun6 tomorrow, and its history and connected
 * time must not follow the number. Without a service (Tunnelblick's own utun) it is `getifaddrs:<name>`.
 */
import type { ErrorInfo } from '../../../../shared/connection';
import type { SourceDiagnosis } from '../../../../shared/diagnostics';
import { BackendError, toErrorInfo } from '../../backend-error';
import type { ConnectionSource, DialProgress, ReadOptions, SourceConnection, SourceEntry } from '../source';
import { IFMIBDATA, decodeIfMibData, ifMibName } from './if-mib';
import {
  DARWIN_AF_LINK,
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
  pppKind,
  type Counter32,
  type Counters,
  type DarwinInterface,
  type IfaddrsEntry,
} from './ifaddrs';
import { DEFAULT_LIBSYSTEM, darwinErrnoError, loadLibSystem, type LibSystem } from './libsystem';
import { subscribeInterfaceChanges, type PushChannel } from './route-socket';
import { dialService, type ServiceDial } from './sc-dial';
import { ServiceCache, createScutil, type Scutil, type ServiceSnapshot } from './sc-services';
import type { NcService } from './sc-format';

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
 * fails). `everyName` (`linkwatch diagnose`) collects the names of all interfaces, candidates or not;
 * `everyIndex` the interface index of every AF_LINK entry (the routing socket's messages carry only that).
 */
export function readIfaddrs(lib: LibSystem, everyName?: Set<string>, everyIndex?: Map<number, string>): IfaddrsEntry[] {
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
      if (!isCandidateName(name)) {
        // Only the AF_LINK entry's sdl_index, two bytes: nothing else of the Mac's other interfaces is copied.
        if (everyIndex && header.addr !== 0n && lib.byteAt(header.addr + 1n) === DARWIN_AF_LINK) {
          everyIndex.set(lib.bytesAt(header.addr + 2n, 2).readUInt16LE(0), name);
        }
        continue;
      }
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

/** An entry's name: the same as its connection's (sc-services.ts joinServices), so that the two match. */
function entryName(s: NcService, snapshot: ServiceSnapshot): string {
  return snapshot.names.get(s.serviceId) ?? s.name;
}

export function createDarwinSource(libraryPath: string = DEFAULT_LIBSYSTEM, scutilPath: string | null = null): ConnectionSource {
  let lib: LibSystem | null = null;
  const api = (): LibSystem => (lib ??= loadLibSystem(libraryPath));
  const scutil: Scutil | null = scutilPath ? createScutil(scutilPath) : null;
  const mibBuffer = Buffer.alloc(IFMIBDATA.size);
  const mibLength = new BigUint64Array(1);
  // Per interface name: the 32-bit if_data counters followed across reads, for when the sysctl fails.
  let followed = new Map<string, { in: Counter32; out: Counter32 }>();
  // The interface indexes of the last read: candidates' (their messages count) and everyone's (an index not
  // seen yet may be a new candidate). Only the routing socket needs them; kernel events carry the name.
  let candidateIndexes = new Set<number>();
  let knownIndexes = new Map<number, string>();
  const services = new ServiceCache(scutil);
  let pushChannel: PushChannel | null = null;
  let pushBuffer = 0;
  const dials = new Map<string, ServiceDial>();

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

  async function readInterfaces(everyName?: Set<string>): Promise<DarwinInterface[]> {
    const indexes = new Map<number, string>();
    const interfaces = gatherInterfaces(readIfaddrs(api(), everyName, indexes));
    for (const g of interfaces) if (g.index !== null) indexes.set(g.index, g.name);
    knownIndexes = indexes;
    candidateIndexes = new Set(interfaces.flatMap((g) => (g.index !== null ? [g.index] : [])));
    return interfaces;
  }

  /** What the services depend on: the candidate interfaces and their addresses. */
  const servicesKeyOf = (interfaces: readonly DarwinInterface[]): string =>
    connectionInterfaces(interfaces).map((g) => `${g.name}=${g.addresses.join(',')}`).join(' ');

  async function listEntries(): Promise<SourceEntry[] | null> {
    if (!scutil) return null;
    const snapshot = await services.get(null, true);
    if (services.error && snapshot.services.length === 0) throw new BackendError(String(services.error.code), services.error.message);
    return snapshot.services.map((s) => ({
      name: entryName(s, snapshot),
      scope: 'service' as const,
      kind: s.type.toUpperCase() === 'PPP' ? pppKind({ serviceId: s.serviceId, name: s.name, type: s.type, subtype: s.subtype }) : 'vpn',
      phonebook: null,
    }));
  }

  async function connect(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress> {
    if (!scutil) throw new BackendError('ENOTSUP', 'no system configuration here (scutil)');
    const snapshot = await services.get(null, true);
    const matches = snapshot.services.filter((s) => s.serviceId === name || entryName(s, snapshot) === name);
    if (matches.length === 0) throw new BackendError('ENOENT', `macOS has no VPN service named "${name.slice(0, 100)}"`);
    if (matches.length > 1) throw new BackendError('EAMBIGUOUS', `${matches.length} VPN services are named "${name.slice(0, 100)}"; give the service id`);
    const serviceId = matches[0]!.serviceId;
    const id = `sc:${serviceId}`;
    if (dials.has(id)) throw new BackendError('EBUSY', `"${name}" is already being connected`);
    const dial: ServiceDial = { cancelled: false };
    dials.set(id, dial);
    try {
      return await dialService(scutil, serviceId, dial, onProgress);
    } finally {
      dials.delete(id);
      services.markStale();
    }
  }

  async function stopService(connectionId: string): Promise<void> {
    const m = /^sc:(.+)$/.exec(connectionId);
    if (!m || !scutil) throw new BackendError('ENOTSUP', `${connectionId.slice(0, 100)} is not a network service: its own app controls it`);
    const stopped = await scutil.run(['--nc', 'stop', m[1]!]);
    // nc.c nc_stop: "No service" (unknown id) or "Could not stop connection: <SCErrorString>", exit status 1.
    if (stopped.code !== 0) throw new BackendError('ESTOP', stopped.stderr.trim() || `scutil --nc stop exited with ${stopped.code}`);
    services.markStale();
  }

  return {
    backend: 'getifaddrs',
    read: async (options: ReadOptions): Promise<SourceConnection[]> => {
      const interfaces = await readInterfaces();
      const snapshot = await services.get(servicesKeyOf(interfaces));
      return buildDarwinConnections(interfaces, options.counters ? counters(interfaces) : null, snapshot.byInterface);
    },
    watch(onChange: () => void, onUnavailable?: (error: ErrorInfo) => void): () => void {
      const push = subscribeInterfaceChanges(
        api(),
        {
          isWatchedName: isCandidateName,
          isWatchedIndex: (index) => candidateIndexes.has(index) || !knownIndexes.has(index),
        },
        () => onChange(),
        (error) => onUnavailable?.(toErrorInfo(error)),
      );
      pushChannel = push.channel;
      pushBuffer = push.receiveBuffer;
      // The dynamic store tells when a service gets or loses its interface, or is renamed; without it (no
      // scutil, or it died) the services are still re-read whenever the candidate interfaces change.
      const stopStore = scutil
        ? scutil.watchStore(
            () => {
              services.markStale();
              onChange();
            },
            (error) => (services.error = toErrorInfo(error)),
          )
        : () => {};
      return () => {
        push.stop();
        stopStore();
      };
    },
    listEntries: scutil ? listEntries : undefined,
    connect: scutil ? connect : undefined,
    async cancel(connectionId: string): Promise<void> {
      const dial = dials.get(connectionId);
      if (!dial) throw new BackendError('EINVAL', `no Connect under way with id ${connectionId.slice(0, 100)}`);
      dial.cancelled = true;
      await stopService(connectionId);
    },
    hangUp: scutil ? stopService : undefined,
    async diagnose(): Promise<SourceDiagnosis> {
      const every = new Set<string>();
      let lastError: ErrorInfo | null = null;
      let candidates: DarwinInterface[] = [];
      try {
        candidates = await readInterfaces(every);
      } catch (error) {
        lastError = toErrorInfo(error);
      }
      const snapshot = await services.get(servicesKeyOf(candidates), true);
      const copied = new Map(candidates.map((g) => [g.name, g]));
      const interfaces = [...every].map((name) => {
        const g = copied.get(name);
        const family = /^[a-z]+/.exec(name)?.[0] ?? name;
        if (!g) return { name, description: '', type: family, state: '', addresses: [], listed: false, reason: 'not a tunnel interface (utun, ipsec, ppp, tun, tap, feth, gpd)', connectionId: null };
        const service = snapshot.byInterface.get(name) ?? null;
        const verdict = darwinVerdict(g, service);
        const id = verdict.listed ? (buildDarwinConnections([g], null, snapshot.byInterface)[0]?.id ?? null) : null;
        return { name, description: service?.name ?? '', type: verdict.type, state: `flags 0x${g.flags.toString(16)}`, addresses: g.addresses, listed: verdict.listed, reason: verdict.reason, connectionId: id };
      });
      const push = pushChannel
        ? `${pushChannel === 'kernel-events' ? 'kernel events (PF_SYSTEM, KEV_NETWORK_CLASS)' : 'routing socket (PF_ROUTE)'}, receive buffer ${pushBuffer} bytes`
        : null;
      return {
        parts: [
          { name: 'libSystem', detail: push ? `${libraryPath}; ${push}` : libraryPath, lastError },
          ...(scutil ? [{ name: 'SystemConfiguration', detail: `${scutil.path}: network services (names, ids, Connect)`, lastError: services.error }] : []),
        ],
        interfaces,
        notes: [
          'addresses are read for tunnel interfaces only (utun, ipsec, ppp, tun, tap, feth, gpd)',
          ...(scutil ? [] : ['no system configuration (scutil): tunnels are named by interface, and no saved VPNs are offered']),
        ],
      };
    },
    close: () => {},
  };
}
