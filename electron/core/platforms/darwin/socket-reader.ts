/**
 * One push socket (kernel events or PF_ROUTE) read until stopped, with no periodic wake-up at all.
 *
 * The wait is a read(2) parked on a libuv worker thread through Node's own fs.read (not a koffi async call):
 * nothing wakes while nothing happens. Two facts decided this shape, both measured here with Node 24 and
 * koffi 3.3 (issue 23):
 *   - a koffi async call that completes while the process is exiting crashes it (SIGSEGV / "corrupted
 *     double-linked list" in 16 of 20 runs of: wake a parked poll(2), then process.exit), so a poll woken
 *     to stop cannot be followed by an exit, which is exactly what the core process does on quit;
 *   - a libuv worker blocked in a system call holds process.exit (libuv joins its threads) until the call
 *     returns: an endless wait must be ended by whoever exits. Node's own fs requests are finished safely
 *     during exit (40 of 40 runs clean), so the exit hook below ends the read and the exit goes on.
 * How a parked read is ended: dup2(2) of /dev/null over the socket's descriptor. XNU drains a socket whose
 * descriptor is closed or replaced while another thread waits in it (bsd/kern/kern_descrip.c
 * fp_close_and_unlock → fileproc_drain → bsd/kern/sys_socket.c soo_drain sets SS_DRAINING and wakes the
 * receive buffer; bsd/kern/uipc_socket2.c sbwait then returns EBADF), and returns once the reader has left.
 * dup2 rather than close: the read may still be queued for a worker, and a closed number can be handed to
 * the next open(2) and read from by mistake; /dev/null in its place answers end-of-file, and the number is
 * closed only once the read has come back. shutdown(2) would not do: XNU refuses it with ENOTCONN on a
 * socket that is not connected (uipc_socket.c soshutdown), and kern_event.c never connects its sockets.
 *
 * Overflow: XNU drops silently when a receive buffer is full (kern_event.c kev_post_msg_internal counts
 * kes_fullsock; raw_usrreq.c raw_input discards sbappendaddr's failure), so no ENOBUFS ever says a message
 * was lost. The buffer is enlarged, and a drain that found at least half of it filled is treated as an
 * overflow (the caller re-reads everything), since it may have been full a moment before.
 */
import { closeSync, openSync, read as fsRead } from 'node:fs';
import { DARWIN_ERRNO, DARWIN_MSG_DONTWAIT, DARWIN_SOL_SOCKET, DARWIN_SO_RCVBUF, darwinErrnoError, type LibSystem } from './libsystem';

/** What the reader asks for; XNU cuts a larger request to kern.ipc.maxsockbuf (sb_max, 8 MiB by default). */
export const WANTED_RECEIVE_BUFFER = 256 * 1024;

/**
 * Set SO_RCVBUF and return what the socket has now (getsockopt: sb_hiwat). XNU's sbreserve cuts a request
 * over sb_max to sb_max (uipc_socket2.c) and refuses only when the buffer is there already; a refusal is
 * answered by asking for half, down to 8 KiB, in case another kernel refuses outright.
 */
export function enlargeReceiveBuffer(lib: LibSystem, fd: number, wanted = WANTED_RECEIVE_BUFFER): number {
  const value = Buffer.alloc(4);
  for (let size = wanted; size >= 8192; size >>= 1) {
    value.writeInt32LE(size, 0);
    if (lib.setsockopt(fd, DARWIN_SOL_SOCKET, DARWIN_SO_RCVBUF, value, 4) === 0) break;
  }
  const length = Buffer.alloc(4);
  length.writeUInt32LE(4, 0);
  value.fill(0);
  return lib.getsockopt(fd, DARWIN_SOL_SOCKET, DARWIN_SO_RCVBUF, value, length) === 0 ? value.readInt32LE(0) : 0;
}

export interface Drained {
  /** Each read's bytes, copied, in order. */
  reads: Buffer[];
  /** The drain may have lost messages: assume anything changed. */
  overflow: boolean;
}

/** Every live reader, so that an exit (process.exit, an uncaught exception) can end its parked read. */
const live = new Set<() => void>();
let exitHookInstalled = false;
function installExitHook(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  process.on('exit', () => {
    for (const stop of [...live]) stop();
  });
}

/**
 * Read `fd` until stopped. `onDrained` gets each wake-up's reads; `onFailed` an error that ended the
 * reading (the socket is closed then). Returns stop(), which ends the parked read and closes the socket.
 */
export function readSocket(
  lib: LibSystem,
  fd: number,
  receiveBuffer: number,
  onDrained: (drained: Drained) => void,
  onFailed: (error: Error) => void,
): () => void {
  // Larger than any one message (a kernel event fits one mbuf, 256 bytes; a routing message a few hundred).
  const buf = Buffer.alloc(64 * 1024);
  const largeDrain = Math.max(1, Math.floor(receiveBuffer / 2));
  let stopped = false;
  /** A read is queued or parked: the descriptor's number must stay taken until it comes back. */
  let reading = false;
  let closed = false;
  const closeOnce = (): void => {
    if (closed) return;
    closed = true;
    lib.close(fd);
  };

  const stop = (): void => {
    if (stopped) return;
    stopped = true;
    live.delete(stop);
    if (!reading) return closeOnce();
    let devNull = -1;
    try {
      devNull = openSync('/dev/null', 'r');
      if (lib.dup2(devNull, fd) >= 0) return; // the read comes back (EBADF or end-of-file), then closeOnce
    } catch {
      // no /dev/null: fall through
    } finally {
      if (devNull >= 0) closeSync(devNull);
    }
    closeOnce(); // last resort: XNU drains a closed socket's reader too
  };
  live.add(stop);
  installExitHook();

  const fail = (error: Error): void => {
    if (stopped) return;
    stop();
    onFailed(error);
  };

  const drainAfter = (first: Buffer): Drained => {
    const reads = [first];
    let bytes = first.length;
    let overflow = false;
    for (;;) {
      const n = lib.recv(fd, buf, buf.length, DARWIN_MSG_DONTWAIT);
      if (n < 0) {
        const errno = lib.errno();
        if (errno === DARWIN_ERRNO.EINTR) continue;
        // Never on XNU (it drops silently), but a library that says so is believed.
        if (errno === DARWIN_ERRNO.ENOBUFS) {
          overflow = true;
          continue;
        }
        if (errno === DARWIN_ERRNO.EAGAIN) break;
        throw darwinErrnoError(errno, 'recv');
      }
      if (n === 0) break;
      reads.push(Buffer.from(buf.subarray(0, n)));
      bytes += n;
    }
    return { reads, overflow: overflow || bytes >= largeDrain };
  };

  const next = (): void => {
    reading = true;
    fsRead(fd, buf, 0, buf.length, null, (error, n) => {
      reading = false;
      if (stopped) return closeOnce();
      if (error) {
        if (error.code === 'EINTR' || error.code === 'EAGAIN') return next();
        return fail(error);
      }
      // A socket that says end-of-file was shut down under us (or a library says so): no busy loop.
      if (n === 0) return fail(new Error('the socket was closed'));
      let drained: Drained;
      try {
        drained = drainAfter(Buffer.from(buf.subarray(0, n)));
      } catch (caught) {
        return fail(caught as Error);
      }
      try {
        onDrained(drained);
      } catch (caught) {
        console.error('linkwatch: a socket listener failed:', caught);
      }
      next();
    });
  };
  next();
  return stop;
}
