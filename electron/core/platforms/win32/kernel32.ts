import koffi, { type KoffiFunc, type LibraryHandle } from 'koffi';
import { BackendError } from '../../backend-error';

/**
 * The kernel32 event functions RAS push notifications need (synchapi.h / handleapi.h; WINAPI). On Windows they
 * come from kernel32.dll. Off Windows there is no kernel32: the library that stands in for rasapi32
 * (LINKWATCH_RASAPI, the test fake) must provide the same five functions, with the same contract, or push is
 * unavailable there and the monitor polls.
 *
 * HANDLEs are passed as `uintptr_t` numbers so that they can be written into the array WaitForMultipleObjects
 * reads. WaitForMultipleObjects is called through koffi's `.async` only: it blocks, and must block a koffi
 * worker thread, never the caller's.
 */
export interface Kernel32Events {
  readonly source: string;
  /** HANDLE CreateEventW(LPSECURITY_ATTRIBUTES, BOOL bManualReset, BOOL bInitialState, LPCWSTR lpName): 0 on failure. */
  CreateEventW(attributes: null, manualReset: number, initialState: number, name: null): number | bigint;
  /** BOOL SetEvent(HANDLE) */
  SetEvent(handle: number | bigint): number;
  /** BOOL CloseHandle(HANDLE) */
  CloseHandle(handle: number | bigint): number;
  /** DWORD WaitForMultipleObjects(DWORD nCount, const HANDLE *lpHandles, BOOL bWaitAll, DWORD dwMilliseconds): `.async` only. */
  WaitForMultipleObjects: KoffiFunc<(nCount: number, lpHandles: Buffer, bWaitAll: number, dwMilliseconds: number) => number>;
}

export const WAIT_OBJECT_0 = 0;
export const WAIT_TIMEOUT = 258;
export const WAIT_FAILED = 0xffffffff;

/**
 * Bind the event functions: from kernel32.dll on Windows, else from `rasLibraryPath` (its stand-in). Throws
 * BackendError ENOTSUP when they are not there. The library stays loaded for the life of the process.
 */
export function loadKernel32Events(rasLibraryPath: string, platform: string = process.platform): Kernel32Events {
  const path = platform === 'win32' ? 'kernel32.dll' : rasLibraryPath;
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
    return {
      source: path,
      CreateEventW: lib.func('__stdcall', 'CreateEventW', 'uintptr_t', ['void *', 'int', 'int', 'void *']),
      SetEvent: lib.func('__stdcall', 'SetEvent', 'int', ['uintptr_t']),
      CloseHandle: lib.func('__stdcall', 'CloseHandle', 'int', ['uintptr_t']),
      WaitForMultipleObjects: lib.func('__stdcall', 'WaitForMultipleObjects', 'uint32', ['uint32', 'void *', 'int', 'uint32']),
    };
  } catch (error) {
    throw new BackendError('ENOTSUP', `No kernel32 event functions in ${path}: ${(error as Error).message}`, { cause: error });
  }
}
