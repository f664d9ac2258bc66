import { BackendError } from '../../backend-error';
import type { ConnectionSource, SourceConnection } from '../source';
import { RasConnDecoder, decodeRasConnStatus, decodeWideString, parseRasConnectionId, rasConnection, type RasConnRecord } from './ras-decode';
import { builtInRasErrorMessage, rasError, rasErrorName } from './ras-errors';
import { loadRasapi32, type Rasapi32 } from './rasapi32';
import { createRasPhonebook, type RasPhonebook } from './ras-phonebook';
import { rasConnLayouts, rasConnStatusLayouts } from './ras-structs';

const ERROR_INVALID_HANDLE = 6;
const ERROR_BUFFER_TOO_SMALL = 603;
const ERROR_INVALID_SIZE = 632;

/** RasEnumConnectionsW answers 603 again when connections appear between the probe and the call: retry this
 * many times with the new size, then report the error instead of looping. */
export const MAX_ENUM_RETRIES = 5;
/** RasHangUpW's docs: wait until RasGetConnectStatusW returns ERROR_INVALID_HANDLE before going on (they
 * suggest about 3 s); we poll, bounded. */
export const HANGUP_WAIT_MS = 3000;

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export interface RasSourceOptions {
  /** Reuse the decoded record of an entry whose bytes did not change since the last read (default true). */
  reuseUnchanged?: boolean;
}

/**
 * The Windows backend: RasEnumConnectionsW, then RasGetConnectStatusW for the true state of each connection.
 * `libraryPath` is "rasapi32.dll" on Windows, or a library with the same API (the test fake) anywhere.
 * The library is loaded on the first read; failing to load it is a BackendError ELOAD, never a crash.
 */
export function createRasSource(libraryPath: string, options: RasSourceOptions = {}): ConnectionSource {
  const connLayouts = rasConnLayouts();
  const statusLayouts = rasConnStatusLayouts();
  let api: Rasapi32 | null = null;
  // The newest size this Windows accepted (632 ERROR_INVALID_SIZE fallback), remembered across reads.
  let connIndex = 0;
  let statusIndex = 0;
  // Reused across reads: a read allocates only what it returns (and decodes only the entries that changed).
  const decoder = new RasConnDecoder(options.reuseUnchanged ?? true);
  const statusBuf = Buffer.alloc(statusLayouts[0]!.size);
  const errorBuf = Buffer.alloc(512 * 2);
  const cb = new Uint32Array(1);
  const count = new Uint32Array(1);
  const messages = new Map<number, string>();

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

  /** The documented sequence: probe with a NULL buffer, allocate, set the first dwSize, call again. */
  function enumerate(ras: Rasapi32): RasConnRecord[] {
    cb[0] = 0;
    count[0] = 0;
    let rc = ras.RasEnumConnectionsW(null, cb, count);
    if (rc === 0) return []; // no connections: the probe itself succeeds
    let tooSmall = 0;
    for (;;) {
      if (rc === ERROR_BUFFER_TOO_SMALL) {
        if (++tooSmall > 1 + MAX_ENUM_RETRIES) {
          throw rasError(rc, `RasEnumConnectionsW (connections kept appearing, ${MAX_ENUM_RETRIES} retries)`, describe);
        }
      } else if (rc === ERROR_INVALID_SIZE) {
        // An older Windows: fall back to the previous RASCONNW version and remember it.
        if (connIndex + 1 >= connLayouts.length) {
          throw rasError(rc, `RasEnumConnectionsW (no RASCONNW size accepted: ${connLayouts.map((l) => l.size).join(', ')})`, describe);
        }
        connIndex++;
      } else if (rc === 0) {
        return decoder.decode(count[0]!, connLayouts[connIndex]!);
      } else {
        throw rasError(rc, 'RasEnumConnectionsW', describe);
      }
      const stride = connLayouts[connIndex]!.size;
      const need = Math.max(cb[0]!, count[0]! * stride, stride);
      const buf = decoder.buffer(need);
      buf.writeUInt32LE(stride, 0); // only the first struct's dwSize is read
      cb[0] = buf.length;
      rc = ras.RasEnumConnectionsW(buf, cb, count);
    }
  }

  async function read(): Promise<SourceConnection[]> {
    const ras = library();
    const records = enumerate(ras);
    const canDisconnect = ras.RasHangUpW() !== null;
    const connections: SourceConnection[] = [];
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
      connections.push(rasConnection(record, decodeRasConnStatus(statusBuf, statusLayouts[statusIndex]!), canDisconnect, describe));
    }
    return connections;
  }

  async function hangUp(id: string): Promise<void> {
    const handle = parseRasConnectionId(id);
    if (handle === null) throw new BackendError('EINVAL', `Not a RAS connection id: ${id}`);
    const ras = library();
    const hangUpW = ras.RasHangUpW();
    if (!hangUpW) throw new BackendError('ENOTSUP', `${libraryPath} has no RasHangUpW: cannot disconnect`);
    const rc = hangUpW(handle);
    if (rc === ERROR_INVALID_HANDLE) return; // already gone: what the caller wanted
    if (rc !== 0) throw rasError(rc, 'RasHangUpW', describe);
    // RasHangUp returns at once; the port closes later. Wait (bounded) for the handle to become invalid so
    // that a read right after does not show the connection again.
    const deadline = Date.now() + HANGUP_WAIT_MS;
    for (let wait = 5; Date.now() < deadline; wait = Math.min(wait * 2, 100)) {
      statusBuf.writeUInt32LE(statusLayouts[statusIndex]!.size, 0);
      if (ras.RasGetConnectStatusW(handle, statusBuf) === ERROR_INVALID_HANDLE) return;
      await sleep(wait);
    }
  }

  // The phone book and dialler (ras-phonebook.ts), on first use.
  let phonebook: RasPhonebook | null = null;
  const dialler = (): RasPhonebook => {
    library();
    phonebook ??= createRasPhonebook({ libraryPath, describe, hangUp });
    return phonebook;
  };

  return {
    backend: 'rasapi32',
    read,
    hangUp,
    listEntries: () => dialler().listEntries(),
    connect: (name, onProgress) => dialler().connect(name, onProgress),
    cancel: (connectionId) => dialler().cancel(connectionId),
    close() {
      phonebook?.close();
      phonebook = null;
      api?.unload();
      api = null;
      messages.clear();
    },
  };
}
