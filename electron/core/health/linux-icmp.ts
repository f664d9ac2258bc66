/**
 * One ICMP echo inside a tunnel on Linux, without privileges: a `SOCK_DGRAM` ICMP socket ("ping socket",
 * Linux 3.0+, `net/ipv4/ping.c`), allowed where the caller's group is in `net.ipv4.ping_group_range` (many
 * distributions set it wide open; the kernel default "1 0" allows nobody, root included). The kernel fills in
 * the identifier and checksum and hands back only replies to this socket. The socket is bound to the
 * tunnel's interface (SO_BINDTODEVICE, unprivileged since Linux 5.7 for a socket not yet bound) before
 * anything is sent: a probe can only leave through the tunnel, and fails instead if it cannot be so bound.
 *
 * Why koffi: Node has no ICMP, and the npm packages that do (net-ping over raw-socket) need a compiler and root.
 * Its own declarations, not libc.ts's: that module belongs to the netlink reader and has no connect().
 */
import koffi from 'koffi';
import type { ProbeResult } from '../../../shared/health';
import type { ProbeRequest } from './probe-target';

const AF_INET = 2;
const AF_INET6 = 10;
const IPPROTO_ICMPV6 = 58;
/** RFC 4443: echo request 128, reply 129 (ICMPv6 ping sockets: the same kernel code, `net/ipv6/ping.c`). */
const ICMPV6_ECHO_REQUEST = 128;
const ICMPV6_ECHO_REPLY = 129;
const SOCK_DGRAM = 2;
const SOCK_NONBLOCK = 0o4000;
const SOCK_CLOEXEC = 0o2000000;
const IPPROTO_ICMP = 1;
const SOL_SOCKET = 1;
const SO_BINDTODEVICE = 25;
const POLLIN = 1;
const MSG_DONTWAIT = 0x40;
const EACCES = 13;
const EPERM = 1;
const ICMP_ECHO = 8;
const ICMP_ECHOREPLY = 0;

interface IcmpLibc {
  socket: (domain: number, type: number, protocol: number) => number;
  setsockopt: (fd: number, level: number, name: number, value: Buffer, len: number) => number;
  connect: (fd: number, addr: Buffer, len: number) => number;
  send: (fd: number, buf: Buffer, len: number, flags: number) => number;
  recv: (fd: number, buf: Buffer, len: number, flags: number) => number;
  close: (fd: number) => number;
  poll: ReturnType<ReturnType<typeof koffi.load>['func']>;
}

let loaded: IcmpLibc | null = null;
function icmpLibc(): IcmpLibc {
  if (loaded) return loaded;
  const lib = koffi.load('libc.so.6');
  loaded = {
    socket: lib.func('int socket(int domain, int type, int protocol)'),
    setsockopt: lib.func('int setsockopt(int fd, int level, int name, const void *value, uint32_t len)'),
    connect: lib.func('int connect(int fd, const void *addr, uint32_t len)'),
    send: lib.func('intptr_t send(int fd, const void *buf, uintptr_t len, int flags)'),
    recv: lib.func('intptr_t recv(int fd, void *buf, uintptr_t len, int flags)'),
    close: lib.func('int close(int fd)'),
    poll: lib.func('int poll(void *fds, uint64_t nfds, int timeout)'),
  };
  return loaded;
}

/** struct sockaddr_in for `address` (dotted IPv4), port 0. */
export function sockaddrIn(address: string): Buffer {
  const buf = Buffer.alloc(16);
  buf.writeUInt16LE(AF_INET, 0); // sa_family_t, host order (x86-64, arm64: little-endian)
  address.split('.').forEach((part, i) => buf.writeUInt8(Number(part), 4 + i));
  return buf;
}

/** struct sockaddr_in6 for `address` (IPv6 text), port 0, no flow label, no scope: 28 bytes. */
export function sockaddrIn6(address: string): Buffer {
  const buf = Buffer.alloc(28);
  buf.writeUInt16LE(AF_INET6, 0);
  ipv6Bytes(address).copy(buf, 8);
  return buf;
}

/** The sixteen bytes of an IPv6 address in text ("fd77::1"). Throws on anything else. */
export function ipv6Bytes(address: string): Buffer {
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) throw new Error(`not an IPv6 address: ${address}`);
  const buf = Buffer.alloc(16);
  groups.forEach((g, i) => buf.writeUInt16BE(Number.parseInt(g, 16), i * 2));
  return buf;
}

/** An echo request: type 8 (ICMPv6: 128), code 0, checksum and identifier left to the kernel, `sequence`, a payload. */
export function echoRequest(sequence: number, ipv6 = false): Buffer {
  const buf = Buffer.alloc(8 + 16);
  buf.writeUInt8(ipv6 ? ICMPV6_ECHO_REQUEST : ICMP_ECHO, 0);
  buf.writeUInt16BE(sequence & 0xffff, 6);
  buf.write('linkwatch-probe\0', 8, 'latin1');
  return buf;
}

/** True when `reply` (as a ping socket returns it: the ICMP message, no IP header) answers `sequence`. */
export function isEchoReply(reply: Buffer, length: number, sequence: number, ipv6 = false): boolean {
  return length >= 8 && reply.readUInt8(0) === (ipv6 ? ICMPV6_ECHO_REPLY : ICMP_ECHOREPLY) && reply.readUInt16BE(6) === (sequence & 0xffff);
}

let nextSequence = 1;

/** One echo; never throws: every failure is a ProbeResult with `error` (and `rttMs: null`). */
export async function echoLinux(request: ProbeRequest, now: () => number = Date.now): Promise<ProbeResult> {
  const at = now();
  const fail = (code: string | number, message: string): ProbeResult => ({ target: request.target, rttMs: null, at, error: { code, message } });
  let c: IcmpLibc;
  try {
    c = icmpLibc();
  } catch (caught) {
    return fail('ELOAD', `libc cannot be loaded: ${(caught as Error).message}`);
  }
  const ipv6 = request.target.includes(':');
  const fd = c.socket(ipv6 ? AF_INET6 : AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, ipv6 ? IPPROTO_ICMPV6 : IPPROTO_ICMP);
  if (fd < 0) {
    const errno = koffi.errno();
    if (errno === EACCES || errno === EPERM) return fail('EACCES', 'This user may not open ICMP sockets (net.ipv4.ping_group_range excludes its groups): no probe');
    return fail(errno, `socket(${ipv6 ? 'AF_INET6' : 'AF_INET'}, SOCK_DGRAM, ${ipv6 ? 'IPPROTO_ICMPV6' : 'IPPROTO_ICMP'}) failed (errno ${errno})`);
  }
  try {
    const device = Buffer.from(`${request.deviceName}\0`, 'latin1');
    if (c.setsockopt(fd, SOL_SOCKET, SO_BINDTODEVICE, device, device.length) !== 0) {
      return fail('EBIND', `Cannot bind the probe to ${request.deviceName} (errno ${koffi.errno()}): not sent, so that it cannot leave outside the tunnel`);
    }
    const address = ipv6 ? sockaddrIn6(request.target) : sockaddrIn(request.target);
    if (c.connect(fd, address, address.length) !== 0) return fail(koffi.errno(), `No route to ${request.target} through ${request.deviceName} (errno ${koffi.errno()})`);
    const sequence = nextSequence++ & 0xffff;
    const message = echoRequest(sequence, ipv6);
    const started = performance.now();
    if (c.send(fd, message, message.length, 0) < 0) return fail(koffi.errno(), `The echo could not be sent (errno ${koffi.errno()})`);
    const pollfd = Buffer.alloc(8);
    pollfd.writeInt32LE(fd, 0);
    pollfd.writeInt16LE(POLLIN, 4);
    const reply = Buffer.alloc(1500);
    const deadline = started + request.timeoutMs;
    for (;;) {
      const left = Math.max(0, Math.round(deadline - performance.now()));
      const ready = await new Promise<number>((resolve, reject) => c.poll.async(pollfd, 1, left, (err: unknown, n: number) => (err ? reject(err) : resolve(n))));
      if (ready <= 0) return fail('ETIMEDOUT', `No echo reply from ${request.target} within ${request.timeoutMs} ms`);
      const length = c.recv(fd, reply, reply.length, MSG_DONTWAIT);
      if (length > 0 && isEchoReply(reply, length, sequence, ipv6)) return { target: request.target, rttMs: performance.now() - started, at, error: null };
      if (performance.now() >= deadline) return fail('ETIMEDOUT', `No echo reply from ${request.target} within ${request.timeoutMs} ms`);
    }
  } finally {
    c.close(fd);
  }
}
