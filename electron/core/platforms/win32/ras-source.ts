import type { ErrorInfo } from '../../../../shared/connection';
import { BackendError } from '../../backend-error';
import type { ConnectionSource, SourceConnection } from '../source';
import type { RasAdapterEvidence } from './adapter-classify';
import { loadKernel32Events } from './kernel32';
import {
  RASAPIVERSION_601,
  RASP_PppIp,
  RASP_PppIpv6,
  RasConnDecoder,
  decodeRasConnStatus,
  decodeRasPppIp,
  decodeRasPppIpv6,
  decodeRasProjectionInfo,
  decodeRasStats,
  decodeWideString,
  parseRasConnectionId,
  rasConnection,
  unwrapCounter32,
  type RasConnRecord,
} from './ras-decode';
import { RAS_CONNECTIONS, enumerateRas, type RasEnumeration } from './ras-enum-bounds';
import { builtInRasErrorMessage, rasError, rasErrorName } from './ras-errors';
import { watchRasConnections, type RasWatch } from './ras-notify';
import { RASCS_Connected } from './ras-states';
import { loadRasapi32, type Rasapi32 } from './rasapi32';
import { createRasPhonebook, type RasPhonebook, type WindowsDialer } from './ras-phonebook';
import { WINDOWS_SAFETY_READ_MS } from './read-cadence';
import {
  rasConnLayouts,
  rasConnStatusLayouts,
  rasIkev2ProjectionLayout,
  rasPppIpLayouts,
  rasPppIpv6Layout,
  rasPppProjectionLayout,
  rasProjectionInfoLayout,
  rasStatsLayout,
} from './ras-structs';

const ERROR_INVALID_HANDLE = 6;
const ERROR_BUFFER_TOO_SMALL = 603;
const ERROR_INVALID_SIZE = 632;

/** RasHangUpW's docs: wait until RasGetConnectStatusW returns ERROR_INVALID_HANDLE before going on (they
 * suggest about 3 s); we poll, bounded. */
export const HANGUP_WAIT_MS = 3000;
/** RasGetProjectionInfoEx answering 603 again with a larger size (a projection that grew): retried this often. */
export const MAX_PROJECTION_RETRIES = 3;
/** The most a projection may ask for: the struct and its server-address arrays are a few hundred bytes; 64 KiB
 * leaves room for hundreds of server addresses and refuses a made-up size from the library. */
export const MAX_PROJECTION_BYTES = 64 * 1024;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RasSourceOptions {
  /** Reuse the decoded record of an entry whose bytes did not change since the last read (default true). */
  reuseUnchanged?: boolean;
  /** How long hangUp waits for the handle to become invalid before saying "still closing" (default 3 s). */
  hangUpWaitMs?: number;
  /** The clock `connectedSince` is computed on (tests). */
  now?: () => number;
  /** Windows' own dialler for credentials (ras-phonebook.ts WindowsDialer); tests give a stand-in. */
  windowsDialer?: WindowsDialer | null;
}

/** The RAS source, with what the adapter list needs from it. */
export interface RasSource extends ConnectionSource {
  /** What the last read knew of each connection's adapter (its entry name, its projected addresses). */
  readonly adapterEvidence: readonly RasAdapterEvidence[];
}

/** What the source keeps about one handle between reads. */
interface HandleMemory {
  /** RAS_STATS' 32-bit counters as last read, and the 64-bit totals they add up to. */
  rawIn: number;
  rawOut: number;
  totalIn: number;
  totalOut: number;
  /** Epoch ms the connection came up, from dwConnectDuration; kept while new readings agree within a second. */
  upSince: number | null;
  /** Addresses once projection is complete (they do not change for the life of a RAS connection). */
  addresses: string[] | null;
}

/** dwConnectDuration is re-read every second: a new figure within this of the kept one is the same moment. */
const UP_SINCE_TOLERANCE_MS = 1000;

/**
 * The Windows backend: RasEnumConnectionsW, then RasGetConnectStatusW for the true state of each connection.
 * `libraryPath` is "rasapi32.dll" on Windows, or a library with the same API (the test fake) anywhere.
 * The library is loaded on the first read; failing to load it is a BackendError ELOAD, never a crash.
 */
export function createRasSource(libraryPath: string, options: RasSourceOptions = {}): RasSource {
  const connLayouts = rasConnLayouts();
  const statusLayouts = rasConnStatusLayouts();
  const connStrides = connLayouts.map((layout) => layout.size);
  // Made once per loaded library: a read allocates only what it returns.
  let connEnumeration: (RasEnumeration & { library: Rasapi32 }) | null = null;
  const statsLayout = rasStatsLayout();
  const pppIpLayouts = rasPppIpLayouts();
  const pppIpv6Layout = rasPppIpv6Layout();
  const projectionLayout = rasProjectionInfoLayout();
  const pppProjection = rasPppProjectionLayout();
  const ikev2Projection = rasIkev2ProjectionLayout();
  const hangUpWaitMs = options.hangUpWaitMs ?? HANGUP_WAIT_MS;
  const now = options.now ?? Date.now;
  const memory = new Map<bigint, HandleMemory>();
  const watching = new Set<RasWatch>();
  /** What RASCN_* signals about, as of the last read: the connected handles (null before the first read). */
  let lastConnected: Set<bigint> | null = null;
  const statsBuf = Buffer.alloc(statsLayout.size);
  // Grown when RasGetProjectionInfoEx asks for more (IKEv2's server addresses), never shrunk.
  let projectionBuf = Buffer.alloc(Math.max(projectionLayout.size, pppIpLayouts[0]!.size, pppIpv6Layout.size));
  const size = new Uint32Array(1);
  let pppIpIndex = 0;
  let api: Rasapi32 | null = null;
  // The newest size this Windows accepted (632 ERROR_INVALID_SIZE fallback), remembered across reads.
  let connIndex = 0;
  let statusIndex = 0;
  // Reused across reads: a read allocates only what it returns (and decodes only the entries that changed).
  const decoder = new RasConnDecoder(options.reuseUnchanged ?? true);
  const statusBuf = Buffer.alloc(statusLayouts[0]!.size);
  const errorBuf = Buffer.alloc(512 * 2);
  const messages = new Map<number, string>();
  let adapterEvidence: RasAdapterEvidence[] = [];

  function library(): Rasapi32 {
    api ??= loadRasapi32(libraryPath);
    return api;
  }

  /** The library's own text for a code when it has RasGetErrorStringW, else the built-in table. */
  function describe(code: number): string {
    let message = messages.get(code);
    if (message === undefined) {
      message = builtInRasErrorMessage(code);
      const getErrorString = api?.RasGetErrorStringW();
      if (getErrorString && getErrorString(code, errorBuf, errorBuf.length / 2) === 0) {
        const text = decodeWideString(errorBuf, 0, errorBuf.length).trim();
        if (text) message = `${text} (${rasErrorName(code) ?? 'error'}, ${code})`;
      }
      messages.set(code, message);
    }
    return message;
  }

  /** RasEnumConnectionsW through the enumerate loop both enumerations share (ras-enum-bounds.ts). */
  function enumerate(ras: Rasapi32): RasConnRecord[] {
    if (connEnumeration?.library !== ras) {
      connEnumeration = {
        library: ras,
        kind: RAS_CONNECTIONS,
        strides: connStrides,
        call: (buf, lpcb, lpcConnections) => ras.RasEnumConnectionsW(buf, lpcb, lpcConnections),
        buffer: (bytes) => decoder.buffer(bytes),
        describe,
      };
    }
    const done = enumerateRas(connEnumeration, connIndex);
    connIndex = done.strideIndex; // the newest size this Windows accepted, remembered across reads
    return done.count === 0 ? [] : decoder.decode(done.count, connLayouts[connIndex]!);
  }

  function remember(handle: bigint): HandleMemory {
    let kept = memory.get(handle);
    if (!kept) {
      kept = { rawIn: 0, rawOut: 0, totalIn: 0, totalOut: 0, upSince: null, addresses: null };
      memory.set(handle, kept);
    }
    return kept;
  }

  /**
   * Counters and connected time from RasGetConnectionStatistics, only while someone wants them. A failure
   * (Wine answers 635, a handle gone) or the function missing leaves this connection's counters null: it
   * is not an error for the list.
   */
  function readStats(ras: Rasapi32, connection: SourceConnection, handle: bigint, connected: boolean): void {
    const getStats = ras.RasGetConnectionStatistics();
    if (!getStats) return;
    statsBuf.fill(0);
    statsBuf.writeUInt32LE(statsLayout.size, 0);
    if (getStats(handle, statsBuf) !== 0) return;
    const stats = decodeRasStats(statsBuf, statsLayout);
    const kept = memory.get(handle);
    const next = remember(handle);
    next.totalIn = kept ? unwrapCounter32(kept.rawIn, kept.totalIn, stats.bytesIn) : stats.bytesIn;
    next.totalOut = kept ? unwrapCounter32(kept.rawOut, kept.totalOut, stats.bytesOut) : stats.bytesOut;
    next.rawIn = stats.bytesIn;
    next.rawOut = stats.bytesOut;
    connection.bytesIn = next.totalIn;
    connection.bytesOut = next.totalOut;
    if (connected && stats.connectDurationMs > 0) {
      const upSince = now() - stats.connectDurationMs;
      if (next.upSince === null || Math.abs(upSince - next.upSince) > UP_SINCE_TOLERANCE_MS) next.upSince = upSince;
      connection.upSince = next.upSince;
    }
  }

  /**
   * Addresses: RasGetProjectionInfoEx (Windows 7+: PPP or IKEv2, IPv4 and IPv6), else RasGetProjectionInfoW
   * with RASP_PppIp and RASP_PppIpv6 (older Windows, Wine). Read once a connection is connected and kept for
   * its life, but only once a call succeeded: 730 (not yet projected), 603 beyond the retry, or any other
   * failure leaves none now and asks again at the next read.
   */
  function readAddresses(ras: Rasapi32, handle: bigint): string[] {
    const kept = memory.get(handle);
    if (kept?.addresses) return kept.addresses;
    const read = ras.RasGetProjectionInfoEx() ? readProjectionEx(ras, handle) : readProjectionLegacy(ras, handle);
    if (read === null) return [];
    remember(handle).addresses = read;
    return read;
  }

  /**
   * RasGetProjectionInfoEx into projectionBuf. Its docs: ERROR_BUFFER_TOO_SMALL with the size needed in
   * *lpdwSize; an IKEv2 projection needs more than the struct (its server-address arrays follow it in the
   * caller's buffer), so the buffer grows to that size and the call is made again, a bounded number of
   * times. Null when no call succeeded.
   */
  function readProjectionEx(ras: Rasapi32, handle: bigint): string[] | null {
    const ex = ras.RasGetProjectionInfoEx()!;
    for (let attempt = 0; attempt <= MAX_PROJECTION_RETRIES; attempt++) {
      projectionBuf.fill(0);
      projectionBuf.writeUInt32LE(RASAPIVERSION_601, 0);
      size[0] = projectionBuf.length;
      const rc = ex(handle, projectionBuf, size);
      if (rc === 0) return decodeRasProjectionInfo(projectionBuf, projectionLayout, pppProjection, ikev2Projection);
      if (rc !== ERROR_BUFFER_TOO_SMALL || size[0]! <= projectionBuf.length || size[0]! > MAX_PROJECTION_BYTES) return null;
      projectionBuf = Buffer.alloc(size[0]!);
    }
    return null;
  }

  /** RASP_PppIp then RASP_PppIpv6 with RasGetProjectionInfoW; null unless the IPv4 call succeeded. */
  function readProjectionLegacy(ras: Rasapi32, handle: bigint): string[] | null {
    const legacy = ras.RasGetProjectionInfoW();
    if (!legacy) return [];
    const addresses: string[] = [];
    for (;;) {
      const layout = pppIpLayouts[pppIpIndex]!;
      projectionBuf.fill(0);
      projectionBuf.writeUInt32LE(layout.size, 0);
      size[0] = layout.size;
      const rc = legacy(handle, RASP_PppIp, projectionBuf, size);
      if (rc === ERROR_INVALID_SIZE && pppIpIndex + 1 < pppIpLayouts.length) {
        pppIpIndex++;
        continue;
      }
      if (rc !== 0) return null;
      const v4 = decodeRasPppIp(projectionBuf, layout);
      if (v4) addresses.push(v4);
      break;
    }
    projectionBuf.fill(0);
    projectionBuf.writeUInt32LE(pppIpv6Layout.size, 0);
    size[0] = pppIpv6Layout.size;
    if (legacy(handle, RASP_PppIpv6, projectionBuf, size) === 0) {
      const v6 = decodeRasPppIpv6(projectionBuf, pppIpv6Layout);
      if (v6) addresses.push(v6);
    }
    return addresses;
  }

  async function read(readOptions: { counters: boolean }): Promise<SourceConnection[]> {
    const ras = library();
    const records = enumerate(ras);
    const canDisconnect = ras.RasHangUpW() !== null;
    const connections: SourceConnection[] = [];
    const seen = new Set<bigint>();
    const evidence: RasAdapterEvidence[] = [];
    for (const record of records) {
      statusBuf.writeUInt32LE(statusLayouts[statusIndex]!.size, 0);
      let rc = ras.RasGetConnectStatusW(record.handle, statusBuf);
      while (rc === ERROR_INVALID_SIZE && statusIndex + 1 < statusLayouts.length) {
        statusIndex++;
        statusBuf.writeUInt32LE(statusLayouts[statusIndex]!.size, 0);
        rc = ras.RasGetConnectStatusW(record.handle, statusBuf);
      }
      // Hung up between the two calls: it is simply gone (no disconnect reason is kept, DotRas issue 80).
      if (rc === ERROR_INVALID_HANDLE) continue;
      if (rc !== 0) throw rasError(rc, 'RasGetConnectStatusW', describe);
      const status = decodeRasConnStatus(statusBuf, statusLayouts[statusIndex]!);
      const connection = rasConnection(record, status, canDisconnect, describe);
      const connected = status.rasconnstate === RASCS_Connected;
      seen.add(record.handle);
      if (connected) connection.addresses = readAddresses(ras, record.handle);
      evidence.push({ name: record.entryName, addresses: connection.addresses.map((cidr) => cidr.split('/')[0]!) });
      if (readOptions.counters) readStats(ras, connection, record.handle, connected);
      else if (connected) connection.upSince = memory.get(record.handle)?.upSince ?? null;
      connections.push(connection);
    }
    for (const handle of memory.keys()) if (!seen.has(handle)) memory.delete(handle);
    adapterEvidence = evidence;
    // What RasConnectionNotification signals for sure (RASCN_Connection: a connection reached RASCS_Connected;
    // RASCN_Disconnection: a connected one ended), told to the watches so that they can tell a missed signal.
    // A dial that fails before connecting may signal nothing: it does not count.
    const connectedNow = new Set(connections.filter((c) => c.state === 'connected').map((c) => parseRasConnectionId(c.id)!));
    const signalled = lastConnected !== null && ([...connectedNow].some((h) => !lastConnected!.has(h)) || [...lastConnected].some((h) => !connectedNow.has(h)));
    lastConnected = connectedNow;
    for (const watch of watching) watch.noteRead(signalled);
    return connections;
  }

  /** Hang-ups under way (waiting for their handle to go): shutdown waits for them. */
  const hangingUp = new Set<Promise<void>>();

  function hangUp(id: string): Promise<void> {
    const done = hangUpAndWait(id);
    hangingUp.add(done);
    const forget = () => hangingUp.delete(done);
    done.then(forget, forget);
    return done;
  }

  async function hangUpAndWait(id: string): Promise<void> {
    const handle = parseRasConnectionId(id);
    if (handle === null) throw new BackendError('EINVAL', `Not a RAS connection id: ${id}`);
    const ras = library();
    const hangUpW = ras.RasHangUpW();
    if (!hangUpW) throw new BackendError('ENOTSUP', `${libraryPath} has no RasHangUpW: cannot disconnect`);
    const rc = hangUpW(handle);
    if (rc === ERROR_INVALID_HANDLE) return; // already gone: what the caller wanted
    if (rc !== 0) throw rasError(rc, 'RasHangUpW', describe);
    // RasHangUp returns at once; the port closes later. Wait (bounded) for the handle to become invalid so
    // that a read right after does not show the connection again. Still valid at the deadline: the hang-up is
    // not done, and the caller is told so rather than shown a success that the next read contradicts.
    const deadline = Date.now() + hangUpWaitMs;
    for (let wait = 5; ; wait = Math.min(wait * 2, 100)) {
      statusBuf.writeUInt32LE(statusLayouts[statusIndex]!.size, 0);
      if (ras.RasGetConnectStatusW(handle, statusBuf) === ERROR_INVALID_HANDLE) return;
      if (Date.now() >= deadline) break;
      await sleep(Math.min(wait, Math.max(1, deadline - Date.now())));
    }
    const waited = hangUpWaitMs < 1000 ? `${hangUpWaitMs} ms` : `${hangUpWaitMs / 1000} s`;
    throw new BackendError('ECLOSING', `RasHangUpW: the connection is still closing after ${waited} (RAS has not released it yet)`);
  }

  function watch(onChange: () => void, onUnavailable: (error: ErrorInfo) => void = () => {}): () => void {
    const ras = library();
    const notification = ras.RasConnectionNotificationW();
    if (!notification) throw new BackendError('ENOTSUP', `${libraryPath} has no RasConnectionNotificationW: no push notifications`);
    const events = loadKernel32Events(libraryPath);
    const watch = watchRasConnections({ RasConnectionNotificationW: notification, events, describe }, onChange, onUnavailable);
    watching.add(watch);
    return () => {
      watching.delete(watch);
      watch.stop();
    };
  }

  // The phone book and dialler (ras-phonebook.ts), on first use.
  let phonebook: RasPhonebook | null = null;
  const dialler = (): RasPhonebook => {
    library();
    phonebook ??= createRasPhonebook({ libraryPath, describe, hangUp, live: () => read({ counters: false }), windowsDialer: options.windowsDialer });
    return phonebook;
  };

  return {
    backend: 'rasapi32',
    get adapterEvidence() {
      return adapterEvidence;
    },
    pollWhileConnecting: true,
    safetyReadMs: WINDOWS_SAFETY_READ_MS,
    read,
    hangUp,
    watch,
    listEntries: () => dialler().listEntries(),
    connect: (name, onProgress) => dialler().connect(name, onProgress),
    cancel: (connectionId) => dialler().cancel(connectionId),
    async shutdown() {
      // Dials first (each a hang-up and its wait), then every hang-up still waiting for its handle.
      await phonebook?.shutdown();
      await Promise.all([...hangingUp].map((done) => done.catch(() => undefined)));
      close();
    },
    close,
  };

  function close(): void {
    for (const watch of [...watching]) watch.stop(); // a wait left running would outlive the source
    watching.clear();
    phonebook?.close();
    phonebook = null;
    api?.unload();
    api = null;
    messages.clear();
    memory.clear();
  }
}
