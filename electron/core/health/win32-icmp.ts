/**
 * One ICMP echo inside a tunnel on Windows, without privileges: iphlpapi's IcmpCreateFile / IcmpSendEcho2Ex /
 * IcmpCloseHandle (icmpapi.h; IcmpSendEcho2Ex since Windows 7). The echo leaves from the tunnel's own address
 * (`SourceAddress`): Windows uses the strong host model for sends since Vista ("Strong and Weak Host Models",
 * Microsoft's Cable Guy, 2006), so a packet with the tunnel's source address can only leave through the tunnel's
 * interface. The call blocks until a reply or the timeout: it runs on koffi's worker pool (`.async`), never on
 * the core's thread. IPv6: Icmp6CreateFile / Icmp6SendEcho2 with SOCKADDR_IN6 source and destination (ws2ipdef.h:
 * family 23, port, flow info, the address at 8, scope id at 24: 28 bytes); its ICMPV6_ECHO_REPLY starts with
 * an IPV6_ADDRESS_EX (26 bytes packed in the SDK, 28 in mingw's header: either way Status lands at 28 and
 * RoundTripTime at 32, the next 4-byte boundary).
 *
 * ICMP_ECHO_REPLY on 64-bit Windows (icmpapi.h / ipexport.h): Address 0, Status 4, RoundTripTime 8 (ms),
 * DataSize 12, Reserved 14, Data 16 (pointer), Options 24 (IP_OPTION_INFORMATION, 16 bytes): 40 bytes. The
 * reply buffer must hold one reply, the request data and 8 more bytes (an ICMP error message), per the docs.
 */
import koffi from 'koffi';
import type { ProbeResult } from '../../../shared/health';
import type { ProbeRequest } from './probe-target';

export const ICMP_ECHO_REPLY_SIZE = 40;
const IP_SUCCESS = 0;
/** ipexport.h IP_STATUS values a user can read. */
const IP_STATUS: ReadonlyMap<number, string> = new Map([
  [11002, 'IP_DEST_NET_UNREACHABLE'],
  [11003, 'IP_DEST_HOST_UNREACHABLE'],
  [11010, 'IP_REQ_TIMED_OUT'],
  [11013, 'IP_TTL_EXPIRED_TRANSIT'],
]);

type Func = ReturnType<ReturnType<typeof koffi.load>['func']>;
interface IcmpApi {
  create: Func;
  send: Func;
  create6: Func | null;
  send6: Func | null;
  close: Func;
}
const loaded = new Map<string, IcmpApi>();

function icmpApi(libraryPath: string): IcmpApi {
  let api = loaded.get(libraryPath);
  if (api) return api;
  const lib = koffi.load(libraryPath);
  api = {
    create: lib.func('__stdcall', 'IcmpCreateFile', 'void *', []),
    send: lib.func('__stdcall', 'IcmpSendEcho2Ex', 'uint32', ['void *', 'void *', 'void *', 'void *', 'uint32', 'uint32', 'void *', 'uint16', 'void *', 'void *', 'uint32', 'uint32']),
    close: lib.func('__stdcall', 'IcmpCloseHandle', 'int32', ['void *']),
    ...optional6(lib),
  };
  loaded.set(libraryPath, api);
  return api;
}

/** The IPv6 functions, where the library has them (every Windows since Vista; absent in a fake). */
function optional6(lib: ReturnType<typeof koffi.load>): Pick<IcmpApi, 'create6' | 'send6'> {
  try {
    return {
      create6: lib.func('__stdcall', 'Icmp6CreateFile', 'void *', []),
      send6: lib.func('__stdcall', 'Icmp6SendEcho2', 'uint32', ['void *', 'void *', 'void *', 'void *', 'void *', 'void *', 'void *', 'uint16', 'void *', 'void *', 'uint32', 'uint32']),
    };
  } catch {
    return { create6: null, send6: null };
  }
}

const WINDOWS_AF_INET6 = 23;
export const ICMPV6_ECHO_REPLY_STATUS = 28;
export const ICMPV6_ECHO_REPLY_RTT = 32;

/** SOCKADDR_IN6 (ws2ipdef.h) for an IPv6 address in text, port 0, no flow label, no scope: 28 bytes. */
export function windowsSockaddrIn6(address: string): Buffer {
  const buf = Buffer.alloc(28);
  buf.writeUInt16LE(WINDOWS_AF_INET6, 0);
  const [head, tail] = address.includes('::') ? address.split('::') : [address, null];
  const headGroups = head ? head.split(':') : [];
  const tailGroups = tail ? tail.split(':') : [];
  const groups = [...headGroups, ...Array<string>(8 - headGroups.length - tailGroups.length).fill('0'), ...tailGroups];
  if (groups.length !== 8 || groups.some((g) => !/^[0-9a-fA-F]{1,4}$/.test(g))) throw new Error(`not an IPv6 address: ${address}`);
  groups.forEach((g, i) => buf.writeUInt16BE(Number.parseInt(g, 16), 8 + i * 2));
  return buf;
}

/** An IPv4 address as IPAddr: the four bytes in network order, read as the little-endian ULONG they are. */
export function ipAddr(address: string): number {
  const parts = address.split('.').map(Number);
  return ((parts[0]! | (parts[1]! << 8) | (parts[2]! << 16)) >>> 0) + parts[3]! * 2 ** 24;
}

/** The first ICMP_ECHO_REPLY of a reply buffer: its status and round-trip time (ms). */
export function decodeEchoReply(buffer: Buffer): { address: number; status: number; rttMs: number } {
  return { address: buffer.readUInt32LE(0), status: buffer.readUInt32LE(4), rttMs: buffer.readUInt32LE(8) };
}

/** One echo; never throws: every failure is a ProbeResult with `error`. */
export async function echoWin32(request: ProbeRequest, libraryPath = 'iphlpapi.dll', now: () => number = Date.now): Promise<ProbeResult> {
  const at = now();
  const fail = (code: string | number, message: string): ProbeResult => ({ target: request.target, rttMs: null, at, error: { code, message } });
  let api: IcmpApi;
  try {
    api = icmpApi(libraryPath);
  } catch (caught) {
    return fail('ELOAD', `${libraryPath} has no ICMP echo API here: ${(caught as Error).message}`);
  }
  const ipv6 = request.target.includes(':');
  if (ipv6 && (!api.create6 || !api.send6)) return fail('ENOTSUP', `${libraryPath} has no Icmp6SendEcho2: no IPv6 probe`);
  const handle = (ipv6 ? api.create6!() : api.create()) as unknown;
  // INVALID_HANDLE_VALUE is (HANDLE)-1.
  if (handle === null || koffi.address(handle) === 0xffffffffffffffffn) return fail('EICMP', `${ipv6 ? 'Icmp6CreateFile' : 'IcmpCreateFile'} failed: no probe`);
  try {
    const data = Buffer.from('linkwatch-probe\0', 'latin1');
    const reply = Buffer.alloc(ICMP_ECHO_REPLY_SIZE + data.length + 8 + 64);
    const started = performance.now();
    const done = (resolve: (n: number) => void, reject: (e: unknown) => void) => (err: unknown, n: number) => (err ? reject(err) : resolve(n));
    const count = await new Promise<number>((resolve, reject) =>
      ipv6
        ? api.send6!.async(handle, null, null, null, windowsSockaddrIn6(request.localAddress), windowsSockaddrIn6(request.target), data, data.length, null, reply, reply.length, request.timeoutMs, done(resolve, reject))
        : api.send.async(handle, null, null, null, ipAddr(request.localAddress), ipAddr(request.target), data, data.length, null, reply, reply.length, request.timeoutMs, done(resolve, reject)),
    );
    const elapsed = performance.now() - started;
    const decoded = ipv6
      ? { address: 0, status: reply.readUInt32LE(ICMPV6_ECHO_REPLY_STATUS), rttMs: reply.readUInt32LE(ICMPV6_ECHO_REPLY_RTT) }
      : decodeEchoReply(reply);
    // IPv4: the reply must come from the target itself; IPv6 replies are matched by Windows to the request.
    if (count > 0 && decoded.status === IP_SUCCESS && (ipv6 || decoded.address === ipAddr(request.target))) {
      // RoundTripTime is whole milliseconds (0 below 1 ms): the measured time is finer and never less.
      return { target: request.target, rttMs: Math.max(decoded.rttMs, Math.min(elapsed, decoded.rttMs + 1)), at, error: null };
    }
    const status = count > 0 ? decoded.status : 11010;
    if (status === 11010) return fail('ETIMEDOUT', `No echo reply from ${request.target} within ${request.timeoutMs} ms`);
    return fail(IP_STATUS.get(status) ?? `IP_STATUS_${status}`, `The echo to ${request.target} failed (${IP_STATUS.get(status) ?? status})`);
  } catch (caught) {
    return fail('EICMP', `IcmpSendEcho2Ex failed: ${(caught as Error).message}`);
  } finally {
    api.close(handle);
  }
}
