/**
 * rtnetlink wire format: the headers and attribute numbers Linkwatch reads, and pure decoders from the bytes a
 * NETLINK_ROUTE socket returns to plain objects. No native library is touched here, so every decoder is
 * unit-tested on recorded and constructed messages (test/unit/platforms/linux/rtnetlink.test.ts).
 *
 * Sources: <linux/netlink.h>, <linux/rtnetlink.h>, <linux/if_link.h>, <linux/if_addr.h>, <linux/if.h>,
 * <linux/if_arp.h>. Netlink is in host byte order; Linkwatch runs on little-endian Linux (x64, arm64), and
 * `assertLittleEndian` says so loudly anywhere else rather than decoding garbage.
 */
import os from 'node:os';
import { ipv4Text, ipv6Text } from '../ip-text';

/** A struct's size and member offsets, declared once; tests check them against koffi's C layout. */
export const NLMSGHDR = { size: 16, len: 0, type: 4, flags: 6, seq: 8, pid: 12 } as const;
/** struct ifinfomsg { u8 family; u8 pad; u16 type; s32 index; u32 flags; u32 change; } */
export const IFINFOMSG = { size: 16, family: 0, type: 2, index: 4, flags: 8, change: 12 } as const;
/** struct ifaddrmsg { u8 family; u8 prefixlen; u8 flags; u8 scope; u32 index; } */
export const IFADDRMSG = { size: 8, family: 0, prefixlen: 1, flags: 2, scope: 3, index: 4 } as const;
/** struct rtattr / struct nlattr { u16 len; u16 type; } */
export const RTATTR = { size: 4, len: 0, type: 2 } as const;
/** struct nlmsgerr { s32 error; struct nlmsghdr msg; } */
export const NLMSGERR = { size: 20, error: 0 } as const;
/** struct sockaddr_nl { u16 nl_family; u16 nl_pad; u32 nl_pid; u32 nl_groups; } */
export const SOCKADDR_NL = { size: 12, family: 0, pid: 4, groups: 8 } as const;
/** struct rtnl_link_stats64: 64-bit counters; only the byte counters are read. */
export const RTNL_LINK_STATS64 = { rxBytes: 16, txBytes: 24 } as const;
/** struct rtnl_link_stats (IFLA_STATS, 32-bit; wraps at 4 GiB): the fallback where IFLA_STATS64 is absent. */
export const RTNL_LINK_STATS = { rxBytes: 8, txBytes: 12 } as const;

export const AF_UNSPEC = 0;
export const AF_INET = 2;
export const AF_INET6 = 10;
export const AF_NETLINK = 16;
export const NETLINK_ROUTE = 0;

export const NLMSG_NOOP = 1;
export const NLMSG_ERROR = 2;
export const NLMSG_DONE = 3;
export const NLMSG_OVERRUN = 4;

export const NLM_F_REQUEST = 0x1;
export const NLM_F_MULTI = 0x2;
export const NLM_F_ACK = 0x4;
/** Set on a dump's messages when the table changed while it was being dumped: the dump must be redone. */
export const NLM_F_DUMP_INTR = 0x10;
export const NLM_F_DUMP = 0x300;

export const RTM_NEWLINK = 16;
export const RTM_DELLINK = 17;
export const RTM_GETLINK = 18;
export const RTM_NEWADDR = 20;
export const RTM_DELADDR = 21;
export const RTM_GETADDR = 22;

/** Multicast group bit masks for sockaddr_nl.nl_groups (RTMGRP_*, i.e. 1 << (RTNLGRP_* - 1)). */
export const RTMGRP_LINK = 0x1; // RTNLGRP_LINK = 1
export const RTMGRP_IPV4_IFADDR = 0x10; // RTNLGRP_IPV4_IFADDR = 5
export const RTMGRP_IPV6_IFADDR = 0x100; // RTNLGRP_IPV6_IFADDR = 9

export const IFLA_IFNAME = 3;
export const IFLA_MTU = 4;
export const IFLA_STATS = 7;
export const IFLA_OPERSTATE = 16;
export const IFLA_LINKINFO = 18;
export const IFLA_STATS64 = 23;
/** u32 request attribute of RTM_GETLINK dumps: RTEXT_FILTER_* bits. */
export const IFLA_EXT_MASK = 29;
export const IFLA_CARRIER = 33;
/** Linux 4.20+: leave the counters out of the dump (older kernels ignore the bit and send them anyway). */
export const RTEXT_FILTER_SKIP_STATS = 1 << 3;

export const IFLA_INFO_KIND = 1;
export const IFLA_INFO_DATA = 2;
/** Inside IFLA_INFO_DATA of kind "tun" (Linux 4.15+): u8, IFF_TUN = 1, IFF_TAP = 2. */
export const IFLA_TUN_TYPE = 3;
export const TUN_TYPE_TUN = 1;
export const TUN_TYPE_TAP = 2;

export const IFA_ADDRESS = 1;
export const IFA_LOCAL = 2;
export const IFA_FLAGS = 8;
export const IFA_F_TENTATIVE = 0x40;
export const IFA_F_DADFAILED = 0x08;

const NLA_TYPE_MASK = 0x3fff; // drops NLA_F_NESTED and NLA_F_NET_BYTEORDER

/** net_device flags (<linux/if.h>), in the order `ip link` prints them. */
export const IFF = {
  UP: 0x1,
  BROADCAST: 0x2,
  LOOPBACK: 0x8,
  POINTOPOINT: 0x10,
  RUNNING: 0x40,
  NOARP: 0x80,
  MULTICAST: 0x1000,
  LOWER_UP: 0x10000,
  DORMANT: 0x20000,
} as const;

/** RFC 2863 operational state (IFLA_OPERSTATE). */
export const OPERSTATES = ['UNKNOWN', 'NOTPRESENT', 'DOWN', 'LOWERLAYERDOWN', 'TESTING', 'DORMANT', 'UP'] as const;
export type OperState = (typeof OPERSTATES)[number];

/** Hardware types (<linux/if_arp.h>) that mark a point-to-point or tunnel link. */
export const ARPHRD = {
  ETHER: 1,
  PPP: 512,
  TUNNEL: 768, // ipip, vti
  TUNNEL6: 769, // ip6tnl, vti6
  SIT: 776,
  IPGRE: 778,
  IP6GRE: 823,
  /** tun (IFF_TUN), wireguard, xfrm: no link-layer header at all. */
  NONE: 0xfffe,
} as const;

export interface NetlinkMessage {
  type: number;
  flags: number;
  seq: number;
  pid: number;
  /** The message body after the nlmsghdr (a view into the received buffer, not a copy). */
  payload: Buffer;
}

export interface LinkMessage {
  index: number;
  /** ARPHRD_* */
  type: number;
  flags: number;
  name: string | null;
  mtu: number | null;
  operstate: OperState | null;
  carrier: boolean | null;
  /** IFLA_INFO_KIND: "tun", "wireguard", "ppp", "gre"…; null for links without rtnl_link_ops (ethernet…). */
  kind: string | null;
  /** For kind "tun": TUN_TYPE_TUN or TUN_TYPE_TAP, when the kernel reports it. */
  tunType: number | null;
  rxBytes: number | null;
  txBytes: number | null;
}

export interface AddressMessage {
  family: number;
  prefixlen: number;
  flags: number;
  scope: number;
  index: number;
  /** IFA_LOCAL when present (on point-to-point links IFA_ADDRESS is the peer), else IFA_ADDRESS. */
  address: string | null;
}

export function assertLittleEndian(): void {
  if (os.endianness() !== 'LE') throw new Error('Linkwatch decodes rtnetlink in little-endian byte order only');
}

const align4 = (n: number): number => (n + 3) & ~3;

/** Split a datagram into netlink messages. Stops at a truncated header rather than reading past the end. */
export function parseMessages(buf: Buffer): NetlinkMessage[] {
  const messages: NetlinkMessage[] = [];
  let offset = 0;
  while (offset + NLMSGHDR.size <= buf.length) {
    const len = buf.readUInt32LE(offset + NLMSGHDR.len);
    if (len < NLMSGHDR.size || offset + len > buf.length) break;
    messages.push({
      type: buf.readUInt16LE(offset + NLMSGHDR.type),
      flags: buf.readUInt16LE(offset + NLMSGHDR.flags),
      seq: buf.readUInt32LE(offset + NLMSGHDR.seq),
      pid: buf.readUInt32LE(offset + NLMSGHDR.pid),
      payload: buf.subarray(offset + NLMSGHDR.size, offset + len),
    });
    offset += align4(len);
  }
  return messages;
}

/** Attributes of one level, as type → value view. A repeated type keeps its first occurrence. */
export function parseAttributes(buf: Buffer, start = 0): Map<number, Buffer> {
  const attrs = new Map<number, Buffer>();
  let offset = start;
  while (offset + RTATTR.size <= buf.length) {
    const len = buf.readUInt16LE(offset + RTATTR.len);
    if (len < RTATTR.size || offset + len > buf.length) break;
    const type = buf.readUInt16LE(offset + RTATTR.type) & NLA_TYPE_MASK;
    if (!attrs.has(type)) attrs.set(type, buf.subarray(offset + RTATTR.size, offset + len));
    offset += align4(len);
  }
  return attrs;
}

/** A NUL-terminated string attribute. */
export function attrString(value: Buffer | undefined): string | null {
  if (!value) return null;
  const nul = value.indexOf(0);
  return value.toString('utf8', 0, nul === -1 ? value.length : nul);
}

function attrU32(value: Buffer | undefined): number | null {
  return value && value.length >= 4 ? value.readUInt32LE(0) : null;
}

function attrU8(value: Buffer | undefined): number | null {
  return value && value.length >= 1 ? value.readUInt8(0) : null;
}

/**
 * The RTM_NEWLINK/RTM_DELLINK body. `counters` false skips the statistics attributes. One pass over the
 * attributes without building a map: a link carries some fifty of them and only seven are read (this is
 * the hot loop of a snapshot; see test/bench/linux-snapshot.ts).
 */
export function parseLinkMessage(payload: Buffer, counters = true): LinkMessage | null {
  if (payload.length < IFINFOMSG.size) return null;
  let name: string | null = null;
  let mtu: number | null = null;
  let operstateCode: number | null = null;
  let carrier: number | null = null;
  let linkinfo: Buffer | undefined;
  let stats64: Buffer | undefined;
  let stats32: Buffer | undefined;
  for (let offset = IFINFOMSG.size; offset + RTATTR.size <= payload.length; ) {
    const len = payload.readUInt16LE(offset + RTATTR.len);
    if (len < RTATTR.size || offset + len > payload.length) break;
    const start = offset + RTATTR.size;
    switch (payload.readUInt16LE(offset + RTATTR.type) & NLA_TYPE_MASK) {
      case IFLA_IFNAME:
        name = attrString(payload.subarray(start, offset + len));
        break;
      case IFLA_MTU:
        if (len >= RTATTR.size + 4) mtu = payload.readUInt32LE(start);
        break;
      case IFLA_OPERSTATE:
        if (len > RTATTR.size) operstateCode = payload.readUInt8(start);
        break;
      case IFLA_CARRIER:
        if (len > RTATTR.size) carrier = payload.readUInt8(start);
        break;
      case IFLA_LINKINFO:
        linkinfo = payload.subarray(start, offset + len);
        break;
      case IFLA_STATS64:
        if (counters) stats64 = payload.subarray(start, offset + len);
        break;
      case IFLA_STATS:
        if (counters) stats32 = payload.subarray(start, offset + len);
        break;
    }
    offset += align4(len);
  }
  let kind: string | null = null;
  let tunType: number | null = null;
  if (linkinfo) {
    const info = parseAttributes(linkinfo);
    kind = attrString(info.get(IFLA_INFO_KIND));
    const data = info.get(IFLA_INFO_DATA);
    if (kind === 'tun' && data) tunType = attrU8(parseAttributes(data).get(IFLA_TUN_TYPE));
  }
  let rxBytes: number | null = null;
  let txBytes: number | null = null;
  if (stats64 && stats64.length >= RTNL_LINK_STATS64.txBytes + 8) {
    // Number is exact up to 2^53 bytes (8 PiB): beyond any link's lifetime.
    rxBytes = Number(stats64.readBigUInt64LE(RTNL_LINK_STATS64.rxBytes));
    txBytes = Number(stats64.readBigUInt64LE(RTNL_LINK_STATS64.txBytes));
  } else if (stats32 && stats32.length >= RTNL_LINK_STATS.txBytes + 4) {
    rxBytes = stats32.readUInt32LE(RTNL_LINK_STATS.rxBytes);
    txBytes = stats32.readUInt32LE(RTNL_LINK_STATS.txBytes);
  }
  return {
    index: payload.readInt32LE(IFINFOMSG.index),
    type: payload.readUInt16LE(IFINFOMSG.type),
    flags: payload.readUInt32LE(IFINFOMSG.flags),
    name,
    mtu,
    operstate: operstateCode === null ? null : (OPERSTATES[operstateCode] ?? 'UNKNOWN'),
    carrier: carrier === null ? null : carrier !== 0,
    kind,
    tunType,
    rxBytes,
    txBytes,
  };
}

/** The RTM_NEWADDR/RTM_DELADDR body. */
export function parseAddressMessage(payload: Buffer): AddressMessage | null {
  if (payload.length < IFADDRMSG.size) return null;
  const family = payload.readUInt8(IFADDRMSG.family);
  const attrs = parseAttributes(payload, IFADDRMSG.size);
  const raw = attrs.get(IFA_LOCAL) ?? attrs.get(IFA_ADDRESS);
  // IFA_FLAGS (u32) supersedes the 8-bit ifa_flags where present (Linux 3.14+).
  const flags = attrU32(attrs.get(IFA_FLAGS)) ?? payload.readUInt8(IFADDRMSG.flags);
  return {
    family,
    prefixlen: payload.readUInt8(IFADDRMSG.prefixlen),
    flags,
    scope: payload.readUInt8(IFADDRMSG.scope),
    index: payload.readUInt32LE(IFADDRMSG.index),
    address: raw ? formatAddress(family, raw) : null,
  };
}

/** The errno of an NLMSG_ERROR body, negated to positive (0 is an ACK). */
export function parseErrorMessage(payload: Buffer): number {
  return payload.length >= 4 ? -payload.readInt32LE(NLMSGERR.error) : 0;
}

/** Dotted quad or RFC 5952 text, as inet_ntop prints it; null for another family or a short attribute. */
export function formatAddress(family: number, raw: Buffer): string | null {
  if (family === AF_INET && raw.length >= 4) return ipv4Text(raw);
  if (family === AF_INET6 && raw.length >= 16) return ipv6Text(raw);
  return null;
}

/** `ip`-style flag words for the flags that say something about a tunnel's state. */
export function describeFlags(flags: number): string[] {
  const words: string[] = [];
  for (const name of ['UP', 'LOWER_UP', 'DORMANT'] as const) if (flags & IFF[name]) words.push(name);
  if (!(flags & IFF.UP)) words.unshift('DOWN');
  return words;
}

/**
 * A dump request: nlmsghdr + the family header (ifinfomsg for links, ifaddrmsg for addresses), plus
 * IFLA_EXT_MASK for link dumps when counters are not wanted.
 */
export function buildDumpRequest(type: typeof RTM_GETLINK | typeof RTM_GETADDR, seq: number, options: { skipStats?: boolean } = {}): Buffer {
  const bodySize = type === RTM_GETLINK ? IFINFOMSG.size : IFADDRMSG.size;
  const extMask = type === RTM_GETLINK && options.skipStats ? RTATTR.size + 4 : 0;
  const len = NLMSGHDR.size + bodySize + extMask;
  const buf = Buffer.alloc(len);
  buf.writeUInt32LE(len, NLMSGHDR.len);
  buf.writeUInt16LE(type, NLMSGHDR.type);
  buf.writeUInt16LE(NLM_F_REQUEST | NLM_F_DUMP, NLMSGHDR.flags);
  buf.writeUInt32LE(seq >>> 0, NLMSGHDR.seq);
  // family stays AF_UNSPEC (0): every family's addresses, every link.
  if (extMask) {
    const at = NLMSGHDR.size + bodySize;
    buf.writeUInt16LE(RTATTR.size + 4, at + RTATTR.len);
    buf.writeUInt16LE(IFLA_EXT_MASK, at + RTATTR.type);
    buf.writeUInt32LE(RTEXT_FILTER_SKIP_STATS, at + RTATTR.size);
  }
  return buf;
}

/** sockaddr_nl for bind(2): pid 0 lets the kernel pick the port id. */
export function buildSockaddrNl(groups: number): Buffer {
  const buf = Buffer.alloc(SOCKADDR_NL.size);
  buf.writeUInt16LE(AF_NETLINK, SOCKADDR_NL.family);
  buf.writeUInt32LE(groups >>> 0, SOCKADDR_NL.groups);
  return buf;
}
