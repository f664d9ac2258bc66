/**
 * macOS routing table messages (issue 25), decoded as pure functions: the NET_RT_DUMP sysctl's list of
 * rt_msghdr + sockaddrs, and the RTM_GET request and its answer on a PF_ROUTE socket (the kernel's own lookup:
 * nothing is sent). Sources: xnu bsd/net/route.h (struct rt_msghdr, RTA_*, RTF_*), bsd/net/rtsock.c
 * (sysctl_dumpentry, route_output, rt_msg2: sockaddrs follow the header in RTA_* bit order, each padded to a
 * multiple of 4 bytes, ROUNDUP32; a zero-length netmask is the /0 mask), bsd/net/if_dl.h (sockaddr_dl).
 */
import { ipv4Text, ipv6Text } from '../ip-text';
import { addressValue } from '../../routing/prefix';

/** struct rt_msghdr: 92 bytes (rt_metrics is 14 × u_int32_t at 36). */
export const RT_MSGHDR = { size: 92, msglen: 0, version: 2, type: 3, index: 4, flags: 8, addrs: 12, pid: 16, seq: 20, errno: 24 } as const;
export const RTM_VERSION = 5;
export const RTM_GET = 0x4;
export const RTA = { DST: 0x1, GATEWAY: 0x2, NETMASK: 0x4, GENMASK: 0x8, IFP: 0x10, IFA: 0x20, AUTHOR: 0x40, BRD: 0x80 } as const;
export const RTF = {
  UP: 0x1,
  GATEWAY: 0x2,
  HOST: 0x4,
  REJECT: 0x8,
  BLACKHOLE: 0x1000,
  WASCLONED: 0x20000,
  LOCAL: 0x200000,
  BROADCAST: 0x400000,
  MULTICAST: 0x800000,
  IFSCOPE: 0x1000000,
} as const;
/** Darwin's families (bsd/sys/socket.h). */
export const DARWIN_AF = { INET: 2, LINK: 18, INET6: 30 } as const;
/** { CTL_NET, PF_ROUTE, 0, AF_UNSPEC, NET_RT_DUMP, 0 }: every route of every family (sysctl_rtsock). */
export const NET_RT_DUMP_MIB = [4, 17, 0, 0, 1, 0] as const;
/** sockaddr_dl: sdl_len, sdl_family, u_short sdl_index at 2, sdl_nlen at 5, sdl_data (the name first) at 8. */
export const SOCKADDR_DL = { index: 2, nlen: 5, data: 8 } as const;

const ADDRESS_AT: Record<number, { at: number; bytes: number }> = { [DARWIN_AF.INET]: { at: 4, bytes: 4 }, [DARWIN_AF.INET6]: { at: 8, bytes: 16 } };

export interface DarwinRoute {
  family: 4 | 6;
  destination: string;
  /** The gateway's address; null for an interface route (a sockaddr_dl gateway, "link#N"). */
  gateway: string | null;
  /** rtm_index: the interface it leaves by. */
  index: number;
  /** The interface's name where the message carries it (RTA_IFP, in RTM_GET answers). */
  ifName: string | null;
  flags: number;
}

const roundup32 = (n: number): number => (n > 0 ? 1 + ((n - 1) | 3) : 4);

function addressText(family: number, bytes: Buffer): string {
  return family === DARWIN_AF.INET ? ipv4Text(bytes) : ipv6Text(bytes);
}

/** One message at `at` (its msglen bytes): null for a message too short or of another family. */
function decodeRouteMessage(buf: Buffer, at: number, msglen: number): DarwinRoute | null {
  if (msglen < RT_MSGHDR.size) return null;
  const end = at + msglen;
  const addrs = buf.readInt32LE(at + RT_MSGHDR.addrs);
  const flags = buf.readInt32LE(at + RT_MSGHDR.flags);
  const sockaddrs = new Map<number, Buffer>();
  let offset = at + RT_MSGHDR.size;
  for (let bit = 1; bit <= RTA.BRD; bit <<= 1) {
    if (!(addrs & bit)) continue;
    if (offset >= end) return null;
    const len = buf[offset]!;
    const padded = roundup32(len);
    if (offset + Math.max(len, 1) > end) return null;
    sockaddrs.set(bit, buf.subarray(offset, offset + len));
    offset += padded;
  }
  const dst = sockaddrs.get(RTA.DST);
  if (!dst || dst.length < 2) return null;
  const family = dst[1]!;
  const place = ADDRESS_AT[family];
  if (!place || dst.length < place.at + place.bytes) return null;
  const bits = place.bytes * 8;
  let length = bits;
  const mask = sockaddrs.get(RTA.NETMASK);
  if (mask && !(flags & RTF.HOST)) {
    // The mask's bytes from the address offset, as many as its sa_len keeps (the rest are zero).
    length = 0;
    for (let i = 0; i < place.bytes; i++) {
      const byte = place.at + i < mask.length ? mask[place.at + i]! : 0;
      if (byte === 0xff) {
        length += 8;
        continue;
      }
      length += Math.clz32(~byte << 24);
      break;
    }
  }
  const gw = sockaddrs.get(RTA.GATEWAY);
  const gwPlace = gw && gw.length >= 2 ? ADDRESS_AT[gw[1]!] : undefined;
  const gateway = gw && gwPlace && gw.length >= gwPlace.at + gwPlace.bytes ? addressText(gw[1]!, gw.subarray(gwPlace.at, gwPlace.at + gwPlace.bytes)) : null;
  const ifp = sockaddrs.get(RTA.IFP);
  let ifName: string | null = null;
  if (ifp && ifp.length > SOCKADDR_DL.data && ifp[1] === DARWIN_AF.LINK) {
    const nlen = ifp[SOCKADDR_DL.nlen]!;
    if (SOCKADDR_DL.data + nlen <= ifp.length) ifName = ifp.toString('utf8', SOCKADDR_DL.data, SOCKADDR_DL.data + nlen);
  }
  const network = Buffer.from(dst.subarray(place.at, place.at + place.bytes));
  // KAME embeds a link-local destination's scope in bytes 2-3: not part of the address.
  if (family === DARWIN_AF.INET6 && network[0] === 0xfe && (network[1]! & 0xc0) === 0x80) network.writeUInt16BE(0, 2);
  return { family: family === DARWIN_AF.INET ? 4 : 6, destination: `${addressText(family, network)}/${length}`, gateway, index: buf.readUInt16LE(at + RT_MSGHDR.index), ifName, flags };
}

/** What NET_RT_DUMP wrote: every message until the bytes end or one is cut short. Never throws. */
export function decodeRouteDump(buf: Buffer): DarwinRoute[] {
  const routes: DarwinRoute[] = [];
  for (let at = 0; at + 4 <= buf.length; ) {
    const msglen = buf.readUInt16LE(at + RT_MSGHDR.msglen);
    if (msglen < 4 || at + msglen > buf.length) break;
    if (buf[at + RT_MSGHDR.version] === RTM_VERSION) {
      const route = decodeRouteMessage(buf, at, msglen);
      if (route) routes.push(route);
    }
    at += msglen;
  }
  return routes;
}

/** An RTM_GET for one address, asking for the interface (RTA_IFP) in the answer (route(8) `get` does the same). */
export function buildRouteGet(target: string, seq: number, pid: number): Buffer {
  const parsed = addressValue(target);
  if (!parsed) throw new Error(`not an address: ${target}`);
  const family = parsed.family === 4 ? DARWIN_AF.INET : DARWIN_AF.INET6;
  const place = ADDRESS_AT[family]!;
  const saLen = family === DARWIN_AF.INET ? 16 : 28;
  const dl = 20; // an empty sockaddr_dl for RTA_IFP: "tell me the interface"
  const buf = Buffer.alloc(RT_MSGHDR.size + roundup32(saLen) + roundup32(dl));
  buf.writeUInt16LE(buf.length, RT_MSGHDR.msglen);
  buf[RT_MSGHDR.version] = RTM_VERSION;
  buf[RT_MSGHDR.type] = RTM_GET;
  buf.writeInt32LE(RTF.UP | RTF.HOST, RT_MSGHDR.flags);
  buf.writeInt32LE(RTA.DST | RTA.IFP, RT_MSGHDR.addrs);
  buf.writeInt32LE(pid, RT_MSGHDR.pid);
  buf.writeInt32LE(seq, RT_MSGHDR.seq);
  const sa = RT_MSGHDR.size;
  buf[sa] = saLen;
  buf[sa + 1] = family;
  let value = parsed.value;
  for (let i = place.bytes - 1; i >= 0; i--) {
    buf[sa + place.at + i] = Number(value & 0xffn);
    value >>= 8n;
  }
  const ifp = sa + roundup32(saLen);
  buf[ifp] = dl;
  buf[ifp + 1] = DARWIN_AF.LINK;
  return buf;
}

/** The answer to our RTM_GET among what a read returned (a routing socket also carries everyone's news). */
export function findRouteGetAnswer(buf: Buffer, seq: number, pid: number): { route: DarwinRoute | null; errno: number } | null {
  for (let at = 0; at + RT_MSGHDR.size <= buf.length; ) {
    const msglen = buf.readUInt16LE(at);
    if (msglen < 4 || at + msglen > buf.length) break;
    if (buf[at + RT_MSGHDR.type] === RTM_GET && buf.readInt32LE(at + RT_MSGHDR.pid) === pid && buf.readInt32LE(at + RT_MSGHDR.seq) === seq) {
      return { route: decodeRouteMessage(buf, at, msglen), errno: buf.readInt32LE(at + RT_MSGHDR.errno) };
    }
    at += msglen;
  }
  return null;
}
