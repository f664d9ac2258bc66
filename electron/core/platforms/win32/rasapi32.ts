import koffi, { type LibraryHandle } from 'koffi';
import { BackendError } from '../../backend-error';

/**
 * The rasapi32 functions Linkwatch calls (ras.h prototypes, WINAPI = __stdcall on x86, ignored elsewhere).
 * The two every read needs are bound when the library loads; the others are looked up on first use and may
 * be absent (a stripped-down or older library, or Wine, which lacks RasGetProjectionInfoEx): callers then
 * degrade that one field (built-in messages, no hang-up, no counters, no addresses, polling).
 *
 * Pointer parameters take a Buffer or Uint32Array reused by the caller: koffi passes their memory directly,
 * so the _Inout_ DWORDs are read back from the same array without a copy.
 */
export interface Rasapi32 {
  readonly path: string;
  /** DWORD RasEnumConnectionsW(LPRASCONNW lprasconn, LPDWORD lpcb, LPDWORD lpcConnections) */
  RasEnumConnectionsW(lprasconn: Buffer | null, lpcb: Uint32Array, lpcConnections: Uint32Array): number;
  /** DWORD RasGetConnectStatusW(HRASCONN hrasconn, LPRASCONNSTATUSW lprasconnstatus) */
  RasGetConnectStatusW(hrasconn: bigint, lprasconnstatus: Buffer): number;
  /** DWORD RasGetErrorStringW(UINT ResourceId, LPWSTR lpszString, DWORD InBufSize /* in WCHARs *\/); null when absent. */
  RasGetErrorStringW(): ((resourceId: number, lpszString: Buffer, cchBuf: number) => number) | null;
  /** DWORD RasHangUpW(HRASCONN hrasconn); null when absent. */
  RasHangUpW(): ((hrasconn: bigint) => number) | null;
  /** DWORD RasConnectionNotificationW(HRASCONN hrasconn, HANDLE hEvent, DWORD dwFlags) (WINVER 0x400); null when absent. */
  RasConnectionNotificationW(): ((hrasconn: bigint, hEvent: number | bigint, dwFlags: number) => number) | null;
  /** DWORD RasGetConnectionStatistics(HRASCONN hRasConn, RAS_STATS *lpStatistics) (WINVER 0x500); null when absent. */
  RasGetConnectionStatistics(): ((hrasconn: bigint, lpStatistics: Buffer) => number) | null;
  /** DWORD RasGetProjectionInfoW(HRASCONN, RASPROJECTION, LPVOID lpprojection, LPDWORD lpcb); null when absent. */
  RasGetProjectionInfoW(): ((hrasconn: bigint, rasprojection: number, lpprojection: Buffer | null, lpcb: Uint32Array) => number) | null;
  /** DWORD RasGetProjectionInfoEx(HRASCONN, PRAS_PROJECTION_INFO, LPDWORD lpdwSize) (Windows 7); null when absent. */
  RasGetProjectionInfoEx(): ((hrasconn: bigint, pRasProjection: Buffer | null, lpdwSize: Uint32Array) => number) | null;
  unload(): void;
}

export function lazy<T>(lookup: () => T): () => T | null {
  let looked = false;
  let value: T | null = null;
  return () => {
    if (!looked) {
      looked = true;
      try {
        value = lookup();
      } catch {
        value = null; // koffi: "Cannot find function … in shared library"
      }
    }
    return value;
  };
}

/** Load `path` and bind the eager functions. Throws BackendError ELOAD, naming the path, when it cannot. */
export function loadRasapi32(path: string): Rasapi32 {
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (error) {
    throw new BackendError('ELOAD', `Cannot load the RAS library ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const enumConnections = lib.func('__stdcall', 'RasEnumConnectionsW', 'uint32', ['void *', 'uint32 *', 'uint32 *']);
    const getConnectStatus = lib.func('__stdcall', 'RasGetConnectStatusW', 'uint32', ['void *', 'void *']);
    return {
      path,
      RasEnumConnectionsW: enumConnections,
      RasGetConnectStatusW: getConnectStatus,
      RasGetErrorStringW: lazy(() => lib.func('__stdcall', 'RasGetErrorStringW', 'uint32', ['uint32', 'void *', 'uint32'])),
      RasHangUpW: lazy(() => lib.func('__stdcall', 'RasHangUpW', 'uint32', ['void *'])),
      RasConnectionNotificationW: lazy(() => lib.func('__stdcall', 'RasConnectionNotificationW', 'uint32', ['void *', 'uintptr_t', 'uint32'])),
      RasGetConnectionStatistics: lazy(() => lib.func('__stdcall', 'RasGetConnectionStatistics', 'uint32', ['void *', 'void *'])),
      RasGetProjectionInfoW: lazy(() => lib.func('__stdcall', 'RasGetProjectionInfoW', 'uint32', ['void *', 'uint32', 'void *', 'uint32 *'])),
      RasGetProjectionInfoEx: lazy(() => lib.func('__stdcall', 'RasGetProjectionInfoEx', 'uint32', ['void *', 'void *', 'uint32 *'])),
      unload: () => lib.unload(),
    };
  } catch (error) {
    lib.unload();
    throw new BackendError('ELOAD', `The RAS library ${path} lacks a required function: ${(error as Error).message}`, { cause: error });
  }
}
