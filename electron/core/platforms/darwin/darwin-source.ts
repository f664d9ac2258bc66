/**
 * The macOS backend ("getifaddrs"): utun, ipsec and ppp interfaces from getifaddrs(3) in libSystem, decoded
 * by ifaddrs.ts. UNVERIFIED ON REAL macOS (built and unit-tested on Linux against constructed struct bytes):
 * the README should say so until someone runs `linkwatch list --json` on a Mac.
 *
 * No push notifications yet (a PF_ROUTE socket would give them): the monitor polls, and getifaddrs is a
 * single cheap call. The id is the interface name, since getifaddrs carries no stable index.
 */
import koffi from 'koffi';
import { BackendError } from '../../backend-error';
import type { ConnectionSource, ReadOptions, SourceConnection } from '../source';
import { IFADDRS, IF_DATA, SOCKADDR, buildDarwinConnections, decodeIfaddrsHeader, type IfaddrsEntry } from './ifaddrs';

interface Native {
  getifaddrs(out: [unknown]): number;
  freeifaddrs(list: unknown): void;
}

let native: Native | null = null;
function load(): Native {
  if (native) return native;
  const lib = koffi.load('/usr/lib/libSystem.B.dylib');
  const getifaddrs = lib.func('int getifaddrs(_Out_ void **out)');
  const freeifaddrs = lib.func('void freeifaddrs(void *list)');
  native = { getifaddrs: (out) => getifaddrs(out) as number, freeifaddrs: (list) => void freeifaddrs(list) };
  return native;
}

const bytesAt = (ptr: unknown, length: number): Buffer => Buffer.from(koffi.decode(ptr, 'uint8_t', length) as Uint8Array);

function sockaddrAt(ptr: bigint): Buffer | null {
  if (ptr === 0n) return null;
  const len = bytesAt(ptr, 1)[0] ?? 0;
  return len > SOCKADDR.family ? bytesAt(ptr, len) : null;
}

function readEntries(): IfaddrsEntry[] {
  const n = load();
  const out: [unknown] = [null];
  if (n.getifaddrs(out) !== 0) throw new BackendError(koffi.errno(), `getifaddrs failed (errno ${koffi.errno()})`);
  const head = out[0];
  const entries: IfaddrsEntry[] = [];
  try {
    let ptr: unknown = head;
    while (ptr) {
      const header = decodeIfaddrsHeader(bytesAt(ptr, IFADDRS.size));
      const addr = sockaddrAt(header.addr);
      entries.push({
        name: koffi.decode(header.name, 'const char *') as string,
        flags: header.flags,
        addr,
        netmask: sockaddrAt(header.netmask),
        data: header.data !== 0n ? bytesAt(header.data, IF_DATA.size) : null,
      });
      ptr = header.next === 0n ? null : header.next;
    }
  } finally {
    n.freeifaddrs(head);
  }
  return entries;
}

export function createDarwinSource(): ConnectionSource {
  return {
    backend: 'getifaddrs',
    read: async (options: ReadOptions): Promise<SourceConnection[]> => buildDarwinConnections(readEntries(), options.counters),
    close: () => {},
  };
}
