/**
 * rtnetlink's routes and policy rules (issue 25): the wire format of RTM_NEWROUTE and RTM_NEWRULE, pure
 * decoders to plain objects, and the requests Linkwatch sends: a dump of every table's routes, a dump of the
 * rules, and a route lookup for one address (RTM_GETROUTE without NLM_F_DUMP: the kernel resolves it as it
 * would a packet's, through the rules, and sends nothing anywhere).
 *
 * Sources: <linux/rtnetlink.h> (struct rtmsg, RTA_*, RTN_*, RTPROT_*, RTM_F_*, struct rtnexthop),
 * <linux/fib_rules.h> (struct fib_rule_hdr, FRA_*, FR_ACT_*, FIB_RULE_INVERT). Host byte order, as
 * rtnetlink.ts (little-endian only).
 */
import { AF_INET, AF_INET6, NLMSGHDR, NLM_F_ACK, NLM_F_DUMP, NLM_F_REQUEST, RTATTR, attrString, formatAddress, parseAttributes } from './rtnetlink';

/** struct rtmsg { u8 family, dst_len, src_len, tos, table, protocol, scope, type; u32 flags; } */
export const RTMSG = { size: 12, family: 0, dstLen: 1, srcLen: 2, tos: 3, table: 4, protocol: 5, scope: 6, type: 7, flags: 8 } as const;
/** struct fib_rule_hdr { u8 family, dst_len, src_len, tos, table, res1, res2, action; u32 flags; } */
export const FIB_RULE_HDR = { size: 12, family: 0, dstLen: 1, srcLen: 2, tos: 3, table: 4, action: 7, flags: 8 } as const;
/** struct rtnexthop { u16 len; u8 flags; u8 hops; s32 ifindex; } then its own attributes. */
export const RTNEXTHOP = { size: 8, len: 0, ifindex: 4 } as const;

export const RTM_NEWROUTE = 24;
export const RTM_DELROUTE = 25;
export const RTM_GETROUTE = 26;
export const RTM_NEWRULE = 32;
export const RTM_DELRULE = 33;
export const RTM_GETRULE = 34;

/** Multicast groups as nl_groups bits (1 << (RTNLGRP_* - 1)): IPV4_ROUTE 7, IPV4_RULE 8, IPV6_ROUTE 11. */
export const RTMGRP_IPV4_ROUTE = 0x40;
export const RTMGRP_IPV4_RULE = 0x80;
export const RTMGRP_IPV6_ROUTE = 0x400;
/** RTNLGRP_IPV6_RULE is 19: still within bind(2)'s 32-bit group mask. */
export const RTMGRP_IPV6_RULE = 0x40000;

export const RTA_DST = 1;
export const RTA_OIF = 4;
export const RTA_GATEWAY = 5;
export const RTA_PRIORITY = 6;
export const RTA_MULTIPATH = 9;
export const RTA_TABLE = 15;

export const RT_TABLE_MAIN = 254;
export const RT_TABLE_LOCAL = 255;
/** The kernel made the route for an address's own subnet. */
export const RTPROT_KERNEL = 2;
/** A cached clone (an IPv6 exception, a PMTU entry): not a route anyone configured. */
export const RTM_F_CLONED = 0x200;

/** RTN_* (route types), in the kernel's numbering. */
const ROUTE_TYPES = ['other', 'unicast', 'local', 'broadcast', 'other', 'multicast', 'blackhole', 'unreachable', 'prohibit', 'throw'] as const;
export type NetlinkRouteType = (typeof ROUTE_TYPES)[number];

export const FRA_DST = 1;
export const FRA_SRC = 2;
export const FRA_IIFNAME = 3;
export const FRA_PRIORITY = 6;
export const FRA_FWMARK = 10;
export const FRA_TUN_ID = 12;
export const FRA_SUPPRESS_PREFIXLEN = 14;
export const FRA_TABLE = 15;
export const FRA_FWMASK = 16;
export const FRA_OIFNAME = 17;
export const FRA_L3MDEV = 19;
export const FRA_UID_RANGE = 20;
export const FRA_IP_PROTO = 22;
export const FRA_SPORT_RANGE = 23;
export const FRA_DPORT_RANGE = 24;
export const FIB_RULE_INVERT = 0x2;
/** FR_ACT_*: 1 to table, 2 goto, 3 nop, 6 blackhole, 7 unreachable, 8 prohibit. */
const RULE_ACTIONS = new Map<number, 'lookup' | 'unreachable' | 'blackhole' | 'prohibit'>([
  [1, 'lookup'],
  [6, 'blackhole'],
  [7, 'unreachable'],
  [8, 'prohibit'],
]);

export interface RouteMessage {
  family: 4 | 6;
  destination: string;
  dstLen: number;
  table: number;
  protocol: number;
  type: NetlinkRouteType;
  flags: number;
  /** Output interfaces: one, or each hop's of a multipath route; empty for unreachable and the like. */
  oifs: number[];
  gateway: string | null;
  metric: number;
}

export interface RuleMessage {
  family: 4 | 6;
  priority: number;
  action: 'lookup' | 'unreachable' | 'blackhole' | 'prohibit' | 'other';
  table: number;
  selective: boolean;
  invert: boolean;
  suppressPrefixLength: number | null;
}

function familyOf(code: number): 4 | 6 | null {
  return code === AF_INET ? 4 : code === AF_INET6 ? 6 : null;
}

function u32(value: Buffer | undefined): number | null {
  return value && value.length >= 4 ? value.readUInt32LE(0) : null;
}

/** The RTM_NEWROUTE/RTM_DELROUTE body (a dump's entry, or the answer to a lookup); null for other families. */
export function parseRouteMessage(payload: Buffer): RouteMessage | null {
  if (payload.length < RTMSG.size) return null;
  const family = familyOf(payload.readUInt8(RTMSG.family));
  if (family === null) return null;
  const dstLen = payload.readUInt8(RTMSG.dstLen);
  if (dstLen > (family === 4 ? 32 : 128)) return null;
  const attrs = parseAttributes(payload, RTMSG.size);
  const raw = attrs.get(RTA_DST);
  const zero = family === 4 ? '0.0.0.0' : '::';
  const dst = raw ? formatAddress(family === 4 ? AF_INET : AF_INET6, raw) : zero;
  if (dst === null) return null;
  const oifs: number[] = [];
  const oif = u32(attrs.get(RTA_OIF));
  if (oif !== null) oifs.push(oif);
  let gatewayRaw = attrs.get(RTA_GATEWAY);
  const multipath = attrs.get(RTA_MULTIPATH);
  if (multipath) {
    for (let offset = 0; offset + RTNEXTHOP.size <= multipath.length; ) {
      const len = multipath.readUInt16LE(offset + RTNEXTHOP.len);
      if (len < RTNEXTHOP.size || offset + len > multipath.length) break;
      oifs.push(multipath.readInt32LE(offset + RTNEXTHOP.ifindex));
      gatewayRaw ??= parseAttributes(multipath.subarray(offset + RTNEXTHOP.size, offset + len)).get(RTA_GATEWAY);
      offset += (len + 3) & ~3;
    }
  }
  return {
    family,
    destination: `${dst}/${dstLen}`,
    dstLen,
    table: u32(attrs.get(RTA_TABLE)) ?? payload.readUInt8(RTMSG.table),
    protocol: payload.readUInt8(RTMSG.protocol),
    type: ROUTE_TYPES[payload.readUInt8(RTMSG.type)] ?? 'other',
    flags: payload.readUInt32LE(RTMSG.flags),
    oifs,
    gateway: gatewayRaw ? formatAddress(family === 4 ? AF_INET : AF_INET6, gatewayRaw) : null,
    metric: u32(attrs.get(RTA_PRIORITY)) ?? 0,
  };
}

/**
 * The RTM_NEWRULE body. A rule is `selective` when a selector narrows it below "every packet this machine
 * sends": a source or destination prefix, a TOS, an input interface other than lo (local traffic's), an output
 * interface, a non-zero fwmark (unmarked traffic has mark 0), a uid range, an IP protocol, ports, l3mdev or a
 * tunnel id.
 */
export function parseRuleMessage(payload: Buffer): RuleMessage | null {
  if (payload.length < FIB_RULE_HDR.size) return null;
  const family = familyOf(payload.readUInt8(FIB_RULE_HDR.family));
  if (family === null) return null;
  const attrs = parseAttributes(payload, FIB_RULE_HDR.size);
  const iif = attrString(attrs.get(FRA_IIFNAME));
  const fwmark = u32(attrs.get(FRA_FWMARK));
  const selective =
    payload.readUInt8(FIB_RULE_HDR.dstLen) > 0 ||
    payload.readUInt8(FIB_RULE_HDR.srcLen) > 0 ||
    payload.readUInt8(FIB_RULE_HDR.tos) > 0 ||
    (iif !== null && iif !== 'lo') ||
    (fwmark !== null && fwmark !== 0) ||
    [FRA_OIFNAME, FRA_UID_RANGE, FRA_IP_PROTO, FRA_SPORT_RANGE, FRA_DPORT_RANGE, FRA_L3MDEV, FRA_TUN_ID].some((type) => attrs.has(type));
  const suppress = u32(attrs.get(FRA_SUPPRESS_PREFIXLEN));
  return {
    family,
    priority: u32(attrs.get(FRA_PRIORITY)) ?? 0,
    action: RULE_ACTIONS.get(payload.readUInt8(FIB_RULE_HDR.action)) ?? 'other',
    table: u32(attrs.get(FRA_TABLE)) ?? payload.readUInt8(FIB_RULE_HDR.table),
    selective,
    invert: (payload.readUInt32LE(FIB_RULE_HDR.flags) & FIB_RULE_INVERT) !== 0,
    // (u32)-1 means "not set" (fib_rules.c); a length beyond 128 suppresses nothing either.
    suppressPrefixLength: suppress === null || suppress > 128 ? null : suppress,
  };
}

function header(buf: Buffer, type: number, flags: number, seq: number): void {
  buf.writeUInt32LE(buf.length, NLMSGHDR.len);
  buf.writeUInt16LE(type, NLMSGHDR.type);
  buf.writeUInt16LE(flags, NLMSGHDR.flags);
  buf.writeUInt32LE(seq >>> 0, NLMSGHDR.seq);
}

/** RTM_GETROUTE or RTM_GETRULE dump of every family and (rtm_table 0) every table. */
export function buildRoutingDumpRequest(type: typeof RTM_GETROUTE | typeof RTM_GETRULE, seq: number): Buffer {
  const buf = Buffer.alloc(NLMSGHDR.size + RTMSG.size);
  header(buf, type, NLM_F_REQUEST | NLM_F_DUMP, seq);
  return buf;
}

/**
 * A route lookup for one address: RTM_GETROUTE with RTA_DST and no input interface, which the kernel answers
 * as an output route lookup from this machine (inet_rtm_getroute, inet6_rtm_getroute) with one RTM_NEWROUTE
 * (or an error such as ENETUNREACH); NLM_F_ACK makes it end with an acknowledgement either way.
 */
export function buildRouteLookupRequest(family: 4 | 6, address: Buffer, seq: number): Buffer {
  const attrLen = RTATTR.size + address.length;
  const buf = Buffer.alloc(NLMSGHDR.size + RTMSG.size + attrLen);
  header(buf, RTM_GETROUTE, NLM_F_REQUEST | NLM_F_ACK, seq);
  const body = NLMSGHDR.size;
  buf.writeUInt8(family === 4 ? AF_INET : AF_INET6, body + RTMSG.family);
  buf.writeUInt8(address.length * 8, body + RTMSG.dstLen);
  const at = body + RTMSG.size;
  buf.writeUInt16LE(attrLen, at + RTATTR.len);
  buf.writeUInt16LE(RTA_DST, at + RTATTR.type);
  address.copy(buf, at + RTATTR.size);
  return buf;
}

/** Whether a pushed route message can change a verdict: not a cached clone, not the local table's own entries. */
export function routeMessageMatters(payload: Buffer): boolean {
  const route = parseRouteMessage(payload);
  if (!route) return false;
  return (route.flags & RTM_F_CLONED) === 0 && route.table !== RT_TABLE_LOCAL;
}
