/**
 * The Windows backend ("rasapi32+iphlpapi"): RAS connections and VPN adapters in one list, as the Linux
 * backend is netlink + NetworkManager. RAS is read first; what Windows documents of its connections' adapters
 * (named after the entry, IfType PPP, the projected address: adapter-classify.ts's rasAdapterOwner) keeps
 * them out of the adapter list, so a RAS VPN is listed once. RASCONNW.luid is no help: it is the logon
 * session that dialled, not the adapter's NET_LUID.
 *
 * A part that cannot be loaded at all (ELOAD: a Windows without RAS, a stripped-down image) leaves the other
 * part to serve alone, with its error kept for `linkwatch diagnose`; any other failure of a part fails the
 * read, and the monitor keeps the last good list.
 */
import { echoWin32 } from '../../health/win32-icmp';
import { refuseProbe } from '../../health/probe-target';
import type { ErrorInfo } from '../../../../shared/connection';
import type { InterfaceDiagnosis, PartDiagnosis, SourceDiagnosis } from '../../../../shared/diagnostics';
import { BackendError, toErrorInfo } from '../../backend-error';
import type { ConnectionSource, ReadOptions, SourceConnection } from '../source';
import { adapterDiagnoses, createAdapterSource, type AdapterReading, type AdapterSource, type AdapterSourceOptions } from './adapter-source';
import { createRasSource, type RasSource } from './ras-source';
import { rasAdapterPairs, withRasConnections } from './ras-routing';
import { WINDOWS_SAFETY_READ_MS } from './read-cadence';

export const WIN32_BACKEND = 'rasapi32+iphlpapi';

export interface Win32SourceOptions {
  rasLibrary: string;
  iphlpapiLibrary: string;
  adapters?: AdapterSourceOptions;
  /** Tests: parts built elsewhere. */
  ras?: RasSource;
  adapterSource?: AdapterSource;
}

const isLoadError = (error: unknown): boolean => error instanceof BackendError && error.code === 'ELOAD';

export function createWin32Source(options: Win32SourceOptions): ConnectionSource {
  const ras = options.ras ?? createRasSource(options.rasLibrary);
  const adapters = options.adapterSource ?? createAdapterSource(options.iphlpapiLibrary, options.adapters);
  let rasError: ErrorInfo | null = null;
  let lastReading: AdapterReading | null = null;
  /** The RAS connections of the last read (their adapters' routes are theirs: readRouting). */
  let lastRas: SourceConnection[] = [];

  async function read(readOptions: ReadOptions): Promise<SourceConnection[]> {
    let rasConnections: SourceConnection[] = [];
    let rasFailure: unknown = null;
    try {
      rasConnections = await ras.read(readOptions);
      rasError = null;
    } catch (error) {
      rasError = toErrorInfo(error);
      if (!isLoadError(error)) throw error;
      rasFailure = error;
    }
    lastRas = rasConnections;
    try {
      lastReading = await adapters.readAdapters(readOptions, rasFailure ? [] : ras.adapterEvidence);
    } catch (error) {
      // Both parts unusable: that is the backend failing. One of them: the other serves.
      if (!isLoadError(error) || rasFailure) throw rasFailure ?? error;
      lastReading = null;
      return rasConnections;
    }
    return [...rasConnections, ...lastReading.connections];
  }

  const source: ConnectionSource = {
    backend: WIN32_BACKEND,
    // RAS notifies no RASCS_* progress: read often while one of its connections is connecting.
    pollWhileConnecting: true,
    safetyReadMs: WINDOWS_SAFETY_READ_MS,
    read,
    hangUp: async (id) => {
      if (!id.startsWith('ras:')) throw new BackendError('ENOTSUP', `${id} is a third-party adapter: its own program connects and disconnects it`);
      await ras.hangUp!(id);
    },
    // Saved connections are RAS's phone book: third-party adapters have none Linkwatch could dial.
    ...(ras.listEntries ? { listEntries: () => ras.listEntries!() } : {}),
    ...(ras.connect ? { connect: (name: string, onProgress: Parameters<NonNullable<ConnectionSource['connect']>>[1]) => ras.connect!(name, onProgress) } : {}),
    ...(ras.cancel ? { cancel: (connectionId: string) => ras.cancel!(connectionId) } : {}),
    // Routes and DNS (issue 25) come from the IP helper; a RAS connection's adapter is left out of the adapter
    // list, so its entries are given to the RAS connection (ras-routing.ts).
    ...(adapters.readRouting
      ? { readRouting: async () => withRasConnections(await adapters.readRouting!(), rasAdapterPairs(lastRas, lastReading?.records ?? [])) }
      : {}),
    /** One ICMP echo inside a connected tunnel (issue 26), checked against a fresh reading first. */
    async probe(request) {
      const refused = refuseProbe(request, await read({ counters: false }));
      if (refused) return { target: request.target, rttMs: null, at: Date.now(), error: { code: 'EOUTSIDE', message: refused } };
      return echoWin32(request, options.iphlpapiLibrary);
    },
    async diagnose(): Promise<SourceDiagnosis> {
      try {
        await read({ counters: false });
      } catch {
        // Each part's error is in its lastError below.
      }
      const parts: PartDiagnosis[] = [
        { name: 'rasapi32', detail: options.rasLibrary, lastError: rasError },
        { name: 'iphlpapi', detail: adapters.libraryPath, lastError: adapters.lastError },
      ];
      const interfaces: InterfaceDiagnosis[] = lastReading ? adapterDiagnoses(lastReading) : [];
      const notes = ras.watch ? [] : ['RAS has no push notifications here: the list is polled'];
      return { parts, interfaces, notes };
    },
    async shutdown() {
      // RAS's dials and hang-ups end first (bounded by their own wait); the adapters have nothing in flight.
      await ras.shutdown?.();
      ras.close();
      adapters.close();
    },
    close() {
      ras.close();
      adapters.close();
    },
  };
  // Push only when both parts push: otherwise a RAS change would wait for the slow safety read.
  if (ras.watch && adapters.watch) {
    const rasWatch = ras.watch.bind(ras);
    const adapterWatch = adapters.watch.bind(adapters);
    source.watch = (onChange, onUnavailable) => {
      // RAS refusing push (Wine's stub) throws here: the monitor then polls both parts.
      const unwatchRas = rasWatch(onChange, onUnavailable);
      let unwatchAdapters: () => void;
      try {
        unwatchAdapters = adapterWatch(onChange, onUnavailable);
      } catch (error) {
        unwatchRas();
        throw error;
      }
      return () => {
        unwatchRas();
        unwatchAdapters();
      };
    };
  }
  return source;
}
