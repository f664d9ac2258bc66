/**
 * The Windows adapter backend ("iphlpapi"): every VPN that brings its own virtual adapter (WireGuard, OpenVPN,
 * Tailscale, ZeroTier, Cisco, GlobalProtect, FortiClient…), read with GetAdaptersAddresses and, while someone
 * wants counters, GetIfEntry2 per listed adapter. Live through NotifyIpInterfaceChange and
 * NotifyUnicastIpAddressChange. `libraryPath` is "iphlpapi.dll" on Windows, or a library with the same API
 * (the test fake) anywhere. The library is loaded on the first read; failing to load it is a BackendError
 * ELOAD, never a crash.
 */
import koffi from 'koffi';
import type { ErrorInfo } from '../../../../shared/connection';
import type { InterfaceDiagnosis, SourceDiagnosis } from '../../../../shared/diagnostics';
import { BackendError, toErrorInfo } from '../../backend-error';
import type { ConnectionSource, ReadOptions, SourceConnection } from '../source';
import { IF_OPER_STATUS, adapterConnection, adapterConnectionId, classifyAdapter, ifTypeText, type AdapterVerdict, type RasAdapterEvidence } from './adapter-classify';
import { AdapterListDecoder, decodeIfRow2, prepareIfRow2, type AdapterRecord } from './iphlpapi-decode';
import {
  AF_UNSPEC,
  ERROR_BUFFER_OVERFLOW,
  ERROR_FILE_NOT_FOUND,
  ERROR_NO_DATA,
  GAA_FLAG_SKIP_ANYCAST,
  GAA_FLAG_SKIP_DNS_SERVER,
  GAA_FLAG_SKIP_MULTICAST,
  MibChangeCallback,
  NO_ERROR,
  loadIphlpapi,
  type Iphlpapi,
} from './iphlpapi';
import { ipLayouts } from './iphlpapi-structs';
import { WINDOWS_SAFETY_READ_MS } from './read-cadence';

/** GetAdaptersAddresses' documentation: start with a 15 KB buffer, which is enough on most machines. */
export const INITIAL_ADAPTER_BUFFER_BYTES = 15_000;
/** ERROR_BUFFER_OVERFLOW again and again means adapters keep appearing: retry this often, then report it. */
export const MAX_ADAPTER_RETRIES = 5;
const FLAGS = GAA_FLAG_SKIP_ANYCAST | GAA_FLAG_SKIP_MULTICAST | GAA_FLAG_SKIP_DNS_SERVER;

/** What one read saw: every adapter with its verdict, and the connections the listed ones became. */
export interface AdapterReading {
  records: AdapterRecord[];
  verdicts: AdapterVerdict[];
  connections: SourceConnection[];
}

export interface AdapterSource extends ConnectionSource {
  /** A read that keeps what `read` throws away. `ras`: the RAS connections of the same snapshot, whose adapters are left to RAS. */
  readAdapters(options: ReadOptions, ras?: readonly RasAdapterEvidence[]): Promise<AdapterReading>;
  /** The error of the last read or subscription, null after a good one. */
  readonly lastError: ErrorInfo | null;
  readonly libraryPath: string;
}

/** Every adapter of a reading as `linkwatch diagnose` shows it. */
export function adapterDiagnoses(reading: AdapterReading): InterfaceDiagnosis[] {
  return reading.records.map((record, i) => {
    const verdict = reading.verdicts[i]!;
    return {
      name: record.friendlyName,
      description: record.description,
      type: ifTypeText(record.ifType),
      state: IF_OPER_STATUS[record.operStatus] ?? `OperStatus ${record.operStatus}`,
      addresses: record.addresses.map((a) => (a.prefixLength === null ? a.address : `${a.address}/${a.prefixLength}`)),
      listed: verdict.listed && reading.connections.some((c) => c.id === adapterConnectionId(record)),
      reason: verdict.reason,
      connectionId: verdict.listed ? adapterConnectionId(record) : null,
    };
  });
}

export interface AdapterSourceOptions {
  /** The first GetAdaptersAddresses buffer (tests: 0 makes the first call the size probe). */
  initialBufferBytes?: number;
  /** Reuse the decoded list when GetAdaptersAddresses wrote the same bytes as last time (default true). */
  reuseUnchanged?: boolean;
}

export function createAdapterSource(libraryPath: string, options: AdapterSourceOptions = {}): AdapterSource {
  const layouts = ipLayouts();
  let api: Iphlpapi | null = null;
  // Reused across reads; grown when the list outgrows it, never shrunk.
  let buffer = Buffer.alloc(options.initialBufferBytes ?? INITIAL_ADAPTER_BUFFER_BYTES);
  const size = new Uint32Array(1);
  const row = Buffer.alloc(layouts.ifRow2.size);
  const decoder = new AdapterListDecoder(layouts, options.reuseUnchanged ?? true);
  /** Unsubscriptions under way: the library is unloaded only after CancelMibChangeNotify2 has returned. */
  const cancelling = new Set<Promise<void>>();
  /** Live subscriptions: close() ends them, so that no callback can outlive the library. */
  const live = new Set<() => void>();
  let lastError: ErrorInfo | null = null;

  function library(): Iphlpapi {
    api ??= loadIphlpapi(libraryPath);
    return api;
  }

  /** The documented loop: call, and on ERROR_BUFFER_OVERFLOW call again with the size it asked for. */
  function enumerate(lib: Iphlpapi): AdapterRecord[] {
    for (let attempt = 0; ; attempt++) {
      size[0] = buffer.length;
      const rc = lib.GetAdaptersAddresses(AF_UNSPEC, FLAGS, null, buffer.length > 0 ? buffer : null, size);
      if (rc === NO_ERROR) {
        try {
          return decoder.decode(buffer, koffi.address(buffer));
        } catch (error) {
          throw new BackendError('EDECODE', `GetAdaptersAddresses returned data Linkwatch cannot read: ${(error as Error).message}`, { cause: error });
        }
      }
      if (rc === ERROR_NO_DATA) return []; // no adapter at all (or none with an address of the family asked)
      if (rc !== ERROR_BUFFER_OVERFLOW) throw new BackendError(rc, `GetAdaptersAddresses failed (error ${rc})`);
      if (attempt >= MAX_ADAPTER_RETRIES) {
        throw new BackendError(rc, `GetAdaptersAddresses: adapters kept appearing (ERROR_BUFFER_OVERFLOW, ${MAX_ADAPTER_RETRIES} retries)`);
      }
      // A little slack: an adapter that appears between this answer and the next call need not cost a retry.
      buffer = Buffer.alloc(Math.max(size[0]!, buffer.length) + 4096);
    }
  }

  /** 64-bit counters of one adapter; null when it vanished since the enumeration (ERROR_FILE_NOT_FOUND). */
  function counters(lib: Iphlpapi, record: AdapterRecord): { bytesIn: number; bytesOut: number } | null | 'gone' {
    prepareIfRow2(row, record.luid, record.ifIndex, layouts.ifRow2);
    const rc = lib.GetIfEntry2(row);
    if (rc === ERROR_FILE_NOT_FOUND) return 'gone';
    if (rc !== NO_ERROR) throw new BackendError(rc, `GetIfEntry2 failed for ${record.friendlyName || record.description} (error ${rc})`);
    const entry = decodeIfRow2(row, layouts.ifRow2);
    return { bytesIn: entry.inOctets, bytesOut: entry.outOctets };
  }

  async function readAdapters(readOptions: ReadOptions, ras: readonly RasAdapterEvidence[] = []): Promise<AdapterReading> {
    try {
      const reading = readOnce(readOptions, ras);
      lastError = null;
      return reading;
    } catch (error) {
      lastError = toErrorInfo(error);
      throw error;
    }
  }

  function readOnce(readOptions: ReadOptions, ras: readonly RasAdapterEvidence[]): AdapterReading {
    const lib = library();
    const records = enumerate(lib);
    const verdicts = records.map((record) => classifyAdapter(record, ras));
    const connections: SourceConnection[] = [];
    records.forEach((record, i) => {
      const verdict = verdicts[i]!;
      if (!verdict.listed) return;
      const figures = readOptions.counters ? counters(lib, record) : null;
      if (figures === 'gone') return; // removed between the two calls: it is simply gone
      connections.push(adapterConnection(record, verdict, figures));
    });
    return { records, verdicts, connections };
  }

  function watch(onChange: () => void): () => void {
    const lib = library();
    // Called by koffi on this thread (it queues a call from the OS's thread here and holds that thread until
    // it has run): do nothing but schedule one re-read, so the OS thread is released at once.
    let scheduled = false;
    let registered = true;
    const notify = (): void => {
      if (scheduled) return;
      scheduled = true;
      setImmediate(() => {
        scheduled = false;
        if (registered) onChange();
      });
    };
    const callback = koffi.register(notify, koffi.pointer(MibChangeCallback));
    const handles: Buffer[] = [];
    const release = (): void => {
      registered = false;
      const pending = handles.map(
        (handle) =>
          new Promise<void>((resolve) => {
            const value = koffi.sizeof('void *') === 8 ? handle.readBigUInt64LE(0) : BigInt(handle.readUInt32LE(0));
            lib.CancelMibChangeNotify2Async(value, () => resolve());
          }),
      );
      // Only once no callback can run any more does the trampoline go back to koffi.
      const done = Promise.all(pending).then(() => koffi.unregister(callback));
      cancelling.add(done);
      void done.finally(() => cancelling.delete(done));
    };
    for (const register of [lib.NotifyIpInterfaceChange, lib.NotifyUnicastIpAddressChange]) {
      const handle = Buffer.alloc(8);
      const rc = register(AF_UNSPEC, callback, null, 0, handle);
      if (rc !== NO_ERROR) {
        release();
        lastError = { code: rc, message: `${register === lib.NotifyIpInterfaceChange ? 'NotifyIpInterfaceChange' : 'NotifyUnicastIpAddressChange'} failed (error ${rc})` };
        throw new BackendError(rc, `${register === lib.NotifyIpInterfaceChange ? 'NotifyIpInterfaceChange' : 'NotifyUnicastIpAddressChange'} failed (error ${rc})`);
      }
      handles.push(handle);
    }
    let released = false;
    const unwatch = (): void => {
      if (released) return;
      released = true;
      live.delete(unwatch);
      release();
    };
    live.add(unwatch);
    return unwatch;
  }

  async function diagnose(): Promise<SourceDiagnosis> {
    let interfaces: InterfaceDiagnosis[] = [];
    try {
      interfaces = adapterDiagnoses(await readAdapters({ counters: false }));
    } catch {
      // Shown as the part's lastError.
    }
    return { parts: [{ name: 'iphlpapi', detail: libraryPath, lastError }], interfaces, notes: [] };
  }

  return {
    backend: 'iphlpapi',
    safetyReadMs: WINDOWS_SAFETY_READ_MS,
    libraryPath,
    get lastError() {
      return lastError;
    },
    readAdapters,
    read: async (readOptions) => (await readAdapters(readOptions)).connections,
    watch,
    diagnose,
    close() {
      for (const unwatch of [...live]) unwatch();
      const lib = api;
      api = null;
      if (!lib) return;
      if (cancelling.size === 0) lib.unload();
      else void Promise.all(cancelling).then(() => lib.unload());
    },
  };
}
