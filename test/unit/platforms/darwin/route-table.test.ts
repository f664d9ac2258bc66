/**
 * macOS routing messages (issue 25), built byte by byte as xnu's rtsock.c lays them out (rt_msghdr, sockaddrs
 * in RTA_* order padded to 4 bytes, a /0 netmask as sa_len 0, a sockaddr_dl gateway for an interface route),
 * decoded by route-table.ts; the RTM_GET request as route(8) `get` writes it; and arbitrary bytes (property).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { DARWIN_AF, RTA, RTF, RTM_GET, RT_MSGHDR, buildRouteGet, decodeRouteDump, findRouteGetAnswer } from '../../../../electron/core/platforms/darwin/route-table';
import { check } from '../../../support/property';

const pad = (b: Buffer): Buffer => Buffer.concat([b, Buffer.alloc((4 - (b.length % 4)) % 4 || (b.length === 0 ? 4 : 0))]);

function sin(address: string): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 16;
  b[1] = DARWIN_AF.INET;
  Buffer.from(address.split('.').map(Number)).copy(b, 4);
  return b;
}

function sin6(words: number[]): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 28;
  b[1] = DARWIN_AF.INET6;
  words.forEach((w, i) => b.writeUInt16BE(w, 8 + i * 2));
  return b;
}

/** A netmask kept to its last non-zero byte, as the kernel's radix masks are; /0 is sa_len 0. */
function mask4(prefix: number): Buffer {
  if (prefix === 0) return Buffer.alloc(0);
  const bytes = Math.ceil(prefix / 8);
  const b = Buffer.alloc(4 + bytes);
  b[0] = 4 + bytes;
  b[1] = DARWIN_AF.INET;
  for (let i = 0; i < prefix; i++) b[4 + (i >> 3)]! |= 0x80 >> (i % 8);
  return b;
}

function link(index: number, name = ''): Buffer {
  const b = Buffer.alloc(Math.max(20, 8 + name.length));
  b[0] = b.length;
  b[1] = DARWIN_AF.LINK;
  b.writeUInt16LE(index, 2);
  b[5] = name.length;
  b.write(name, 8);
  return b;
}

function message(o: { index: number; flags: number; addrs: number; pid?: number; seq?: number; errno?: number; type?: number }, sockaddrs: Buffer[]): Buffer {
  const head = Buffer.alloc(RT_MSGHDR.size);
  head[RT_MSGHDR.version] = 5;
  head[RT_MSGHDR.type] = o.type ?? RTM_GET;
  head.writeUInt16LE(o.index, RT_MSGHDR.index);
  head.writeInt32LE(o.flags, RT_MSGHDR.flags);
  head.writeInt32LE(o.addrs, RT_MSGHDR.addrs);
  head.writeInt32LE(o.pid ?? 0, RT_MSGHDR.pid);
  head.writeInt32LE(o.seq ?? 0, RT_MSGHDR.seq);
  head.writeInt32LE(o.errno ?? 0, RT_MSGHDR.errno);
  const body = Buffer.concat(sockaddrs.map((s) => (s.length === 0 ? Buffer.alloc(4) : pad(s))));
  const m = Buffer.concat([head, body]);
  m.writeUInt16LE(m.length, RT_MSGHDR.msglen);
  return m;
}

describe('macOS routing messages', () => {
  it('decodes a NET_RT_DUMP: a default route with a /0 mask, a VPN half, an interface route (sockaddr_dl gateway), a host route, IPv6', () => {
    const dump = Buffer.concat([
      message({ index: 4, flags: RTF.UP | RTF.GATEWAY, addrs: RTA.DST | RTA.GATEWAY | RTA.NETMASK }, [sin('0.0.0.0'), sin('192.168.1.1'), mask4(0)]),
      message({ index: 12, flags: RTF.UP | RTF.GATEWAY, addrs: RTA.DST | RTA.GATEWAY | RTA.NETMASK }, [sin('128.0.0.0'), sin('10.8.0.1'), mask4(1)]),
      message({ index: 4, flags: RTF.UP, addrs: RTA.DST | RTA.GATEWAY | RTA.NETMASK }, [sin('192.168.1.0'), link(4), mask4(24)]),
      message({ index: 12, flags: RTF.UP | RTF.HOST, addrs: RTA.DST | RTA.GATEWAY }, [sin('10.8.0.1'), link(12)]),
      message({ index: 4, flags: RTF.UP | RTF.GATEWAY | RTF.IFSCOPE, addrs: RTA.DST | RTA.GATEWAY | RTA.NETMASK }, [sin6([0]), sin6([0xfe80, 0x4, 0, 0, 0, 0, 0, 1]), Buffer.alloc(0)]),
    ]);
    assert.deepEqual(decodeRouteDump(dump), [
      { family: 4, destination: '0.0.0.0/0', gateway: '192.168.1.1', index: 4, ifName: null, flags: RTF.UP | RTF.GATEWAY },
      { family: 4, destination: '128.0.0.0/1', gateway: '10.8.0.1', index: 12, ifName: null, flags: RTF.UP | RTF.GATEWAY },
      { family: 4, destination: '192.168.1.0/24', gateway: null, index: 4, ifName: null, flags: RTF.UP },
      { family: 4, destination: '10.8.0.1/32', gateway: null, index: 12, ifName: null, flags: RTF.UP | RTF.HOST },
      { family: 6, destination: '::/0', gateway: 'fe80:4::1', index: 4, ifName: null, flags: RTF.UP | RTF.GATEWAY | RTF.IFSCOPE },
    ]);
  });

  it('builds the RTM_GET route(8) writes: version 5, RTA_DST | RTA_IFP, the pid and seq, a sockaddr_in and an empty sockaddr_dl', () => {
    const req = buildRouteGet('198.51.100.1', 7, 4242);
    assert.equal(req.readUInt16LE(RT_MSGHDR.msglen), req.length);
    assert.deepEqual([req[RT_MSGHDR.version], req[RT_MSGHDR.type]], [5, RTM_GET]);
    assert.equal(req.readInt32LE(RT_MSGHDR.addrs), RTA.DST | RTA.IFP);
    assert.deepEqual([req.readInt32LE(RT_MSGHDR.pid), req.readInt32LE(RT_MSGHDR.seq)], [4242, 7]);
    assert.deepEqual([...req.subarray(RT_MSGHDR.size, RT_MSGHDR.size + 8)], [16, DARWIN_AF.INET, 0, 0, 198, 51, 100, 1]);
    assert.deepEqual([req[RT_MSGHDR.size + 16], req[RT_MSGHDR.size + 17]], [20, DARWIN_AF.LINK]);
    assert.equal(buildRouteGet('2001:db8::1', 1, 1)[RT_MSGHDR.size], 28);
  });

  it('finds our answer among other processes’ messages, with the interface named by RTA_IFP', () => {
    const theirs = message({ index: 4, flags: RTF.UP, addrs: RTA.DST | RTA.GATEWAY, pid: 99, seq: 7 }, [sin('10.0.0.1'), link(4)]);
    const ours = message({ index: 12, flags: RTF.UP | RTF.GATEWAY, addrs: RTA.DST | RTA.GATEWAY | RTA.NETMASK | RTA.IFP, pid: 4242, seq: 7 }, [sin('128.0.0.0'), sin('10.8.0.1'), mask4(1), link(12, 'utun3')]);
    const found = findRouteGetAnswer(Buffer.concat([theirs, ours]), 7, 4242);
    assert.deepEqual(found, { route: { family: 4, destination: '128.0.0.0/1', gateway: '10.8.0.1', index: 12, ifName: 'utun3', flags: RTF.UP | RTF.GATEWAY }, errno: 0 });
    assert.equal(findRouteGetAnswer(theirs, 7, 4242), null);
  });

  it('never throws on arbitrary bytes, and every route it returns has a parseable prefix (property)', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 600 }), fc.integer(), fc.integer(), (bytes, seq, pid) => {
        for (const r of decodeRouteDump(Buffer.from(bytes))) assert.match(r.destination, /^[0-9a-f:.]+\/\d{1,3}$/);
        findRouteGetAnswer(Buffer.from(bytes), seq, pid);
      }),
      2000,
    );
  });
});
