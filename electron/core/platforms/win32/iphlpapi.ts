import koffi, { type LibraryHandle } from 'koffi';
import { BackendError } from '../../backend-error';

/**
 * The iphlpapi functions Linkwatch calls (iphlpapi.h / netioapi.h prototypes, Vista+; WINAPI and
 * NETIOAPI_API_ = __stdcall on x86, ignored elsewhere). Every one is bound when the library loads: a library
 * without them is not one the adapter backend can read.
 *
 * Pointer parameters take a Buffer or Uint32Array reused by the caller: koffi passes their memory directly.
 */
export interface Iphlpapi {
  readonly path: string;
  /** ULONG GetAdaptersAddresses(ULONG Family, ULONG Flags, PVOID Reserved, PIP_ADAPTER_ADDRESSES AdapterAddresses, PULONG SizePointer) */
  GetAdaptersAddresses(family: number, flags: number, reserved: null, adapterAddresses: Buffer | null, sizePointer: Uint32Array): number;
  /** NETIO_STATUS GetIfEntry2(PMIB_IF_ROW2 Row) */
  GetIfEntry2(row: Buffer): number;
  /** NETIO_STATUS NotifyIpInterfaceChange(ADDRESS_FAMILY, PIPINTERFACE_CHANGE_CALLBACK, PVOID, BOOLEAN, HANDLE *) */
  NotifyIpInterfaceChange(family: number, callback: bigint, context: null, initial: number, handle: Buffer): number;
  /** NETIO_STATUS NotifyUnicastIpAddressChange(ADDRESS_FAMILY, PUNICAST_IPADDRESS_CHANGE_CALLBACK, PVOID, BOOLEAN, HANDLE *) */
  NotifyUnicastIpAddressChange(family: number, callback: bigint, context: null, initial: number, handle: Buffer): number;
  /**
   * NETIO_STATUS CancelMibChangeNotify2(HANDLE), run on koffi's worker thread (`.async`): it waits until no
   * callback of the registration runs, and a callback waits for this (JS) thread, so calling it here
   * synchronously could deadlock.
   */
  CancelMibChangeNotify2Async(handle: bigint, done: (error: unknown, rc: number) => void): void;
  unload(): void;
}

/**
 * `VOID (NETIOAPI_API_ *PIPINTERFACE_CHANGE_CALLBACK)(PVOID CallerContext, PMIB_IPINTERFACE_ROW Row,
 * MIB_NOTIFICATION_TYPE NotificationType)`; the unicast-address callback has the same shape. Declared once.
 */
export const MibChangeCallback = koffi.proto('__stdcall', 'LinkwatchMibChangeCallback', 'void', ['void *', 'void *', 'int']);

export const AF_UNSPEC = 0;
/** iptypes.h GAA_FLAG_*: what Linkwatch does not need is skipped (it costs the OS time and buffer space). */
export const GAA_FLAG_SKIP_ANYCAST = 0x2;
export const GAA_FLAG_SKIP_MULTICAST = 0x4;
export const GAA_FLAG_SKIP_DNS_SERVER = 0x8;
/** Never passed: it adds hidden adapters (WAN miniports, filter drivers) that are no connection. */
export const GAA_FLAG_INCLUDE_ALL_INTERFACES = 0x100;

export const NO_ERROR = 0;
export const ERROR_FILE_NOT_FOUND = 2;
export const ERROR_NOT_ENOUGH_MEMORY = 8;
export const ERROR_INVALID_PARAMETER = 87;
export const ERROR_BUFFER_OVERFLOW = 111;
export const ERROR_NO_DATA = 232;

/** Load `path` and bind the functions. Throws BackendError ELOAD, naming the path, when it cannot. */
export function loadIphlpapi(path: string): Iphlpapi {
  let lib: LibraryHandle;
  try {
    lib = koffi.load(path);
  } catch (error) {
    throw new BackendError('ELOAD', `Cannot load the IP helper library ${path}: ${(error as Error).message}`, { cause: error });
  }
  try {
    const callback = koffi.pointer(MibChangeCallback);
    const getAdaptersAddresses = lib.func('__stdcall', 'GetAdaptersAddresses', 'uint32', ['uint32', 'uint32', 'void *', 'void *', 'uint32 *']);
    const getIfEntry2 = lib.func('__stdcall', 'GetIfEntry2', 'uint32', ['void *']);
    const notifyInterface = lib.func('__stdcall', 'NotifyIpInterfaceChange', 'uint32', ['uint16', callback, 'void *', 'uint8', 'void *']);
    const notifyAddress = lib.func('__stdcall', 'NotifyUnicastIpAddressChange', 'uint32', ['uint16', callback, 'void *', 'uint8', 'void *']);
    const cancel = lib.func('__stdcall', 'CancelMibChangeNotify2', 'uint32', ['void *']);
    return {
      path,
      GetAdaptersAddresses: getAdaptersAddresses,
      GetIfEntry2: getIfEntry2,
      NotifyIpInterfaceChange: notifyInterface,
      NotifyUnicastIpAddressChange: notifyAddress,
      CancelMibChangeNotify2Async: (handle, done) => cancel.async(handle, done),
      unload: () => lib.unload(),
    };
  } catch (error) {
    lib.unload();
    throw new BackendError('ELOAD', `The IP helper library ${path} lacks a required function: ${(error as Error).message}`, { cause: error });
  }
}
