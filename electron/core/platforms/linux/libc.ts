/**
 * The libc calls the netlink backend makes, declared once (glibc's libc.so.6; every prototype is POSIX or
 * Linux since 2.6.22, eventfd 2.6.27 with flags). Loaded on first use so that importing the Linux source on
 * another OS, or in unit tests, loads nothing.
 *
 * Why koffi and not an npm package: no maintained package exposes NETLINK_ROUTE dumps and groups to Node 20
 * without a compile step (the rtnetlink packages on npm either shell out to `ip` or are unmaintained native
 * addons); koffi ships prebuilt and is already how the Windows backend reaches rasapi32.
 */
import koffi from 'koffi';

export interface Libc {
  socket(domain: number, type: number, protocol: number): number;
  bind(fd: number, addr: Buffer, len: number): number;
  send(fd: number, buf: Buffer, len: number, flags: number): number;
  recv(fd: number, buf: Buffer, len: number, flags: number): number;
  setsockopt(fd: number, level: number, name: number, value: Buffer, len: number): number;
  close(fd: number): number;
  eventfd(initval: number, flags: number): number;
  write(fd: number, buf: Buffer, len: number): number;
  /** poll(2) on a worker thread: `fds` is an array of struct pollfd { int fd; short events; short revents; }. */
  pollAsync(fds: Buffer, nfds: number, timeoutMs: number): Promise<number>;
  errno(): number;
}

export const SOCK_RAW = 3;
export const SOCK_CLOEXEC = 0o2000000;
export const SOL_SOCKET = 1;
export const SO_RCVBUF = 8;
export const SOL_NETLINK = 270;
/** Don't fail a dump with ENOBUFS when a group message is dropped; we re-read on any event anyway. */
export const NETLINK_NO_ENOBUFS = 5;
export const MSG_DONTWAIT = 0x40;
export const EFD_CLOEXEC = 0o2000000;
export const EFD_NONBLOCK = 0o4000;
export const POLLIN = 0x1;
/** revents: the descriptor is not open (<poll.h>); always reported, whatever `events` asked for. */
export const POLLNVAL = 0x20;
export const POLLFD_SIZE = 8; // struct pollfd { int fd; short events; short revents; }

export const EINTR = 4;
export const EAGAIN = 11;
export const ENOBUFS = 105;

let loaded: Libc | null = null;

export function libc(): Libc {
  if (loaded) return loaded;
  const lib = koffi.load('libc.so.6');
  const poll = lib.func('int poll(void *fds, uint64_t nfds, int timeout)');
  const fns = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    bind: lib.func('int bind(int fd, const void *addr, uint32_t len)'),
    send: lib.func('intptr_t send(int fd, const void *buf, uintptr_t len, int flags)'),
    recv: lib.func('intptr_t recv(int fd, void *buf, uintptr_t len, int flags)'),
    setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)'),
    close: lib.func('int close(int fd)'),
    eventfd: lib.func('int eventfd(unsigned int initval, int flags)'),
    write: lib.func('intptr_t write(int fd, const void *buf, uintptr_t len)'),
  };
  loaded = {
    socket: (d, t, p) => fns.socket(d, t, p) as number,
    bind: (fd, addr, len) => fns.bind(fd, addr, len) as number,
    send: (fd, buf, len, flags) => fns.send(fd, buf, len, flags) as number,
    recv: (fd, buf, len, flags) => fns.recv(fd, buf, len, flags) as number,
    setsockopt: (fd, level, name, value, len) => fns.setsockopt(fd, level, name, value, len) as number,
    close: (fd) => fns.close(fd) as number,
    eventfd: (initval, flags) => fns.eventfd(initval, flags) as number,
    write: (fd, buf, len) => fns.write(fd, buf, len) as number,
    pollAsync: (fds, nfds, timeoutMs) =>
      new Promise<number>((resolve, reject) => {
        poll.async(fds, nfds, timeoutMs, (err: unknown, res: number) => (err ? reject(err) : resolve(res)));
      }),
    errno: () => koffi.errno(),
  };
  return loaded;
}
