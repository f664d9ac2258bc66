/**
 * One ICMP echo inside a tunnel on Windows, without privileges: iphlpapi's IcmpCreateFile / IcmpSendEcho2Ex /
 * IcmpCloseHandle (icmpapi.h; IcmpSendEcho2Ex since Windows 7). The echo leaves from the tunnel's own address
 * (`SourceAddress`): Windows uses the strong host model for sends since Vista ("Strong and Weak Host Models",
 * Microsoft's Cable Guy, 2006), so a packet with the tunnel's source address can only leave through the tunnel's
 * interface. The call blocks until a reply or the timeout: it runs on koffi's worker pool (`.async`), never on
 * the core's thread. IPv4 only (Icmp6SendEcho2 would take the same shape for IPv6 tunnels: not done yet).
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
  };
  loaded.set(libraryPath, api);
  return api;
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
  const handle = api.create() as unknown;
  // INVALID_HANDLE_VALUE is (HANDLE)-1.
  if (handle === null || koffi.address(handle) === 0xffffffffffffffffn) return fail('EICMP', 'IcmpCreateFile failed');
  try {
    const data = Buffer.from('linkwatch-probe\0', 'latin1');
    const reply = Buffer.alloc(ICMP_ECHO_REPLY_SIZE + data.length + 8 + 64);
    const started = performance.now();
    const count = await new Promise<number>((resolve, reject) =>
      api.send.async(handle, null, null, null, ipAddr(request.localAddress), ipAddr(request.target), data, data.length, null, reply, reply.length, request.timeoutMs, (err: unknown, n: number) => (err ? reject(err) : resolve(n))),
    );
    const elapsed = performance.now() - started;
    const decoded = decodeEchoReply(reply);
    if (count > 0 && decoded.status === IP_SUCCESS && decoded.address === ipAddr(request.target)) {
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
