/**
 * NETLINK_ROUTE sockets over koffi: one request/response socket for dumps, and a group subscription for
 * live changes. Nothing here blocks the main thread: dumps read with MSG_DONTWAIT (the kernel fills the
 * first part of a dump during send(2) and the next parts during each recv(2)), and waiting for readiness is
 * poll(2) run through koffi's async call, on a libuv worker thread: with a timeout during a dump (a call in
 * flight), with none for the subscription (nothing to wait for but data or its stop handle).
 */
import os from 'node:os';
import { BackendError } from '../../backend-error';
import {
  AF_NETLINK,
  NETLINK_ROUTE,
  NLMSG_DONE,
  NLMSG_ERROR,
  NLMSG_NOOP,
  NLMSG_OVERRUN,
  NLM_F_DUMP_INTR,
  assertLittleEndian,
  buildSockaddrNl,
  parseErrorMessage,
  parseMessages,
  type NetlinkMessage,
} from './rtnetlink';
import {
  EAGAIN,
  EFD_CLOEXEC,
  EFD_NONBLOCK,
  EINTR,
  ENOBUFS,
  MSG_DONTWAIT,
  POLLFD_SIZE,
  POLLIN,
  POLLNVAL,
  SOCK_CLOEXEC,
  SOCK_RAW,
  SOL_SOCKET,
  SO_RCVBUF,
  libc,
} from './libc';
import { wakeAtExit } from '../wake-at-exit';

/** Larger than any dump datagram: the kernel caps a dump part at 32 KiB (NLMSG_GOODSIZE..32K). */
const RECV_BUFFER_SIZE = 64 * 1024;
/** A dump the kernel does not finish within this long is reported, not awaited forever. */
const DUMP_TIMEOUT_MS = 2000;

export function errnoError(errno: number, what: string): BackendError {
  const name = Object.entries(os.constants.errno).find(([, code]) => code === errno)?.[0] ?? `errno ${errno}`;
  return new BackendError(name, `${what} failed: ${name} (${errno})`);
}

function openRouteSocket(groups: number): number {
  assertLittleEndian();
  const c = libc();
  const fd = c.socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
  if (fd < 0) throw errnoError(c.errno(), 'socket(AF_NETLINK, NETLINK_ROUTE)');
  const addr = buildSockaddrNl(groups);
  if (c.bind(fd, addr, addr.length) < 0) {
    const errno = c.errno();
    c.close(fd);
    throw errnoError(errno, 'bind(sockaddr_nl)');
  }
  return fd;
}

function pollfds(entries: number[]): Buffer {
  const buf = Buffer.alloc(entries.length * POLLFD_SIZE);
  entries.forEach((fd, i) => {
    buf.writeInt32LE(fd, i * POLLFD_SIZE);
    buf.writeInt16LE(POLLIN, i * POLLFD_SIZE + 4);
  });
  return buf;
}

export interface DumpResult<T> {
  items: T[];
  /** The kernel flagged NLM_F_DUMP_INTR: the table changed mid-dump, the caller should dump again. */
  interrupted: boolean;
}

/** A request/response socket for dumps. Not reentrant: callers serialise dumps (LinuxSource does). */
export class RouteSocket {
  private fd: number;
  private seq = Math.floor(Math.random() * 0x7fffffff);
  private readonly buf = Buffer.alloc(RECV_BUFFER_SIZE);

  constructor() {
    this.fd = openRouteSocket(0);
  }

  /**
   * Send one dump request and map each answer message while its datagram is still in the receive buffer
   * (payloads are views into it). `map` returning null drops the message.
   */
  async dump<T>(request: (seq: number) => Buffer, map: (message: NetlinkMessage) => T | null): Promise<DumpResult<T>> {
    if (this.fd < 0) throw new BackendError('ECLOSED', 'the netlink socket is closed');
    const c = libc();
    this.drain();
    const seq = (this.seq = (this.seq + 1) >>> 0);
    const req = request(seq);
    if (c.send(this.fd, req, req.length, 0) !== req.length) throw errnoError(c.errno(), 'send(RTM_GET*)');
    const items: T[] = [];
    let interrupted = false;
    for (;;) {
      const n = await this.receive();
      for (const message of parseMessages(this.buf.subarray(0, n))) {
        if (message.seq !== seq) continue; // a leftover of an abandoned dump
        if (message.flags & NLM_F_DUMP_INTR) interrupted = true;
        if (message.type === NLMSG_DONE) return { items, interrupted };
        if (message.type === NLMSG_ERROR) {
          const errno = parseErrorMessage(message.payload);
          if (errno !== 0) throw errnoError(errno, 'rtnetlink dump');
          continue;
        }
        if (message.type === NLMSG_NOOP || message.type === NLMSG_OVERRUN) continue;
        const item = map(message);
        if (item !== null) items.push(item);
      }
    }
  }

  /** The next datagram's length in `buf`, waiting (no timeout) until one is there; EINTR is retried. */
  private async receive(): Promise<number> {
    const c = libc();
    for (;;) {
      const n = c.recv(this.fd, this.buf, this.buf.length, MSG_DONTWAIT);
      if (n >= 0) return n;
      const errno = c.errno();
      if (errno === EINTR) continue;
      if (errno !== EAGAIN) throw errnoError(errno, 'recv(NETLINK_ROUTE)');
      await this.waitReadable();
    }
  }

  /**
   * One request that is not a dump (a route lookup, issue 25), sent with NLM_F_ACK: the answer messages until
   * the kernel's acknowledgement. An error answer (ENETUNREACH for "no route") rejects with its errno's name.
   */
  async ask<T>(request: (seq: number) => Buffer, map: (message: NetlinkMessage) => T | null): Promise<T[]> {
    if (this.fd < 0) throw new BackendError('ECLOSED', 'the netlink socket is closed');
    const c = libc();
    this.drain();
    const seq = (this.seq = (this.seq + 1) >>> 0);
    const req = request(seq);
    if (c.send(this.fd, req, req.length, 0) !== req.length) throw errnoError(c.errno(), 'send(RTM_GET*)');
    const items: T[] = [];
    for (;;) {
      const n = await this.receive();
      for (const message of parseMessages(this.buf.subarray(0, n))) {
        if (message.seq !== seq) continue;
        if (message.type === NLMSG_ERROR) {
          const errno = parseErrorMessage(message.payload);
          if (errno !== 0) throw errnoError(errno, 'rtnetlink request');
          return items;
        }
        const item = map(message);
        if (item !== null) items.push(item);
      }
    }
  }

  close(): void {
    if (this.fd >= 0) libc().close(this.fd);
    this.fd = -1;
  }

  /** Discard whatever an earlier, abandoned dump left queued. */
  private drain(): void {
    const c = libc();
    while (c.recv(this.fd, this.buf, this.buf.length, MSG_DONTWAIT) > 0) {
      /* discard */
    }
  }

  private async waitReadable(): Promise<void> {
    const ready = await libc().pollAsync(pollfds([this.fd]), 1, DUMP_TIMEOUT_MS);
    if (ready === 0) throw new BackendError('ETIMEDOUT', `rtnetlink dump gave no answer within ${DUMP_TIMEOUT_MS} ms`);
  }
}

export interface GroupSubscriptionOptions {
  /**
   * SO_RCVBUF for the subscription's socket; the kernel's default (net.core.rmem_default, 208 KiB on most
   * systems) when absent. Tests make it tiny so that a burst of real changes overflows it (ENOBUFS).
   */
  receiveBufferBytes?: number;
  /**
   * The subscription stopped on its own (poll(2) or recv(2) failed with an error that will not go away): no
   * change will be reported from now on, so the caller must read by other means (the monitor polls).
   */
  onFailure?: (error: BackendError) => void;
  /**
   * Wake the parked poll(2) this often although nothing happened (-1, the default: never). Only the
   * benchmark's "before" row sets it (1000 ms, the reader before issue 23), to measure what it cost.
   */
  pollTimeoutMs?: number;
}

/** Consecutive poll(2) failures (EINTR) tolerated before the subscription gives up rather than spin. */
const MAX_POLL_FAILURES = 100;

/**
 * Subscribe to rtnetlink multicast groups on a socket of its own. `onMessages` gets each batch of messages
 * drained after a wake-up; `overflow` is true when the kernel dropped messages (ENOBUFS), so the caller
 * must assume anything changed.
 *
 * rtnetlink is a reliable push channel in the one way that matters: a message the kernel cannot queue
 * (the receive buffer is full) is not lost silently; the socket's next recv(2) fails with ENOBUFS
 * (netlink_overrun() in net/netlink/af_netlink.c sets sk_err; see netlink(7), "ENOBUFS"). So a reader that
 * re-reads everything on ENOBUFS misses nothing, and needs no periodic "safety" read.
 *
 * Waiting is one poll(2) with no timeout, parked on a libuv pool thread while subscribed (it keeps Node's
 * event loop alive, as an interval timer would, and wakes nothing while nothing changes). Unsubscribing
 * writes to an eventfd in the same poll set, so the thread returns at once and both descriptors are
 * closed; the same write is made at process exit (wake-at-exit.ts), which otherwise would wait for the
 * pool thread.
 */
export function subscribeGroups(
  groups: number,
  onMessages: (messages: NetlinkMessage[], overflow: boolean) => void,
  options: GroupSubscriptionOptions = {},
): () => void {
  const c = libc();
  const fd = openRouteSocket(groups);
  if (options.receiveBufferBytes !== undefined) {
    const size = Buffer.alloc(4);
    size.writeInt32LE(options.receiveBufferBytes);
    if (c.setsockopt(fd, SOL_SOCKET, SO_RCVBUF, size, 4) < 0) {
      const errno = c.errno();
      c.close(fd);
      throw errnoError(errno, 'setsockopt(SO_RCVBUF)');
    }
  }
  const wakeFd = c.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wakeFd < 0) {
    const errno = c.errno();
    c.close(fd);
    throw errnoError(errno, 'eventfd');
  }
  const fds = pollfds([fd, wakeFd]);
  const buf = Buffer.alloc(RECV_BUFFER_SIZE);
  const pollTimeoutMs = options.pollTimeoutMs ?? -1;
  let stopped = false;
  const wake = (): void => {
    const one = Buffer.alloc(8);
    one.writeBigUInt64LE(1n);
    c.write(wakeFd, one, 8);
  };
  const unwakeAtExit = wakeAtExit(wake);

  /** Everything queued now, and whether the kernel dropped some of it (ENOBUFS). */
  const drain = (): { messages: NetlinkMessage[]; overflow: boolean } => {
    const messages: NetlinkMessage[] = [];
    let overflow = false;
    for (;;) {
      const n = c.recv(fd, buf, buf.length, MSG_DONTWAIT);
      if (n < 0) {
        const errno = c.errno();
        if (errno === EINTR) continue;
        if (errno === ENOBUFS) {
          overflow = true;
          continue; // reported once per overflow; what was queued before it is still there
        }
        if (errno === EAGAIN) return { messages, overflow };
        throw errnoError(errno, 'recv(NETLINK_ROUTE groups)');
      }
      // Copy: the next recv reuses the buffer and the batch is handed over after the loop.
      for (const message of parseMessages(Buffer.from(buf.subarray(0, n)))) messages.push(message);
    }
  };

  const loop = async (): Promise<void> => {
    let failure: BackendError | null = null;
    let pollFailures = 0;
    try {
      while (!stopped) {
        const ready = await c.pollAsync(fds, 2, pollTimeoutMs);
        if (stopped) break;
        if (ready === 0) continue; // pollTimeoutMs elapsed (the "before" cadence only)
        if (ready < 0) {
          // EINTR (a signal landed on the pool thread); errno is the pool thread's, so not read here.
          if (++pollFailures > MAX_POLL_FAILURES) throw new BackendError('EPOLL', `poll(NETLINK_ROUTE) failed ${MAX_POLL_FAILURES} times in a row`);
          continue;
        }
        pollFailures = 0;
        if (fds.readInt16LE(6) & POLLNVAL) throw new BackendError('EBADF', 'the netlink subscription socket was closed under the reader');
        const { messages, overflow } = drain();
        if (messages.length > 0 || overflow) {
          try {
            onMessages(messages, overflow);
          } catch (caught) {
            console.error('linkwatch: netlink listener failed:', caught);
          }
        }
      }
    } catch (caught) {
      failure = caught instanceof BackendError ? caught : new BackendError('ENETLINK', `netlink subscription failed: ${(caught as Error)?.message ?? String(caught)}`);
    } finally {
      unwakeAtExit();
      c.close(fd);
      c.close(wakeFd);
    }
    if (failure && !stopped) {
      stopped = true;
      console.error('linkwatch: netlink subscription stopped:', failure.message);
      options.onFailure?.(failure);
    }
  };
  void loop();

  return () => {
    if (stopped) return;
    stopped = true;
    wake();
  };
}
