/**
 * Live changes on macOS: a PF_ROUTE socket (socket(PF_ROUTE, SOCK_RAW, 0), all address families), watched
 * with poll(2) run through koffi's async call on a libuv worker thread, as the Linux netlink subscription
 * does (linux/route-socket.ts). Each wake-up drains the socket with MSG_DONTWAIT and hands the decoded
 * reads over; unsubscribing writes to a pipe in the same poll set so the parked poll returns at once, and
 * the poll never parks longer than PARKED_POLL_TIMEOUT_MS, so an exit never waits on it.
 */
import { PARKED_POLL_TIMEOUT_MS } from '../linux/route-socket';
import { decodeRouteMessages, type DecodedRead } from './route-messages';
import {
  DARWIN_ERRNO,
  DARWIN_MSG_DONTWAIT,
  DARWIN_PF_ROUTE,
  DARWIN_POLLIN,
  DARWIN_SOCK_RAW,
  POLLFD_SIZE,
  darwinErrnoError,
  type LibSystem,
} from './libsystem';

/** Larger than any routing message burst one read returns (a message is a few hundred bytes). */
const RECV_BUFFER_SIZE = 64 * 1024;

function pollfds(fds: number[]): Buffer {
  const buf = Buffer.alloc(fds.length * POLLFD_SIZE);
  fds.forEach((fd, i) => {
    buf.writeInt32LE(fd, i * POLLFD_SIZE);
    buf.writeInt16LE(DARWIN_POLLIN, i * POLLFD_SIZE + 4);
  });
  return buf;
}

/**
 * Subscribe to the routing socket. `onReads` gets every read drained after one wake-up; `overflow` is true
 * when the kernel dropped messages (ENOBUFS), so the caller must assume anything changed. Throws
 * BackendError when the socket cannot be opened (the monitor then polls). Returns the unsubscribe function.
 */
export function subscribeRouteSocket(lib: LibSystem, onReads: (reads: DecodedRead[], overflow: boolean) => void): () => void {
  const fd = lib.socket(DARWIN_PF_ROUTE, DARWIN_SOCK_RAW, 0);
  if (fd < 0) throw darwinErrnoError(lib.errno(), 'socket(PF_ROUTE, SOCK_RAW)');
  const pipeFds = Buffer.alloc(8);
  if (lib.pipe(pipeFds) < 0) {
    const errno = lib.errno();
    lib.close(fd);
    throw darwinErrnoError(errno, 'pipe');
  }
  const wakeRead = pipeFds.readInt32LE(0);
  const wakeWrite = pipeFds.readInt32LE(4);
  const fds = pollfds([fd, wakeRead]);
  const buf = Buffer.alloc(RECV_BUFFER_SIZE);
  let stopped = false;

  const loop = async (): Promise<void> => {
    try {
      while (!stopped) {
        const ready = await lib.pollAsync(fds, 2, PARKED_POLL_TIMEOUT_MS);
        if (stopped) break;
        if (ready === 0) continue;
        if (ready < 0) {
          const errno = lib.errno();
          if (errno === DARWIN_ERRNO.EINTR) continue;
          throw darwinErrnoError(errno, 'poll(PF_ROUTE)');
        }
        const reads: DecodedRead[] = [];
        let overflow = false;
        for (;;) {
          const n = lib.recv(fd, buf, buf.length, DARWIN_MSG_DONTWAIT);
          if (n < 0) {
            const errno = lib.errno();
            if (errno === DARWIN_ERRNO.EINTR) continue;
            if (errno === DARWIN_ERRNO.ENOBUFS) {
              overflow = true;
              continue;
            }
            if (errno === DARWIN_ERRNO.EAGAIN) break; // drained
            throw darwinErrnoError(errno, 'recv(PF_ROUTE)');
          }
          if (n === 0) {
            // A routing socket never ends; a library that says it did gets no busy loop.
            stopped = true;
            break;
          }
          reads.push(decodeRouteMessages(Buffer.from(buf.subarray(0, n))));
        }
        if (reads.length > 0 || overflow) {
          try {
            onReads(reads, overflow);
          } catch (caught) {
            console.error('linkwatch: routing-socket listener failed:', caught);
          }
        }
      }
    } catch (caught) {
      console.error('linkwatch: routing-socket subscription stopped (the safety read goes on):', caught);
    } finally {
      lib.close(fd);
      lib.close(wakeRead);
      lib.close(wakeWrite);
    }
  };
  void loop();

  return () => {
    if (stopped) return;
    stopped = true;
    lib.write(wakeWrite, Buffer.of(1), 1);
  };
}
