/** Constructs rtnetlink messages byte by byte, the way the kernel lays them out, for the decoders' tests. */
import { IFADDRMSG, IFINFOMSG, NLMSGHDR, RTATTR } from '../../../../electron/core/platforms/linux/rtnetlink';
import { FIB_RULE_HDR, RTMSG } from '../../../../electron/core/platforms/linux/rtnetlink-routes';

const align4 = (n: number): number => (n + 3) & ~3;

export function attr(type: number, value: Buffer): Buffer {
  const len = RTATTR.size + value.length;
  const buf = Buffer.alloc(align4(len));
  buf.writeUInt16LE(len, RTATTR.len);
  buf.writeUInt16LE(type, RTATTR.type);
  value.copy(buf, RTATTR.size);
  return buf;
}

export const str = (s: string): Buffer => Buffer.from(`${s}\0`);
export const u8 = (n: number): Buffer => Buffer.from([n]);
export function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32LE(n);
  return b;
}

export function message(type: number, body: Buffer, opts: { seq?: number; flags?: number } = {}): Buffer {
  const len = NLMSGHDR.size + body.length;
  const buf = Buffer.alloc(align4(len));
  buf.writeUInt32LE(len, NLMSGHDR.len);
  buf.writeUInt16LE(type, NLMSGHDR.type);
  buf.writeUInt16LE(opts.flags ?? 0, NLMSGHDR.flags);
  buf.writeUInt32LE(opts.seq ?? 0, NLMSGHDR.seq);
  body.copy(buf, NLMSGHDR.size);
  return buf;
}

export function ifinfomsg(o: { type: number; index: number; flags: number }, ...attrs: Buffer[]): Buffer {
  const head = Buffer.alloc(IFINFOMSG.size);
  head.writeUInt16LE(o.type, IFINFOMSG.type);
  head.writeInt32LE(o.index, IFINFOMSG.index);
  head.writeUInt32LE(o.flags, IFINFOMSG.flags);
  return Buffer.concat([head, ...attrs]);
}

export function ifaddrmsg(o: { family: number; prefixlen: number; index: number; flags?: number; scope?: number }, ...attrs: Buffer[]): Buffer {
  const head = Buffer.alloc(IFADDRMSG.size);
  head.writeUInt8(o.family, IFADDRMSG.family);
  head.writeUInt8(o.prefixlen, IFADDRMSG.prefixlen);
  head.writeUInt8(o.flags ?? 0, IFADDRMSG.flags);
  head.writeUInt8(o.scope ?? 0, IFADDRMSG.scope);
  head.writeUInt32LE(o.index, IFADDRMSG.index);
  return Buffer.concat([head, ...attrs]);
}

export function stats64(rxBytes: bigint, txBytes: bigint): Buffer {
  const b = Buffer.alloc(8 * 24);
  b.writeBigUInt64LE(rxBytes, 16);
  b.writeBigUInt64LE(txBytes, 24);
  return b;
}

/** struct rtmsg + attributes (issue 25: routes). */
export function rtmsg(o: { family: number; dstLen: number; table?: number; protocol?: number; type?: number; flags?: number }, ...attrs: Buffer[]): Buffer {
  const head = Buffer.alloc(RTMSG.size);
  head.writeUInt8(o.family, RTMSG.family);
  head.writeUInt8(o.dstLen, RTMSG.dstLen);
  head.writeUInt8(o.table ?? 254, RTMSG.table);
  head.writeUInt8(o.protocol ?? 4, RTMSG.protocol);
  head.writeUInt8(o.type ?? 1, RTMSG.type);
  head.writeUInt32LE(o.flags ?? 0, RTMSG.flags);
  return Buffer.concat([head, ...attrs]);
}

/** struct fib_rule_hdr + attributes (issue 25: policy rules). */
export function ruleMsg(o: { family: number; action: number; table?: number; flags?: number; srcLen?: number }, ...attrs: Buffer[]): Buffer {
  const head = Buffer.alloc(FIB_RULE_HDR.size);
  head.writeUInt8(o.family, FIB_RULE_HDR.family);
  head.writeUInt8(o.srcLen ?? 0, FIB_RULE_HDR.srcLen);
  head.writeUInt8(o.table ?? 0, FIB_RULE_HDR.table);
  head.writeUInt8(o.action, FIB_RULE_HDR.action);
  head.writeUInt32LE(o.flags ?? 0, FIB_RULE_HDR.flags);
  return Buffer.concat([head, ...attrs]);
}

