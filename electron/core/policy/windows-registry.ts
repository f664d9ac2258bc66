/**
 * The Windows policy key, read through advapi32 (winreg.h; WINAPI). Runs in the core process only: nothing
 * native is loaded in the app's main process.
 *
 *   HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Linkwatch               values lock settings
 *   HKEY_LOCAL_MACHINE\SOFTWARE\Policies\Linkwatch\Recommended   values preset them
 *
 * The conventional place for machine policy (what Group Policy's administrative templates write, and where
 * Chrome, Firefox and WireGuard read theirs); only administrators can write under HKLM\SOFTWARE\Policies.
 */
import koffi, { type LibraryHandle } from 'koffi';
import { BackendError } from '../backend-error';
import { decodeRegistryValue, type RegistryData } from './registry-values';

export const POLICY_KEY = 'SOFTWARE\\Policies\\Linkwatch';
export const RECOMMENDED_SUBKEY = 'Recommended';
export const POLICY_KEY_DISPLAY = `HKEY_LOCAL_MACHINE\\${POLICY_KEY}`;

/** winreg.h: HKEY_LOCAL_MACHINE is ((HKEY)(ULONG_PTR)((LONG)0x80000002)): sign-extended to the pointer width. */
const HKEY_LOCAL_MACHINE = koffi.sizeof('void *') === 8 ? 0xffff_ffff_8000_0002n : 0x8000_0002n;
/** winnt.h: KEY_READ (STANDARD_RIGHTS_READ | KEY_QUERY_VALUE | KEY_ENUMERATE_SUB_KEYS | KEY_NOTIFY). */
const KEY_READ = 0x20019;
/**
 * KEY_WOW64_64KEY: a 32-bit process reads the 64-bit view, where an administrator's `reg add` and Group
 * Policy write (Microsoft: "Accessing an Alternate Registry View").
 */
const KEY_WOW64_64KEY = 0x0100;
const ERROR_SUCCESS = 0;
const ERROR_FILE_NOT_FOUND = 2;
const ERROR_MORE_DATA = 234;
const ERROR_NO_MORE_ITEMS = 259;
/** Registry element size limits (Microsoft): a value name is at most 16,383 characters. */
const MAX_VALUE_NAME_CHARS = 16_384;
/** Policy values are short; a value larger than this is not one of ours and is reported, not read. */
const MAX_VALUE_BYTES = 64 * 1024;
/** Values of one key read at the most: a policy has a handful; a key with thousands is not a policy. */
const MAX_VALUES = 256;

interface Advapi32 {
  RegOpenKeyExW(hKey: bigint, subKey: string, options: number, sam: number, result: bigint[]): number;
  RegEnumValueW(hKey: bigint, index: number, name: Buffer, nameChars: Uint32Array, reserved: null, type: Uint32Array, data: Buffer, dataBytes: Uint32Array): number;
  RegCloseKey(hKey: bigint): number;
}

let advapi32: Advapi32 | null = null;

function load(): Advapi32 {
  if (advapi32) return advapi32;
  let lib: LibraryHandle;
  try {
    lib = koffi.load('advapi32.dll');
  } catch (error) {
    throw new BackendError('ELOAD', `Cannot load advapi32.dll: ${(error as Error).message}`, { cause: error });
  }
  advapi32 = {
    RegOpenKeyExW: lib.func('__stdcall', 'RegOpenKeyExW', 'long', ['uintptr_t', 'str16', 'uint32', 'uint32', koffi.out(koffi.pointer('uintptr_t'))]),
    RegEnumValueW: lib.func('__stdcall', 'RegEnumValueW', 'long', ['uintptr_t', 'uint32', 'void *', 'uint32 *', 'void *', 'uint32 *', 'void *', 'uint32 *']),
    RegCloseKey: lib.func('__stdcall', 'RegCloseKey', 'long', ['uintptr_t']),
  };
  return advapi32;
}

/** The values of one key, by name; null when the key does not exist. Problems (a value too large) are noted. */
function readKey(api: Advapi32, subKey: string, problems: string[]): Record<string, RegistryData> | null {
  const handle: bigint[] = [0n];
  const opened = api.RegOpenKeyExW(HKEY_LOCAL_MACHINE, subKey, 0, KEY_READ | KEY_WOW64_64KEY, handle);
  if (opened === ERROR_FILE_NOT_FOUND) return null;
  if (opened !== ERROR_SUCCESS) throw new BackendError(opened, `RegOpenKeyExW(HKEY_LOCAL_MACHINE\\${subKey}) failed (${opened})`);
  const key = BigInt(handle[0] ?? 0n);
  try {
    const values: Record<string, RegistryData> = Object.create(null) as Record<string, RegistryData>;
    const name = Buffer.alloc(MAX_VALUE_NAME_CHARS * 2);
    const nameChars = new Uint32Array(1);
    const type = new Uint32Array(1);
    const size = new Uint32Array(1);
    let data = Buffer.alloc(256);
    for (let index = 0; index < MAX_VALUES; ) {
      nameChars[0] = MAX_VALUE_NAME_CHARS;
      size[0] = data.length;
      const rc = api.RegEnumValueW(key, index, name, nameChars, null, type, data, size);
      if (rc === ERROR_NO_MORE_ITEMS) return values;
      if (rc === ERROR_MORE_DATA) {
        // The data needs `size` bytes (RegEnumValue's documentation): grow once and ask for the same index.
        const needed = size[0] ?? 0;
        if (needed <= data.length || needed > MAX_VALUE_BYTES) {
          problems.push(`a value under HKEY_LOCAL_MACHINE\\${subKey} is larger than ${MAX_VALUE_BYTES} bytes and is ignored`);
          index += 1;
          continue;
        }
        data = Buffer.alloc(needed);
        continue;
      }
      if (rc !== ERROR_SUCCESS) throw new BackendError(rc, `RegEnumValueW(HKEY_LOCAL_MACHINE\\${subKey}, ${index}) failed (${rc})`);
      const valueName = name.toString('utf16le', 0, Math.min(nameChars[0] ?? 0, MAX_VALUE_NAME_CHARS) * 2);
      values[valueName] = decodeRegistryValue(type[0] ?? 0, data.subarray(0, Math.min(size[0] ?? 0, data.length)));
      index += 1;
    }
    problems.push(`HKEY_LOCAL_MACHINE\\${subKey} has more than ${MAX_VALUES} values; the rest are ignored`);
    return values;
  } finally {
    api.RegCloseKey(key);
  }
}

/**
 * The policy key's values with `Recommended`'s as a nested record (the shape parsePolicy reads), or null
 * when the machine has no Linkwatch policy key. Throws BackendError when the registry cannot be read.
 */
export function readRegistryPolicy(problems: string[]): Record<string, unknown> | null {
  const api = load();
  const locked = readKey(api, POLICY_KEY, problems);
  if (locked === null) return null;
  const recommended = readKey(api, `${POLICY_KEY}\\${RECOMMENDED_SUBKEY}`, problems);
  const record: Record<string, unknown> = { ...locked };
  if (recommended !== null) record[RECOMMENDED_SUBKEY] = recommended;
  return record;
}

/** winnt.h: KEY_NOTIFY, the right RegNotifyChangeKeyValue needs. */
const KEY_NOTIFY = 0x0010;
/** winnt.h REG_NOTIFY_CHANGE_*: a value or subkey added, removed or changed. */
const REG_NOTIFY_CHANGE_NAME = 0x1;
const REG_NOTIFY_CHANGE_LAST_SET = 0x4;
/** winbase.h: the wait never times out. */
const INFINITE = 0xffffffff;
/** winnt.h WT_EXECUTEDEFAULT: the callback runs on a thread of the system's wait pool. */
const WT_EXECUTEDEFAULT = 0x0;
/** WAITORTIMERCALLBACK: VOID CALLBACK (PVOID lpParameter, BOOLEAN TimerOrWaitFired). */
const WaitCallback = koffi.proto('__stdcall', 'LinkwatchPolicyWaitCallback', 'void', ['void *', 'uint8']);

interface Notifier {
  RegOpenKeyExW: Advapi32['RegOpenKeyExW'];
  RegCloseKey: Advapi32['RegCloseKey'];
  RegNotifyChangeKeyValue(hKey: bigint, watchSubtree: number, filter: number, event: bigint, asynchronous: number): number;
  CreateEventW(attributes: null, manualReset: number, initialState: number, name: null): bigint;
  CloseHandle(handle: bigint): number;
  RegisterWaitForSingleObject(newWaitObject: bigint[], object: bigint, callback: unknown, context: null, milliseconds: number, flags: number): number;
  UnregisterWait(waitHandle: bigint): number;
}

let notifier: Notifier | null = null;

function loadNotifier(): Notifier {
  if (notifier) return notifier;
  const api = load();
  let kernel32: LibraryHandle;
  let registry: LibraryHandle;
  try {
    kernel32 = koffi.load('kernel32.dll');
    registry = koffi.load('advapi32.dll');
  } catch (error) {
    throw new BackendError('ELOAD', `Cannot load kernel32.dll/advapi32.dll: ${(error as Error).message}`, { cause: error });
  }
  notifier = {
    RegOpenKeyExW: api.RegOpenKeyExW,
    RegCloseKey: api.RegCloseKey,
    RegNotifyChangeKeyValue: registry.func('__stdcall', 'RegNotifyChangeKeyValue', 'long', ['uintptr_t', 'int', 'uint32', 'uintptr_t', 'int']),
    CreateEventW: kernel32.func('__stdcall', 'CreateEventW', 'uintptr_t', ['void *', 'int', 'int', 'void *']),
    CloseHandle: kernel32.func('__stdcall', 'CloseHandle', 'int', ['uintptr_t']),
    RegisterWaitForSingleObject: kernel32.func('__stdcall', 'RegisterWaitForSingleObject', 'int', [
      koffi.out(koffi.pointer('uintptr_t')),
      'uintptr_t',
      koffi.pointer(WaitCallback),
      'void *',
      'uint32',
      'uint32',
    ]),
    UnregisterWait: kernel32.func('__stdcall', 'UnregisterWait', 'int', ['uintptr_t']),
  };
  return notifier;
}

/**
 * Call `onChange` after anything under HKLM\SOFTWARE\Policies changes (our key may not exist yet, and
 * Group Policy may create it later, so its parent is watched, subtree included). RegNotifyChangeKeyValue
 * signals an event once per registration (its documentation: call it again for the next change), and the
 * event is waited for by the system's wait pool (RegisterWaitForSingleObject), not by one of libuv's few
 * threads, so nothing here wakes while nothing changes. koffi runs the callback on this thread. Throws
 * BackendError when the watch cannot be set up (the policy read at start then stays in force).
 */
export function watchRegistryPolicy(onChange: () => void): () => void {
  const api = loadNotifier();
  const handle: bigint[] = [0n];
  const parent = 'SOFTWARE\\Policies';
  const opened = api.RegOpenKeyExW(HKEY_LOCAL_MACHINE, parent, 0, KEY_NOTIFY | KEY_WOW64_64KEY, handle);
  if (opened !== ERROR_SUCCESS) throw new BackendError(opened, `RegOpenKeyExW(HKEY_LOCAL_MACHINE\\${parent}) failed (${opened})`);
  const key = BigInt(handle[0] ?? 0n);
  const event = BigInt(api.CreateEventW(null, 0, 0, null)); // auto-reset
  if (event === 0n) {
    api.RegCloseKey(key);
    throw new BackendError('ENOTSUP', 'CreateEventW failed: the policy is read at start only');
  }
  const arm = (): number => api.RegNotifyChangeKeyValue(key, 1, REG_NOTIFY_CHANGE_NAME | REG_NOTIFY_CHANGE_LAST_SET, event, 1);
  let stopped = false;
  let scheduled = false;
  // From a pool thread, which koffi holds until this thread has run it: only schedule, and return.
  const fired = (): void => {
    if (scheduled) return;
    scheduled = true;
    setImmediate(() => {
      scheduled = false;
      if (stopped) return;
      arm(); // before reading: a change during the read signals again
      onChange();
    });
  };
  const callback = koffi.register(fired, koffi.pointer(WaitCallback));
  const armed = arm();
  const wait: bigint[] = [0n];
  if (armed !== ERROR_SUCCESS || !api.RegisterWaitForSingleObject(wait, event, callback, null, INFINITE, WT_EXECUTEDEFAULT)) {
    koffi.unregister(callback);
    api.CloseHandle(event);
    api.RegCloseKey(key);
    throw new BackendError(armed !== ERROR_SUCCESS ? armed : 'ENOTSUP', `cannot watch HKEY_LOCAL_MACHINE\\${parent} (${armed}): the policy is read at start only`);
  }
  const waitHandle = BigInt(wait[0] ?? 0n);
  return () => {
    if (stopped) return;
    stopped = true;
    // UnregisterWait does not wait for a callback in flight (UnregisterWaitEx with INVALID_HANDLE_VALUE would,
    // and one in flight waits for this very thread: a deadlock). So the trampoline is not given back: one per
    // process, for a watch that lives as long as the core.
    api.UnregisterWait(waitHandle);
    api.CloseHandle(event);
    api.RegCloseKey(key);
  };
}
