/**
 * The RAS phone book and dialler: RasEnumEntriesW (every entry of the user's and the all-users' phone books),
 * RasGetEntryDialParamsW (the entry's saved credentials) and RasDialW with a RasDialFunc1 notifier, progress
 * reported per RASCS_* state and cancellable with RasHangUpW on the handle RasDialW gave. Where no password is
 * saved, or the server rejects the saved one (691 and its kin), Windows' own connect dialog asks
 * (RasDialDlgW, rasdlg.dll, bound on first use): Linkwatch never sees, stores or logs a password.
 *
 * Password hygiene: RasGetEntryDialParamsW writes a placeholder for a saved password (a handle RasDialW
 * understands, never the password) into the RASDIALPARAMSW buffer. That buffer lives only for one dial, is
 * zeroed as soon as RasDialW has returned, and nothing read from it but the entry name ever leaves this file.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { BackendError } from '../../backend-error';
import type { DialProgress, SourceEntry } from '../source';
import { decodeWideString, rasConnectionId } from './ras-decode';
import { rasError } from './ras-errors';
import { REN_AllUsers, rasDialDlgLayout, rasDialParamsLayouts, rasEntryNameLayouts } from './ras-phonebook-structs';
import { RASCS_Connected, rasState } from './ras-states';
import { HOST_ARCH, fieldByteLength, type RasLayout } from './ras-structs';

const ERROR_BUFFER_TOO_SMALL = 603;
const ERROR_CANNOT_FIND_PHONEBOOK_ENTRY = 623;
const ERROR_INVALID_SIZE = 632;
/** RasDial errors that mean "these credentials were refused": ask the user through Windows' dialog. raserror.h:
 * 691 ERROR_AUTHENTICATION_FAILURE, 648 ERROR_PASSWD_EXPIRED, 709 ERROR_CHANGING_PASSWORD. */
export const CREDENTIAL_ERRORS: ReadonlySet<number> = new Set([691, 648, 709]);
/** RasEnumEntriesW answers 603 again when entries appear between the probe and the call: bounded retries. */
const MAX_ENUM_RETRIES = 5;

/** One RASENTRYNAMEW, as data. `phonebook` is empty for the 0x400 layout (no path: the default book). */
export interface RasEntryRecord {
  name: string;
  allUsers: boolean;
  phonebook: string;
}

/** The first `count` RASENTRYNAMEW of `buf` in `layout` (its size is the stride). Pure; never reads past `buf`. */
export function decodeRasEntryNames(buf: Buffer, count: number, layout: RasLayout): RasEntryRecord[] {
  const stride = layout.size;
  if (count * stride > buf.length) throw new RangeError(`${count} × ${layout.name} (${stride} bytes) overruns a ${buf.length}-byte buffer`);
  const nameAt = layout.offsets.szEntryName!;
  const nameBytes = fieldByteLength(layout, 'szEntryName');
  const flagsAt = layout.offsets.dwFlags;
  const pathAt = layout.offsets.szPhonebookPath;
  const pathBytes = pathAt === undefined ? 0 : fieldByteLength(layout, 'szPhonebookPath');
  const records: RasEntryRecord[] = [];
  for (let n = 0, base = 0; n < count; n++, base += stride) {
    records.push({
      name: decodeWideString(buf, base + nameAt, nameBytes),
      allUsers: flagsAt !== undefined && (buf.readUInt32LE(base + flagsAt) & REN_AllUsers) !== 0,
      phonebook: pathAt === undefined ? '' : decodeWideString(buf, base + pathAt, pathBytes),
    });
  }
  return records;
}

/** Write `text` into a WCHAR[] field, NUL-terminated, or throw when it does not fit (a name RAS cannot hold). */
function writeWideField(buf: Buffer, layout: RasLayout, field: string, text: string): void {
  const bytes = fieldByteLength(layout, field);
  const encoded = Buffer.from(`${text}\0`, 'utf16le');
  if (encoded.length > bytes) throw new BackendError('EINVAL', `"${text.slice(0, 40)}…" is longer than RAS allows for ${field}`);
  buf.fill(0, layout.offsets[field]!, layout.offsets[field]! + bytes);
  encoded.copy(buf, layout.offsets[field]!);
}

// ras.h: VOID (WINAPI *RASDIALFUNC1)(HRASCONN, UINT unMsg, RASCONNSTATE, DWORD dwError, DWORD dwExtendedError)
type KoffiFunction = ReturnType<LibraryHandle['func']>;
const RasDialFunc1 = koffi.proto('__stdcall', 'LinkwatchRasDialFunc1', 'void', ['uintptr_t', 'uint32', 'uint32', 'uint32', 'uint32']);

interface DialBindings {
  RasEnumEntriesW: KoffiFunction;
  RasGetEntryDialParamsW: KoffiFunction;
  RasDialW: KoffiFunction;
  RasHangUpW: KoffiFunction;
}

/**
 * The notifier, one per process: RAS calls it on a thread of its own, koffi queues each call to the thread
 * that registered it, and it dispatches by handle. Never unregistered: a notification RAS still had in flight
 * after a hang-up must find a live callback (an unregistered one would crash the process).
 */
type Notify = (state: number, error: number) => void;
const listeners = new Map<bigint, Notify>();
/** Notifications that arrived before RasDialW's caller had registered the handle (kept in order). */
const early = new Map<bigint, [number, number][]>();
let notifier: bigint | null = null;

function rasDialNotifier(): bigint {
  notifier ??= koffi.register((hrasconn: number | bigint, _unMsg: number, state: number, error: number) => {
    // koffi hands a pointer-sized integer over as signed: the handle is its unsigned value.
    const handle = BigInt.asUintN(HOST_ARCH === 'x64' ? 64 : 32, BigInt(hrasconn));
    const listener = listeners.get(handle);
    if (listener) listener(state, error);
    else if (early.size < 64) early.set(handle, [...(early.get(handle) ?? []), [state, error]]);
  }, koffi.pointer(RasDialFunc1));
  return notifier;
}

/**
 * Whether this "Windows" is Wine: its rasdlg.dll exports RasDialDlgW as a stub that aborts the process when
 * called (measured, Wine 8: "Unimplemented function rasdlg.dll.RasDialDlgW"). Wine's ntdll says who it is.
 */
function wineVersion(): string | null {
  if (process.platform !== 'win32') return null;
  try {
    const getVersion = koffi.load('ntdll.dll').func('const char *wine_get_version(void)');
    return String(getVersion());
  } catch {
    return null; // real Windows: no such export
  }
}

export interface RasPhonebookOptions {
  libraryPath: string;
  /** The RAS message for a code (the library's RasGetErrorStringW, else the built-in table). */
  describe: (code: number) => string;
  /** Hang up a connection and wait until it is gone (ras-source.ts's hangUp). */
  hangUp: (connectionId: string) => Promise<void>;
  /** rasdlg.dll, or a stand-in; default "rasdlg.dll". */
  dialogLibraryPath?: string;
}

export interface RasPhonebook {
  listEntries(): Promise<SourceEntry[]>;
  connect(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress>;
  cancel(connectionId: string): Promise<void>;
  close(): void;
}

interface Dial {
  handle: bigint;
  cancelled: boolean;
  finish: (progress: DialProgress) => void;
}

export function createRasPhonebook(options: RasPhonebookOptions): RasPhonebook {
  const entryLayouts = rasEntryNameLayouts();
  const paramsLayouts = rasDialParamsLayouts();
  let entryIndex = 0;
  let paramsIndex = 0;
  let lib: LibraryHandle | null = null;
  let api: DialBindings | null = null;
  let entryBuf = Buffer.alloc(0);
  const cb = new Uint32Array(1);
  const count = new Uint32Array(1);
  /** The entries of the last enumeration, by name: connect() dials only what it listed. */
  let known = new Map<string, RasEntryRecord>();
  const dials = new Map<string, Dial>();

  function bindings(): DialBindings {
    if (api) return api;
    try {
      // The same library the connection reader loaded (the OS hands back the loaded instance).
      lib ??= koffi.load(options.libraryPath);
      api = {
        RasEnumEntriesW: lib.func('__stdcall', 'RasEnumEntriesW', 'uint32', ['str16', 'str16', 'void *', 'uint32 *', 'uint32 *']),
        RasGetEntryDialParamsW: lib.func('__stdcall', 'RasGetEntryDialParamsW', 'uint32', ['str16', 'void *', 'int32 *']),
        RasDialW: lib.func('__stdcall', 'RasDialW', 'uint32', ['void *', 'str16', 'void *', 'uint32', koffi.pointer(RasDialFunc1), 'void *']),
        RasHangUpW: lib.func('__stdcall', 'RasHangUpW', 'uint32', ['uintptr_t']),
      };
      return api;
    } catch (error) {
      throw new BackendError('ENOTSUP', `${options.libraryPath} cannot dial saved connections: ${(error as Error).message}`, { cause: error });
    }
  }

  /** The documented sequence: probe with NULL and *lpcb = 0, allocate, set the first dwSize, call again. */
  function enumerate(): RasEntryRecord[] {
    const ras = bindings();
    cb[0] = 0;
    count[0] = 0;
    let rc: number = ras.RasEnumEntriesW(null, null, null, cb, count);
    if (rc === 0) return []; // no entries: the probe itself succeeds
    let tooSmall = 0;
    for (;;) {
      if (rc === ERROR_BUFFER_TOO_SMALL) {
        if (++tooSmall > 1 + MAX_ENUM_RETRIES) throw rasError(rc, `RasEnumEntriesW (entries kept appearing, ${MAX_ENUM_RETRIES} retries)`, options.describe);
      } else if (rc === ERROR_INVALID_SIZE) {
        if (entryIndex + 1 >= entryLayouts.length) {
          throw rasError(rc, `RasEnumEntriesW (no RASENTRYNAMEW size accepted: ${entryLayouts.map((l) => l.size).join(', ')})`, options.describe);
        }
        entryIndex++;
      } else if (rc === 0) {
        return decodeRasEntryNames(entryBuf, count[0]!, entryLayouts[entryIndex]!);
      } else {
        throw rasError(rc, 'RasEnumEntriesW', options.describe);
      }
      const stride = entryLayouts[entryIndex]!.size;
      const need = Math.max(cb[0]!, count[0]! * stride, stride);
      if (entryBuf.length < need) entryBuf = Buffer.alloc(need);
      entryBuf.writeUInt32LE(stride, 0); // only the first struct's dwSize is read
      cb[0] = entryBuf.length;
      rc = ras.RasEnumEntriesW(null, null, entryBuf, cb, count);
    }
  }

  async function listEntries(): Promise<SourceEntry[]> {
    const records = enumerate();
    const next = new Map<string, RasEntryRecord>();
    // The user's book first: with the same name in both, the user's entry is the one dialled (as rasdial does).
    for (const record of [...records].sort((a, b) => Number(a.allUsers) - Number(b.allUsers))) {
      if (!next.has(record.name)) next.set(record.name, record);
    }
    known = next;
    return [...next.values()].map((record) => ({
      name: record.name,
      scope: record.allUsers ? 'allUsers' : 'user',
      // RasEnumEntriesW does not say the device type (RasGetEntryProperties would): phone-book entries are, by
      // far, VPNs today, and the row's icon is all this drives.
      kind: 'vpn',
      phonebook: record.phonebook === '' ? null : record.phonebook,
      ...keepBlockedEntry(record),
    }));
  }

  /**
   * Keep connected (issue 26) redials without anyone at the keyboard, so only an entry with a saved password
   * can be kept: RasGetEntryDialParamsW's lpfPassword "is TRUE if the system has saved a password for the
   * specified entry. If the system has no password saved for this entry, lpfPassword is FALSE" (ras.h docs;
   * RasGetCredentialsW's RASCM_Password bit says the same). Without one, a redial would open Windows' connect
   * dialog. The buffer's saved-password placeholder is wiped at once. A failure to ask says nothing either way.
   */
  function keepBlockedEntry(record: RasEntryRecord): { keepBlocked?: string } {
    try {
      const { params, saved } = dialParams(record);
      params.fill(0);
      return saved ? {} : { keepBlocked: 'No saved password: Windows would ask at every redial' };
    } catch {
      return {};
    }
  }

  /** RasGetEntryDialParamsW into a fresh buffer (632: the older RASDIALPARAMSW). The caller zeroes it. */
  function dialParams(record: RasEntryRecord): { params: Buffer; saved: boolean } {
    const ras = bindings();
    const saved = new Int32Array(1);
    for (;;) {
      const layout = paramsLayouts[paramsIndex]!;
      const params = Buffer.alloc(layout.size);
      params.writeUInt32LE(layout.size, 0);
      writeWideField(params, layout, 'szEntryName', record.name);
      const rc: number = ras.RasGetEntryDialParamsW(record.phonebook || null, params, saved);
      if (rc === ERROR_INVALID_SIZE && paramsIndex + 1 < paramsLayouts.length) {
        paramsIndex++;
        continue;
      }
      if (rc !== 0) {
        params.fill(0);
        throw rasError(rc, `RasGetEntryDialParamsW for "${record.name}"`, options.describe);
      }
      return { params, saved: saved[0] !== 0 };
    }
  }

  function failed(connectionId: string | null, code: number | string, message: string): DialProgress {
    return { connectionId, phase: 'failed', detail: typeof code === 'number' ? 'RASCS_Disconnected' : String(code), error: { code, message } };
  }

  /** Windows asks for the credentials itself (RasDialDlgW is modal: it runs on a pool thread, not this one). */
  async function askWindows(record: RasEntryRecord, why: { code: number | string; message: string }): Promise<DialProgress> {
    let dialDlg: KoffiFunction;
    const dialogPath = options.dialogLibraryPath ?? 'rasdlg.dll';
    const wine = wineVersion();
    if (wine !== null) {
      return failed(null, why.code, `${why.message}; Windows' connect dialog cannot be shown here (Wine ${wine}'s ${dialogPath} does not implement RasDialDlgW)`);
    }
    try {
      const dlgLib = koffi.load(dialogPath);
      dialDlg = dlgLib.func('__stdcall', 'RasDialDlgW', 'int32', ['str16', 'str16', 'str16', 'void *']);
    } catch (error) {
      return failed(null, why.code, `${why.message}; Windows' connect dialog cannot be shown here (${dialogPath}: ${(error as Error).message})`);
    }
    const layout = rasDialDlgLayout(HOST_ARCH);
    const info = Buffer.alloc(layout.size);
    info.writeUInt32LE(layout.size, 0);
    const ok = await new Promise<number>((resolve, reject) => {
      dialDlg.async(record.phonebook || null, record.name, null, info, (error: unknown, result: number) => (error ? reject(error) : resolve(result)));
    }).catch((error: unknown) => {
      throw new BackendError('EDIALOG', `RasDialDlgW failed: ${(error as Error).message}`);
    });
    if (ok) return { connectionId: null, phase: 'connected', detail: 'RASCS_Connected', error: null };
    const code = info.readUInt32LE(layout.offsets.dwError!);
    if (code === 0) return { connectionId: null, phase: 'cancelled', detail: 'RasDialDlgW cancelled', error: null };
    return failed(null, code, options.describe(code));
  }

  async function connect(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress> {
    if (!known.has(name)) await listEntries();
    const record = known.get(name);
    if (!record) {
      throw new BackendError(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY, `No phone-book entry named "${name.slice(0, 100)}": ${options.describe(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY)}`);
    }
    const { params, saved } = dialParams(record);
    if (!saved) {
      params.fill(0);
      return askWindows(record, { code: 'ENOCREDENTIALS', message: `No password is saved for "${record.name}"` });
    }
    const ras = bindings();
    const handleOut = Buffer.alloc(8); // HRASCONN: set to NULL before the call, as RasDial requires
    let rc: number;
    try {
      rc = ras.RasDialW(null, record.phonebook || null, params, 1, rasDialNotifier(), handleOut);
    } finally {
      params.fill(0); // the saved-password placeholder lives no longer than the call
    }
    const handle = HOST_ARCH === 'x64' ? handleOut.readBigUInt64LE(0) : BigInt(handleOut.readUInt32LE(0));
    const connectionId = handle === 0n ? null : rasConnectionId(handle);
    if (rc !== 0) {
      // The docs: a handle RasDial returned must be hung up even when the dial failed.
      if (handle !== 0n) ras.RasHangUpW(handle);
      early.delete(handle);
      return failed(connectionId, rc, options.describe(rc));
    }
    const id = connectionId!;
    onProgress({ connectionId: id, phase: 'dialling', detail: 'RASCS_OpenPort', error: null });
    const outcome = await new Promise<DialProgress>((resolve) => {
      // koffi queues RAS's notifications to this thread without holding its event loop open: a process with
      // nothing else to do would exit mid-dial. Keep it alive until the dial ends.
      const keepAlive = setInterval(() => {}, 60_000);
      const dial: Dial = {
        handle,
        cancelled: false,
        finish: (progress) => {
          clearInterval(keepAlive);
          listeners.delete(handle);
          dials.delete(id);
          resolve(progress);
        },
      };
      dials.set(id, dial);
      let lastDetail = 'RASCS_OpenPort'; // what RasDialW's return was reported as
      const notify: Notify = (state, error) => {
        if (dial.cancelled || !dials.has(id)) return; // after RasHangUp nothing is reported
        const detail = rasState(state).detail;
        if (detail === lastDetail && error === 0) return; // the same step again: nothing new to show
        lastDetail = detail;
        if (error !== 0) {
          dial.finish({ connectionId: id, phase: 'failed', detail, error: { code: error, message: options.describe(error) } });
        } else if (state === RASCS_Connected) {
          dial.finish({ connectionId: id, phase: 'connected', detail, error: null });
        } else {
          onProgress({ connectionId: id, phase: 'dialling', detail, error: null });
        }
      };
      listeners.set(handle, notify);
      for (const [state, error] of early.get(handle) ?? []) notify(state, error);
      early.delete(handle);
    });
    if (outcome.phase !== 'failed') return outcome;
    // A failed dial's handle stays allocated until it is hung up (RasDial's docs): release it.
    await options.hangUp(id).catch(() => undefined);
    const code = outcome.error?.code;
    if (typeof code === 'number' && CREDENTIAL_ERRORS.has(code)) return askWindows(record, outcome.error!);
    return outcome;
  }

  async function cancel(connectionId: string): Promise<void> {
    const dial = dials.get(connectionId);
    if (!dial) throw new BackendError('EINVAL', `No dial under way with id ${connectionId}`);
    dial.cancelled = true;
    try {
      await options.hangUp(connectionId);
    } finally {
      // Stopped either way: RasHangUpW was called (a port RAS is still closing is the caller's ECLOSING).
      dial.finish({ connectionId, phase: 'cancelled', detail: 'RASCS_Disconnected', error: null });
    }
  }

  return {
    listEntries,
    connect,
    cancel,
    close() {
      // Dials under way keep going in RAS (a closed app does not hang up what the user asked for); their
      // notifications find the process-wide notifier and no listener.
      for (const dial of dials.values()) listeners.delete(dial.handle);
      dials.clear();
      lib = null;
      api = null;
    },
  };
}
