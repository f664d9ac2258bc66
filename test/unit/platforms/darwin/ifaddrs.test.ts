import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import koffi from 'koffi';
import {
  DARWIN_AF_INET,
  DARWIN_AF_INET6,
  DARWIN_AF_LINK,
  DARWIN_IFF,
  IFADDRS,
  IF_DATA,
  SOCKADDR_IN6,
  buildDarwinConnections,
  decodeIfData,
  decodeIfaddrsHeader,
  decodeSockaddr,
  prefixLength,
  type IfaddrsEntry,
} from '../../../../electron/core/platforms/darwin/ifaddrs';

// Constructed the way macOS (x86-64 and arm64, LP64) lays the structs out.
function sin(a: number[]): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 16;
  b[1] = DARWIN_AF_INET;
  Buffer.from(a).copy(b, 4);
  return b;
}
function sin6(groups: number[]): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 28;
  b[1] = DARWIN_AF_INET6;
  groups.forEach((g, i) => b.writeUInt16BE(g, SOCKADDR_IN6.addr + i * 2));
  return b;
}
function link(): Buffer {
  const b = Buffer.alloc(20);
  b[0] = 20;
  b[1] = DARWIN_AF_LINK;
  return b;
}
function ifData(o: { mtu: number; ibytes: number; obytes: number; sec?: number }): Buffer {
  const b = Buffer.alloc(IF_DATA.size);
  b.writeUInt32LE(o.mtu, IF_DATA.mtu);
  b.writeUInt32LE(o.ibytes, IF_DATA.ibytes);
  b.writeUInt32LE(o.obytes, IF_DATA.obytes);
  b.writeInt32LE(o.sec ?? 0, IF_DATA.lastchangeSec);
  return b;
}
const UP = DARWIN_IFF.UP | DARWIN_IFF.RUNNING | DARWIN_IFF.POINTOPOINT;

describe('macOS struct layouts (unverified on a Mac; checked against the C ABI rules)', () => {
  it('struct ifaddrs is 56 bytes with ifa_addr at 24 on LP64', () => {
    const s = koffi.struct('lw_ifaddrs', { next: 'void *', name: 'char *', flags: 'uint32_t', addr: 'void *', netmask: 'void *', dstaddr: 'void *', data: 'void *' });
    assert.equal(koffi.sizeof(s), IFADDRS.size);
    for (const f of ['next', 'name', 'flags', 'addr', 'netmask', 'dstaddr', 'data'] as const) assert.equal(koffi.offsetof(s, f), IFADDRS[f]);
  });
  it('struct if_data is 96 bytes: 8 u_char, 16 u_int32 counters, timeval32, 4 u_int32', () => {
    const s = koffi.struct('lw_if_data', {
      head: koffi.array('uint8_t', 8),
      counters: koffi.array('uint32_t', 16),
      lastchange: koffi.struct({ sec: 'int32_t', usec: 'int32_t' }),
      tail: koffi.array('uint32_t', 4),
    });
    assert.equal(koffi.sizeof(s), IF_DATA.size);
    assert.equal(koffi.offsetof(s, 'lastchange'), IF_DATA.lastchangeSec);
  });
  it('decodes the header pointers and flags', () => {
    const b = Buffer.alloc(IFADDRS.size);
    b.writeBigUInt64LE(0x1000n, IFADDRS.next);
    b.writeUInt32LE(UP, IFADDRS.flags);
    b.writeBigUInt64LE(0x2000n, IFADDRS.addr);
    const h = decodeIfaddrsHeader(b);
    assert.equal(h.next, 0x1000n);
    assert.equal(h.flags, UP);
    assert.equal(h.addr, 0x2000n);
    assert.equal(h.data, 0n);
  });
});

describe('sockaddrs with sa_len', () => {
  it('IPv4, IPv6, and KAME link-local scope cleared', () => {
    assert.deepEqual(decodeSockaddr(sin([10, 8, 0, 2])), { family: DARWIN_AF_INET, address: '10.8.0.2' });
    assert.equal(decodeSockaddr(sin6([0xfd00, 0, 0, 0, 0, 0, 0, 2])).address, 'fd00::2');
    assert.equal(decodeSockaddr(sin6([0xfe80, 4, 0, 0, 0, 0, 0, 1])).address, 'fe80::1');
  });
  it('prefix length from a netmask, also a shortened one', () => {
    assert.equal(prefixLength(sin([255, 255, 255, 0])), 24);
    const short = Buffer.from([6, DARWIN_AF_INET, 0, 0, 255, 255]);
    assert.equal(prefixLength(short), 16);
    assert.equal(prefixLength(sin6([0xffff, 0xffff, 0xffff, 0xffff, 0, 0, 0, 0])), 64);
  });
  it('if_data: 32-bit counters, lastchange only when it looks like wall-clock time', () => {
    const d = decodeIfData(ifData({ mtu: 1380, ibytes: 0xffffffff, obytes: 5, sec: 1_700_000_000 }), 1_800_000_000_000);
    assert.deepEqual(d, { type: 0, mtu: 1380, ibytes: 0xffffffff, obytes: 5, lastChange: 1_700_000_000_000 });
    assert.equal(decodeIfData(ifData({ mtu: 1, ibytes: 0, obytes: 0, sec: 3600 })).lastChange, null);
  });
});

describe('getifaddrs entries → connections', () => {
  const entries: IfaddrsEntry[] = [
    { name: 'en0', flags: DARWIN_IFF.UP | DARWIN_IFF.RUNNING, addr: sin([192, 168, 1, 5]), netmask: sin([255, 255, 255, 0]), data: null },
    { name: 'utun0', flags: UP, addr: link(), netmask: null, data: ifData({ mtu: 1380, ibytes: 1, obytes: 2 }) },
    { name: 'utun0', flags: UP, addr: sin6([0xfe80, 0x10, 0, 0, 0, 0, 0, 1]), netmask: null, data: null },
    { name: 'utun3', flags: UP, addr: link(), netmask: null, data: ifData({ mtu: 1400, ibytes: 100, obytes: 200 }) },
    { name: 'utun3', flags: UP, addr: sin([10, 8, 0, 6]), netmask: sin([255, 255, 255, 0]), data: null },
    { name: 'ipsec0', flags: DARWIN_IFF.UP | DARWIN_IFF.POINTOPOINT, addr: link(), netmask: null, data: ifData({ mtu: 1280, ibytes: 0, obytes: 0 }) },
    { name: 'ppp0', flags: UP, addr: sin([10, 1, 1, 2]), netmask: null, data: null },
  ];
  it('a utun with only link-local is a system service, not a VPN; one with an address is', () => {
    const list = buildDarwinConnections(entries, true);
    assert.deepEqual(
      list.map((c) => [c.deviceName, c.kind, c.deviceType, c.state]),
      [
        ['utun3', 'vpn', 'utun', 'connected'],
        ['ipsec0', 'vpn', 'ipsec', 'connecting'],
        ['ppp0', 'other', 'ppp', 'connected'],
      ],
    );
    const utun = list[0]!;
    assert.deepEqual(utun.addresses, ['10.8.0.6/24']);
    assert.equal(utun.mtu, 1400);
    assert.equal(utun.bytesIn, 100);
    assert.equal(utun.bytesOut, 200);
    assert.equal(utun.id, 'getifaddrs:utun3');
    assert.deepEqual(list[2]!.addresses, ['10.1.1.2/32']);
  });
  it('counters stay null unless asked for', () => {
    assert.equal(buildDarwinConnections(entries, false)[0]?.bytesIn, null);
  });
});
