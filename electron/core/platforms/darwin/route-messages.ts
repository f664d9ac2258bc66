/**
 * PF_ROUTE routing-socket messages (xnu bsd/net/route.h, bsd/net/if.h), decoded as pure functions. Every
 * message starts with u_short msglen, u_char version (RTM_VERSION 5), u_char type; a read(2) of the socket
 * returns whole messages, one or several. The backend re-reads on the three that change what getifaddrs
 * says: RTM_NEWADDR and RTM_DELADDR (struct ifa_msghdr) and RTM_IFINFO (struct if_msghdr: flags, up/down).
 * Route additions and deletions (struct rt_msghdr) are frequent and say nothing about interfaces: ignored.
 */

export const RTM_VERSION = 5;
export const RTM = {
  ADD: 0x1,
  DELETE: 0x2,
  CHANGE: 0x3,
  GET: 0x4,
  NEWADDR: 0xc,
  DELADDR: 0xd,
  IFINFO: 0xe,
  NEWMADDR: 0xf,
  DELMADDR: 0x10,
} as const;

/** The common prefix of every routing message. */
export const RT_MSG_PREFIX = { size: 4, msglen: 0, version: 2, type: 3 } as const;
/** struct if_msghdr: msglen, version, type, int ifm_addrs 4, int ifm_flags 8, u_short ifm_index 12, struct if_data ifm_data 16 (96 bytes). */
export const IF_MSGHDR = { size: 112, addrs: 4, flags: 8, index: 12, data: 16 } as const;
/** struct ifa_msghdr: msglen, version, type, int ifam_addrs 4, int ifam_flags 8, u_short ifam_index 12, int ifam_metric 16; sockaddrs follow. */
export const IFA_MSGHDR = { size: 20, addrs: 4, flags: 8, index: 12, metric: 16 } as const;
/** struct rt_msghdr: …, u_short rtm_index 4, …, struct rt_metrics rtm_rmx at 36 (14 × u_int32_t); 92 bytes. */
export const RT_MSGHDR = { size: 92, index: 4 } as const;

export interface RouteMessage {
  type: number;
  version: number;
  /** The interface index the message is about (ifm_index, ifam_index, rtm_index), when it is long enough. */
  index: number | null;
  /** if_msghdr's ifm_flags (RTM_IFINFO only). */
  flags: number | null;
}

export interface DecodedRead {
  messages: RouteMessage[];
  /** False when bytes were left that form no whole message (a truncated or garbled read). */
  complete: boolean;
}

/**
 * Split what one read returned into messages. Stops at the first message whose msglen is shorter than the
 * prefix or runs past the bytes (a truncated read): what came before it is kept. Never throws.
 */
export function decodeRouteMessages(bytes: Buffer): DecodedRead {
  const out: RouteMessage[] = [];
  let offset = 0;
  while (offset + RT_MSG_PREFIX.size <= bytes.length) {
    const msglen = bytes.readUInt16LE(offset + RT_MSG_PREFIX.msglen);
    if (msglen < RT_MSG_PREFIX.size || offset + msglen > bytes.length) break;
    const m = bytes.subarray(offset, offset + msglen);
    const type = m[RT_MSG_PREFIX.type]!;
    let index: number | null = null;
    let flags: number | null = null;
    if (type === RTM.IFINFO && msglen >= IF_MSGHDR.size) {
      index = m.readUInt16LE(IF_MSGHDR.index);
      flags = m.readInt32LE(IF_MSGHDR.flags);
    } else if ((type === RTM.NEWADDR || type === RTM.DELADDR) && msglen >= IFA_MSGHDR.size) {
      index = m.readUInt16LE(IFA_MSGHDR.index);
    } else if (type >= RTM.ADD && type <= 0xb && msglen >= RT_MSGHDR.size) {
      index = m.readUInt16LE(RT_MSGHDR.index);
    }
    out.push({ type, version: m[RT_MSG_PREFIX.version]!, index, flags });
    offset += msglen;
  }
  return { messages: out, complete: offset === bytes.length };
}

/**
 * Whether a read can have changed the list: an address added or removed, or an interface's flags, on an
 * interface `isWatchedIndex` accepts (the caller's: a candidate's index, or one it has not seen yet), or
 * bytes that could not be decoded (then assume anything changed: a re-read is cheap, a missed change is not).
 */
export function affectsInterfaces(read: DecodedRead, isWatchedIndex: (index: number) => boolean = () => true): boolean {
  return !read.complete || read.messages.some(
    (m) =>
      m.version === RTM_VERSION &&
      (m.type === RTM.NEWADDR || m.type === RTM.DELADDR || m.type === RTM.IFINFO) &&
      (m.index === null || isWatchedIndex(m.index)),
  );
}
