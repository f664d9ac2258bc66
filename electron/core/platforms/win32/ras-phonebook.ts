/**
 * The RAS phone book and dialler: RasEnumEntriesW (every entry of the user's and the all-users' phone books),
 * RasGetEntryDialParamsW (the entry's saved credentials) and RasDialW with a RasDialFunc1 notifier, progress
 * reported per RASCS_* state and cancellable with RasHangUpW on the handle RasDialW gave. Where no password is
 * saved, or the server rejects the saved one (691 and its kin), Windows' own connect dialog asks
 * (rasphone.exe, its own dialler: WindowsDialer below): Linkwatch never sees, stores or logs a password.
 *
 * Password hygiene: RasGetEntryDialParamsW writes a placeholder for a saved password (a handle RasDialW
 * understands, never the password) into the RASDIALPARAMSW buffer. That buffer lives only for one dial, is
 * zeroed as soon as RasDialW has returned, and nothing read from it but the entry name ever leaves this file.
 */
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import koffi, { type LibraryHandle } from 'koffi';
import { BackendError } from '../../backend-error';
import type { DialProgress, SourceConnection, SourceEntry } from '../source';
import { decodeWideString, rasConnectionId } from './ras-decode';
import { RAS_ENTRIES, enumerateRas } from './ras-enum-bounds';
import { rasError } from './ras-errors';
import { REN_AllUsers, rasDialParamsLayouts, rasEntryNameLayouts } from './ras-phonebook-structs';
import { dialStep } from './ras-dial-step';
import { HOST_ARCH, fieldByteLength, type RasLayout } from './ras-structs';

const ERROR_CANNOT_FIND_PHONEBOOK_ENTRY = 623;
const ERROR_INVALID_SIZE = 632;
const ERROR_DIAL_ALREADY_IN_PROGRESS = 756;
/** RasDial errors that mean "these credentials were refused": ask the user through Windows' dialog. raserror.h:
 * 691 ERROR_AUTHENTICATION_FAILURE, 648 ERROR_PASSWD_EXPIRED, 709 ERROR_CHANGING_PASSWORD. */
export const CREDENTIAL_ERRORS: ReadonlySet<number> = new Set([691, 648, 709]);

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
const RasDialFunc1 = koffi.proto('__stdcall', 'LinkwatchRasDialFunc1', 'void', ['uintptr_t', 'uint32', 'uint32', 'uint32', 'uint32']);

/** The four rasapi32 functions the phone book and dialler call (a test can stand in for them: `bindings`). */
export interface DialBindings {
  /** DWORD RasEnumEntriesW(LPCWSTR reserved, LPCWSTR lpszPhonebook, LPRASENTRYNAMEW, LPDWORD lpcb, LPDWORD lpcEntries) */
  RasEnumEntriesW: (reserved: null, phonebook: string | null, buf: Buffer | null, cb: Uint32Array, count: Uint32Array) => number;
  /** DWORD RasGetEntryDialParamsW(LPCWSTR lpszPhonebook, LPRASDIALPARAMSW, LPBOOL lpfPassword) */
  RasGetEntryDialParamsW: (phonebook: string | null, params: Buffer, saved: Int32Array) => number;
  /** DWORD RasDialW(LPRASDIALEXTENSIONS, LPCWSTR lpszPhonebook, LPRASDIALPARAMSW, DWORD dwNotifierType, LPVOID lpvNotifier, LPHRASCONN) */
  RasDialW: (extensions: null, phonebook: string | null, params: Buffer, notifierType: number, notifier: unknown, handle: Buffer) => number;
  /** DWORD RasHangUpW(HRASCONN) */
  RasHangUpW: (handle: bigint) => number;
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
 * Where no password is saved, or the server refused the saved one, Windows asks the user. Linkwatch hands
 * that to Windows' own dialler, `rasphone.exe -d "<entry>"` (present on Windows 10 and 11; `-f <file>` names
 * the entry's phone book), rather than calling RasDialDlgW itself. Why: RasDialDlgW is modal Win32 UI with no
 * owner window here; called through koffi's async call it would run on a libuv pool thread with koffi's
 * 128 KiB async stack (credential and EAP UI are deep), hold that thread while open, and open without focus
 * from a background process. rasphone.exe is a process of its own that owns its window, the credential and
 * EAP prompts, their stack and their message loop, and the dial itself.
 *
 * What the user sees: Windows' "Connect <entry>" dialog with the user name and password fields (and "Save
 * this user name and password"), then its dialling progress; on success it closes and the row turns
 * connected; on an error rasphone shows Windows' own message and offers Redial. The dialog is started by the
 * core process, which does not own the foreground: Windows' foreground lock may open it behind the active
 * window, its taskbar button flashing (not verifiable without a real Windows: README, Windows section).
 */
export interface WindowsDialer {
  command: string;
  args(entry: string, phonebook: string): string[];
}

/** rasphone.exe in System32 when it is there (not under Wine, not off Windows), else null. */
export function rasphoneDialer(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform, exists: (path: string) => boolean = existsSync): WindowsDialer | null {
  if (platform !== 'win32') return null;
  const command = `${env.SystemRoot ?? env.windir ?? 'C:\\Windows'}\\System32\\rasphone.exe`;
  if (!exists(command)) return null;
  return { command, args: (entry, phonebook) => [...(phonebook ? ['-f', phonebook] : []), '-d', entry] };
}

/**
 * Whether this "Windows" is Wine (its ntdll says so), to say why Windows' dialog is missing: Wine has no
 * rasphone.exe (and its rasdlg.dll's RasDialDlgW is a stub that aborts the process: measured, Wine 8).
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

/** The live connection of a phone-book entry: same name, same book (RASCONNW.szPhonebook; Windows paths
 * compare without case), still up or coming up (a failed dial's handle lingers, disconnected, until hung up). */
function isEntrysConnection(connection: SourceConnection, record: RasEntryRecord): boolean {
  if (connection.name !== record.name || connection.state === 'disconnected') return false;
  return connection.phonebook === null || record.phonebook === '' || connection.phonebook.toLowerCase() === record.phonebook.toLowerCase();
}

export interface RasPhonebookOptions {
  libraryPath: string;
  /** The RAS message for a code (the library's RasGetErrorStringW, else the built-in table). */
  describe: (code: number) => string;
  /** Hang up a connection and wait until it is gone (ras-source.ts's hangUp). */
  hangUp: (connectionId: string) => Promise<void>;
  /** RAS's connections now (ras-source.ts's read, without counters): connect answers from it first. */
  live: () => Promise<SourceConnection[]>;
  /** Windows' own dialler, or a stand-in (tests); null: none here. Default: rasphone.exe where it exists. */
  windowsDialer?: WindowsDialer | null;
  /** Tests: functions standing in for the library's (the unit tier's property tests model a lying library). */
  bindings?: DialBindings;
}

export interface RasPhonebook {
  listEntries(): Promise<SourceEntry[]>;
  connect(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress>;
  cancel(connectionId: string): Promise<void>;
  /** Cancel every dial in progress and wait (bounded by hangUp's own wait) until RAS has released each handle. */
  shutdown(): Promise<void>;
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
  /** The entries of the last enumeration, by name: connect() dials only what it listed. */
  let known = new Map<string, RasEntryRecord>();
  const dials = new Map<string, Dial>();

  function bindings(): DialBindings {
    if (api) return api;
    if (options.bindings) return (api = options.bindings);
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

  /** RasEnumEntriesW (NULL phone book: both books) through the enumerate loop the connections use too. */
  function enumerate(): RasEntryRecord[] {
    const ras = bindings();
    const done = enumerateRas(
      {
        kind: RAS_ENTRIES,
        strides: entryLayouts.map((layout) => layout.size),
        call: (buf, lpcb, lpcEntries) => ras.RasEnumEntriesW(null, null, buf, lpcb, lpcEntries),
        buffer: (bytes) => (entryBuf.length >= bytes ? entryBuf : (entryBuf = Buffer.alloc(bytes))),
        describe: options.describe,
      },
      entryIndex,
    );
    entryIndex = done.strideIndex;
    return done.count === 0 ? [] : decodeRasEntryNames(done.buf!, done.count, entryLayouts[entryIndex]!);
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

  /**
   * Windows asks for the credentials itself, in its own dialler: `rasphone.exe -d "<entry>"` (see
   * WindowsDialer). Linkwatch waits for it to close (no deadline: the user's time), then answers from the live
   * list: the entry connected, or not (rasphone showed any error to the user itself; its exit code is not
   * documented, so it is not read).
   */
  async function askWindows(record: RasEntryRecord, why: { code: number | string; message: string }, onProgress: (progress: DialProgress) => void): Promise<DialProgress> {
    const dialer = options.windowsDialer === undefined ? rasphoneDialer() : options.windowsDialer;
    if (!dialer) {
      const wine = wineVersion();
      const where = wine === null ? 'no rasphone.exe on this system' : `Wine ${wine} has no rasphone.exe`;
      return failed(null, why.code, `${why.message}; Windows' connect dialog cannot be shown here (${where})`);
    }
    onProgress({ connectionId: null, phase: 'dialling', detail: "Windows' dialog (rasphone)", error: null });
    const args = dialer.args(record.name, record.phonebook);
    await new Promise<void>((resolve, reject) => {
      const child = spawn(dialer.command, args, { stdio: 'ignore', windowsHide: false });
      child.once('error', (error) => reject(new BackendError('EDIALOG', `${dialer.command} could not be started: ${error.message}`)));
      child.once('exit', () => resolve());
    });
    const live = (await options.live()).find((c) => isEntrysConnection(c, record));
    if (live?.state === 'connected') return { connectionId: live.id, phase: 'connected', detail: 'RASCS_Connected', error: null };
    return { connectionId: live?.id ?? null, phase: 'cancelled', detail: "Windows' dialog closed without connecting", error: null };
  }

  /** Dials under way by entry name: a second connect of the same entry follows the first one. */
  const underWay = new Map<string, { outcome: Promise<DialProgress>; watchers: Set<(progress: DialProgress) => void> }>();

  /**
   * Connect the entry `name`. RasDial on an entry that is connected succeeds and adds a reference that needs its
   * own RasHangUp (RasDial's docs), so one Disconnect would no longer end the connection; on an entry being
   * dialled it fails with 756. So the live list answers first: connected → that connection, no dial; our own
   * dial under way → follow it; another program's dial under way → 756, without a second RasDial.
   */
  async function connect(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress> {
    const joined = underWay.get(name);
    if (joined) {
      joined.watchers.add(onProgress);
      return joined.outcome;
    }
    const watchers = new Set([onProgress]);
    const outcome = dialEntry(name, (progress) => {
      for (const watcher of [...watchers]) watcher(progress);
    });
    const mine = { outcome, watchers };
    underWay.set(name, mine);
    try {
      return await outcome;
    } finally {
      if (underWay.get(name) === mine) underWay.delete(name);
    }
  }

  async function dialEntry(name: string, onProgress: (progress: DialProgress) => void): Promise<DialProgress> {
    if (!known.has(name)) await listEntries();
    const record = known.get(name);
    if (!record) {
      throw new BackendError(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY, `No phone-book entry named "${name.slice(0, 100)}": ${options.describe(ERROR_CANNOT_FIND_PHONEBOOK_ENTRY)}`);
    }
    const live = (await options.live()).find((c) => isEntrysConnection(c, record));
    if (live?.state === 'connected') return { connectionId: live.id, phase: 'connected', detail: 'already connected', error: null };
    if (live) {
      const code = ERROR_DIAL_ALREADY_IN_PROGRESS;
      return { connectionId: live.id, phase: 'failed', detail: live.stateDetail, error: { code, message: `${options.describe(code)}: "${record.name}" is at ${live.stateDetail}, dialled by another program` } };
    }
    const { params, saved } = dialParams(record);
    if (!saved) {
      params.fill(0);
      return askWindows(record, { code: 'ENOCREDENTIALS', message: `No password is saved for "${record.name}"` }, onProgress);
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
      early.delete(handle);
      // The docs: a handle RasDial returned must be hung up even when the dial failed, and (RasHangUp's docs)
      // waited for until it is gone, or a retry right after finds the port still busy.
      if (connectionId) await options.hangUp(connectionId).catch(() => undefined);
      return failed(connectionId, rc, options.describe(rc));
    }
    if (connectionId === null) {
      // RasDialW's contract: success writes the connection's handle. Without one there is nothing to follow,
      // cancel or hang up: waiting for notifications would wait forever (issue 28).
      throw new BackendError('EPROTO', `RasDialW reported success for "${record.name}" but gave no connection handle: the RAS library's answer is not usable`);
    }
    const id = connectionId;
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
        if (dial.cancelled || !dials.has(id)) return; // after RasHangUp, or the end, nothing is reported
        const step = dialStep(lastDetail, state, error);
        if (step.kind === 'same') return;
        lastDetail = step.detail;
        if (step.kind === 'failed') {
          const message = typeof step.code === 'number' ? options.describe(step.code) : `RAS ended the dial at ${step.detail} without an error code`;
          dial.finish({ connectionId: id, phase: 'failed', detail: step.detail, error: { code: step.code, message } });
        } else if (step.kind === 'connected') {
          dial.finish({ connectionId: id, phase: 'connected', detail: step.detail, error: null });
        } else {
          onProgress({ connectionId: id, phase: 'dialling', detail: step.detail, error: null });
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
    if (typeof code === 'number' && CREDENTIAL_ERRORS.has(code)) return askWindows(record, outcome.error!, onProgress);
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

  /**
   * A dial's state machine runs on a thread of this process (RasDial's docs; XP's asyncm.c), so a dial cannot
   * outlive it: when the process goes, the dial dies half-way, with RAS's port possibly left allocated. So
   * before exiting, hang up each dial in progress and wait for its handle to go (RasHangUp's docs: until
   * RasGetConnectStatus says ERROR_INVALID_HANDLE, about 3 s at most), all of them at once.
   */
  async function shutdown(): Promise<void> {
    await Promise.all([...dials.keys()].map((connectionId) => cancel(connectionId).catch(() => undefined)));
  }

  return {
    listEntries,
    connect,
    cancel,
    shutdown,
    close() {
      // shutdown() has hung up the dials it could; any left (close without shutdown) lose their listener, and
      // RAS's late notifications find the process-wide notifier and nothing to call.
      for (const dial of dials.values()) listeners.delete(dial.handle);
      dials.clear();
      lib = null;
      api = null;
    },
  };
}
