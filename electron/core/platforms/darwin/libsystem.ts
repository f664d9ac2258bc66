/**
 * The libSystem calls the macOS backend makes, declared once, loaded from one library: getifaddrs(3) and
 * freeifaddrs (Libinfo gen.subproj/ifaddrs.h), sysctl(3), and for the push sockets (kernel events, PF_ROUTE)
 * socket(2), ioctl(2) (SIOCSKEVFILT), setsockopt/getsockopt(2) (SO_RCVBUF), recv(2), dup2(2), close(2) (the
 * blocking wait itself is Node's fs.read, socket-reader.ts); memcpy(3) copies the structs out (one call costs ~85 ns here, where
 * koffi.decode of a byte array costs ~700 ns: measured on the fake, test/bench/darwin-snapshot.ts). On a Mac that is /usr/lib/libSystem.B.dylib; LINKWATCH_LIBSYSTEM
 * names another library with the same functions (the contract fake test/fixtures/fake-libsystem.c), which
 * is how the backend runs on Linux in the tests. Darwin numbers throughout (errno, MSG_DONTWAIT, SOL_SOCKET):
 * the fake speaks them too.
 */
import koffi from 'koffi';
import { BackendError } from '../../backend-error';

export const DEFAULT_LIBSYSTEM = '/usr/lib/libSystem.B.dylib';

/** bsd/sys/socket.h */
export const DARWIN_PF_ROUTE = 17;
export const DARWIN_SOCK_RAW = 3;
export const DARWIN_MSG_DONTWAIT = 0x80;
/** bsd/sys/socket.h: SOL_SOCKET is 0xffff on BSDs (1 on Linux), SO_RCVBUF 0x1002. */
export const DARWIN_SOL_SOCKET = 0xffff;
export const DARWIN_SO_RCVBUF = 0x1002;

/** bsd/sys/errno.h: the ones the backend tells apart. */
export const DARWIN_ERRNO = { ENOENT: 2, EINTR: 4, ENOMEM: 12, EAGAIN: 35, ENOBUFS: 55, ENOTCONN: 57 } as const;
const ERRNO_NAMES: ReadonlyMap<number, string> = new Map([
  [1, 'EPERM'],
  [2, 'ENOENT'],
  [4, 'EINTR'],
  [9, 'EBADF'],
  [12, 'ENOMEM'],
  [13, 'EACCES'],
  [22, 'EINVAL'],
  [24, 'EMFILE'],
  [35, 'EAGAIN'],
  [47, 'EAFNOSUPPORT'],
  [55, 'ENOBUFS'],
  [57, 'ENOTCONN'],
  [43, 'EPROTONOSUPPORT'],
  [102, 'EOPNOTSUPP'],
]);

/** A Darwin errno as a BackendError with its name (the host's os.constants may be Linux's: not used). */
export function darwinErrnoError(errno: number, what: string): BackendError {
  const name = ERRNO_NAMES.get(errno) ?? `errno ${errno}`;
  return new BackendError(name, `${what} failed: ${name} (${errno})`);
}

export interface LibSystem {
  readonly path: string;
  /** int getifaddrs(struct ifaddrs **); out[0] receives the list head. */
  getifaddrs(out: [unknown]): number;
  freeifaddrs(list: unknown): void;
  /** int sysctl(int *name, u_int namelen, void *oldp, size_t *oldlenp, void *newp, size_t newlen), read-only use. */
  sysctl(name: Int32Array, old: Buffer, oldLength: BigUint64Array): number;
  socket(domain: number, type: number, protocol: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  /** int ioctl(int fd, unsigned long request, ...) with one pointer argument (variadic on Darwin). */
  ioctl(fd: number, request: number, arg: Buffer): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, length: number): number;
  /** length: a 4-byte socklen_t, in and out. */
  getsockopt(fd: number, level: number, name: number, value: Buffer, length: Buffer): number;
  dup2(from: number, to: number): number;
  close(fd: number): number;
  errno(): number;
  /** A string at a char * (NUL-terminated UTF-8), e.g. ifa_name. */
  stringAt(ptr: unknown): string;
  /** `length` bytes at a pointer, copied (into `into` when given, else a new Buffer). */
  bytesAt(ptr: unknown, length: number, into?: Buffer): Buffer;
  /** The byte at a pointer. */
  byteAt(ptr: unknown): number;
}

const loaded = new Map<string, LibSystem>();

/** Load `path` (once per path) and bind every function. Throws BackendError ELOAD, naming the path, when it cannot. */
export function loadLibSystem(path: string): LibSystem {
  const existing = loaded.get(path);
  if (existing) return existing;
  let lib: ReturnType<typeof koffi.load>;
  try {
    lib = koffi.load(path);
  } catch (error) {
    throw new BackendError('ELOAD', `Cannot load ${path}: ${(error as Error).message}`, { cause: error });
  }
  let api: LibSystem;
  try {
    const getifaddrs = lib.func('int getifaddrs(_Out_ void **out)');
    const freeifaddrs = lib.func('void freeifaddrs(void *list)');
    const sysctl = lib.func('int sysctl(void *name, unsigned int namelen, void *oldp, void *oldlenp, void *newp, uintptr_t newlen)');
    const socket = lib.func('int socket(int domain, int type, int protocol)');
    const recv = lib.func('intptr_t recv(int fd, void *buf, uintptr_t len, int flags)');
    // Variadic as in <sys/ioctl.h>: on Apple's arm64 ABI a variadic argument goes on the stack, not in x2, and
    // koffi places it so only when the prototype says `...` (koffi src/abi/arm64.cc, __APPLE__ && variadic).
    const ioctl = lib.func('int ioctl(int fd, unsigned long request, ...)');
    const setsockopt = lib.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t length)');
    const getsockopt = lib.func('int getsockopt(int fd, int level, int name, void *value, void *length)');
    const dup2 = lib.func('int dup2(int from, int to)');
    const close = lib.func('int close(int fd)');
    // The source as an integer: koffi passes a bigint address as is; the destination is the Buffer's memory.
    const memcpy = lib.func('void *memcpy(void *dst, uintptr_t src, uintptr_t n)');
    api = {
      path,
      getifaddrs: (out) => getifaddrs(out) as number,
      freeifaddrs: (list) => void freeifaddrs(list),
      sysctl: (name, old, oldLength) => sysctl(name, name.length, old, oldLength, null, 0) as number,
      socket: (d, t, p) => socket(d, t, p) as number,
      recv: (fd, buf, len, flags) => Number(recv(fd, buf, len, flags)),
      ioctl: (fd, request, arg) => ioctl(fd, request, 'void *', arg) as number,
      setsockopt: (fd, level, name, value, length) => setsockopt(fd, level, name, value, length) as number,
      getsockopt: (fd, level, name, value, length) => getsockopt(fd, level, name, value, length) as number,
      dup2: (from, to) => dup2(from, to) as number,
      close: (fd) => close(fd) as number,
      errno: () => koffi.errno(),
      // koffi's decode of a *pointer* with type 'const char *' reads a char * stored AT that address (the
      // variable case, koffi doc values.md "Generic decode function"); ifa_name already points at the text,
      // so the text itself is decoded: koffi.decode.string (values.md "Decode strings", NUL-terminated UTF-8).
      stringAt: (ptr) => koffi.decode.string(ptr) as string,
      bytesAt: (ptr, length, into) => {
        const buf = into ?? Buffer.allocUnsafe(length);
        memcpy(buf, typeof ptr === 'bigint' ? ptr : koffi.address(ptr), length);
        return buf;
      },
      byteAt: (ptr) => koffi.decode.uint8(ptr),
    };
  } catch (error) {
    throw new BackendError('ELOAD', `${path} lacks a function the macOS backend needs: ${(error as Error).message}`, { cause: error });
  }
  loaded.set(path, api);
  return api;
}
