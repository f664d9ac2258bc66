/**
 * The libSystem calls the macOS backend makes, declared once, loaded from one library: getifaddrs(3) and
 * freeifaddrs (Libinfo gen.subproj/ifaddrs.h), sysctl(3), and for the PF_ROUTE push socket(2), recv(2),
 * poll(2), pipe(2), write(2), close(2); memcpy(3) copies the structs out (one call costs ~85 ns here, where
 * koffi.decode of a byte array costs ~700 ns: measured on the fake, test/bench/darwin-snapshot.ts). On a Mac that is /usr/lib/libSystem.B.dylib; LINKWATCH_LIBSYSTEM
 * names another library with the same functions (the contract fake test/fixtures/fake-libsystem.c), which
 * is how the backend runs on Linux in the tests. Darwin numbers throughout (errno, MSG_DONTWAIT, nfds_t is
 * an unsigned int): the fake speaks them too.
 */
import koffi from 'koffi';
import { BackendError } from '../../backend-error';

export const DEFAULT_LIBSYSTEM = '/usr/lib/libSystem.B.dylib';

/** bsd/sys/socket.h */
export const DARWIN_PF_ROUTE = 17;
export const DARWIN_SOCK_RAW = 3;
export const DARWIN_MSG_DONTWAIT = 0x80;
/** bsd/sys/poll.h: struct pollfd { int fd; short events; short revents; } as on Linux. */
export const DARWIN_POLLIN = 0x1;
export const POLLFD_SIZE = 8;

/** bsd/sys/errno.h: the ones the backend tells apart. */
export const DARWIN_ERRNO = { ENOENT: 2, EINTR: 4, ENOMEM: 12, EAGAIN: 35, ENOBUFS: 55 } as const;
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
  /** poll(2) on a libuv worker thread, off the calling thread. */
  pollAsync(fds: Buffer, nfds: number, timeoutMs: number): Promise<number>;
  /** int pipe(int fds[2]); fds is an 8-byte buffer. */
  pipe(fds: Buffer): number;
  write(fd: number, buf: Buffer, len: number): number;
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
    const poll = lib.func('int poll(void *fds, unsigned int nfds, int timeout)');
    const pipe = lib.func('int pipe(void *fds)');
    const write = lib.func('intptr_t write(int fd, const void *buf, uintptr_t len)');
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
      pollAsync: (fds, nfds, timeoutMs) =>
        new Promise<number>((resolve, reject) => {
          poll.async(fds, nfds, timeoutMs, (err: unknown, res: number) => (err ? reject(err) : resolve(res)));
        }),
      pipe: (fds) => pipe(fds) as number,
      write: (fd, buf, len) => Number(write(fd, buf, len)),
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
