/**
 * NETLINK_ROUTE sockets over koffi: one request/response socket for dumps, and a group subscription for
 * live changes. Nothing here blocks the main thread: dumps read with MSG_DONTWAIT (the kernel fills the
 * first part of a dump during send(2) and the next parts during each recv(2)), and waiting for readiness is
 * poll(2) run through koffi's async call, on a libuv worker thread.
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
  SOCK_CLOEXEC,
  SOCK_RAW,
  libc,
} from './libc';

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
      const n = c.recv(this.fd, this.buf, this.buf.length, MSG_DONTWAIT);
      if (n < 0) {
        const errno = c.errno();
        if (errno === EINTR) continue;
        if (errno === EAGAIN) {
          await this.waitReadable();
          continue;
        }
        throw errnoError(errno, 'recv(NETLINK_ROUTE)');
      }
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
      const n = c.recv(this.fd, this.buf, this.buf.length, MSG_DONTWAIT);
      if (n < 0) {
        const errno = c.errno();
        if (errno === EINTR) continue;
        if (errno === EAGAIN) {
          await this.waitReadable();
          continue;
        }
        throw errnoError(errno, 'recv(NETLINK_ROUTE)');
      }
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

/**
 * Subscribe to rtnetlink multicast groups on a socket of its own. `onMessages` gets each batch of messages
 * drained after a wake-up; `overflow` is true when the kernel dropped messages (ENOBUFS), so the caller
 * must assume anything changed.
 *
 * One poll(2) is parked on a libuv worker thread while subscribed (which keeps Node's event loop alive, as
 * an interval timer would); unsubscribing writes to an eventfd in the same poll set, so the worker returns at
 * once, both descriptors are closed, and nothing is left to keep the process running.
 */
/** Longest a subscription's poll(2) stays parked before it checks whether it was stopped. */
export const PARKED_POLL_TIMEOUT_MS = 1000;

export function subscribeGroups(groups: number, onMessages: (messages: NetlinkMessage[], overflow: boolean) => void): () => void {
  const c = libc();
  const fd = openRouteSocket(groups);
  const wake = c.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
  if (wake < 0) {
    const errno = c.errno();
    c.close(fd);
    throw errnoError(errno, 'eventfd');
  }
  const fds = pollfds([fd, wake]);
  const buf = Buffer.alloc(RECV_BUFFER_SIZE);
  let stopped = false;

  const loop = async (): Promise<void> => {
    try {
      while (!stopped) {
        // Never an endless poll: a libuv thread parked in poll(2) is joined when the process exits, so a
        // subscription torn down without its unsubscribe (a worker terminated, an abrupt exit) would hold
        // the exit until the next netlink message. A timeout only wakes the thread; nothing is read.
        const ready = await c.pollAsync(fds, 2, PARKED_POLL_TIMEOUT_MS);
        if (stopped) break;
        if (ready === 0) continue;
        const messages: NetlinkMessage[] = [];
        let overflow = false;
        for (;;) {
          const n = c.recv(fd, buf, buf.length, MSG_DONTWAIT);
          if (n < 0) {
            const errno = c.errno();
            if (errno === EINTR) continue;
            if (errno === ENOBUFS) {
              overflow = true;
              continue;
            }
            break; // EAGAIN: drained
          }
          // Copy: the next recv reuses the buffer and the batch is handed over after the loop.
          for (const message of parseMessages(Buffer.from(buf.subarray(0, n)))) messages.push(message);
        }
        if (messages.length > 0 || overflow) {
          try {
            onMessages(messages, overflow);
          } catch (caught) {
            console.error('linkwatch: netlink listener failed:', caught);
          }
        }
      }
    } catch (caught) {
      console.error('linkwatch: netlink subscription stopped:', caught);
    } finally {
      c.close(fd);
      c.close(wake);
    }
  };
  void loop();

  return () => {
    if (stopped) return;
    stopped = true;
    const one = Buffer.alloc(8);
    one.writeBigUInt64LE(1n);
    c.write(wake, one, 8);
  };
}
