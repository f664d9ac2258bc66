/**
 * The macOS decoders on bytes built by hand from Apple's headers (offsets written out here from xnu's
 * bsd/net/if_var.h, if_dl.h and Libinfo's ifaddrs.h, not taken from the module under test), plus property
 * tests over arbitrary bytes. The walker itself runs over the C fake in the native tier
 * (test/native/platforms/darwin/darwin-source.test.ts).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import koffi from 'koffi';
import {
  DARWIN_IFF,
  IFADDRS,
  IF_DATA,
  SOCKADDR_DL,
  SOCKADDR_IN6,
  buildDarwinConnections,
  decodeIfData,
  decodeIfaddrsHeader,
  decodeSockaddr,
  followCounter32,
  gatherInterfaces,
  prefixLength,
  type IfaddrsEntry,
} from '../../../../electron/core/platforms/darwin/ifaddrs';

const AF_INET = 2;
const AF_LINK = 18;
const AF_INET6 = 30;
const PROPERTY = { seed: 0x17, numRuns: 2000 } as const;

function sin(a: number[], family = AF_INET): Buffer {
  const b = Buffer.alloc(16);
  b[0] = 16;
  b[1] = family;
  Buffer.from(a).copy(b, 4);
  return b;
}
function sin6(groups: number[]): Buffer {
  const b = Buffer.alloc(28);
  b[0] = 28;
  b[1] = AF_INET6;
  groups.forEach((g, i) => b.writeUInt16BE(g, 8 + i * 2));
  return b;
}
function link(index: number, name = 'utun3'): Buffer {
  const b = Buffer.alloc(20);
  b[0] = 20;
  b[1] = AF_LINK;
  b.writeUInt16LE(index, 2);
  b[5] = name.length;
  b.write(name, 8, 'latin1');
  return b;
}
/** struct if_data: ifi_mtu at 8, ifi_ibytes at 40, ifi_obytes at 44 (bsd/net/if_var.h, pack(4)). */
function ifData(o: { mtu: number; ibytes: number; obytes: number; type?: number }): Buffer {
  const b = Buffer.alloc(96);
  b[0] = o.type ?? 1;
  b.writeUInt32LE(o.mtu, 8);
  b.writeUInt32LE(o.ibytes, 40);
  b.writeUInt32LE(o.obytes, 44);
  return b;
}
const UP = DARWIN_IFF.UP | DARWIN_IFF.RUNNING | DARWIN_IFF.POINTOPOINT;

describe('macOS struct layouts (Apple headers, LP64)', () => {
  it('struct ifaddrs is 56 bytes with ifa_flags at 16, ifa_addr at 24, ifa_data at 48 (Libinfo ifaddrs.h)', () => {
    const s = koffi.struct('lw_ifaddrs', { next: 'void *', name: 'char *', flags: 'unsigned int', addr: 'void *', netmask: 'void *', dstaddr: 'void *', data: 'void *' });
    assert.equal(koffi.sizeof(s), 56);
    assert.deepEqual(IFADDRS, { size: 56, next: 0, name: 8, flags: 16, addr: 24, netmask: 32, dstaddr: 40, data: 48 });
    for (const f of ['next', 'name', 'flags', 'addr', 'netmask', 'dstaddr', 'data'] as const) assert.equal(koffi.offsetof(s, f), IFADDRS[f]);
  });
  it('struct if_data is 96 bytes: 8 u_char, 16 u_int32, timeval32 at 72, 4 u_int32 (bsd/net/if_var.h)', () => {
    const s = koffi.struct('lw_if_data', {
      head: koffi.array('uint8_t', 8),
      mtu: 'uint32_t',
      metric: 'uint32_t',
      baudrate: 'uint32_t',
      ipackets: 'uint32_t',
      ierrors: 'uint32_t',
      opackets: 'uint32_t',
      oerrors: 'uint32_t',
      collisions: 'uint32_t',
      ibytes: 'uint32_t',
      obytes: 'uint32_t',
      rest: koffi.array('uint32_t', 6),
      lastchange: koffi.struct({ sec: 'int32_t', usec: 'int32_t' }),
      tail: koffi.array('uint32_t', 4),
    });
    assert.equal(koffi.sizeof(s), IF_DATA.size);
    assert.equal(koffi.offsetof(s, 'mtu'), IF_DATA.mtu);
    assert.equal(koffi.offsetof(s, 'ibytes'), IF_DATA.ibytes);
    assert.equal(koffi.offsetof(s, 'obytes'), IF_DATA.obytes);
    assert.equal(koffi.offsetof(s, 'lastchange'), IF_DATA.lastchange);
  });
  it('sockaddr_dl: sdl_index at 2, sdl_data at 8, 20 bytes (bsd/net/if_dl.h); sockaddr_in6 address at 8', () => {
    assert.deepEqual([SOCKADDR_DL.index, SOCKADDR_DL.data, SOCKADDR_DL.minSize, SOCKADDR_IN6.addr, SOCKADDR_IN6.size], [2, 8, 20, 8, 28]);
  });
  it('decodes the header pointers and flags', () => {
    const b = Buffer.alloc(56);
    b.writeBigUInt64LE(0x1000n, 0);
    b.writeBigUInt64LE(0x1800n, 8);
    b.writeUInt32LE(UP, 16);
    b.writeBigUInt64LE(0x2000n, 24);
    b.writeBigUInt64LE(0x3000n, 48);
    const h = decodeIfaddrsHeader(b);
    assert.deepEqual(h, { next: 0x1000n, name: 0x1800n, flags: UP, addr: 0x2000n, netmask: 0n, dstaddr: 0n, data: 0x3000n });
  });
});

describe('sockaddrs with sa_len', () => {
  it('IPv4, IPv6, KAME link-local scope cleared, AF_LINK gives sdl_index', () => {
    assert.deepEqual(decodeSockaddr(sin([10, 8, 0, 2])), { family: AF_INET, address: '10.8.0.2', index: null });
    assert.equal(decodeSockaddr(sin6([0xfd00, 0, 0, 0, 0, 0, 0, 2])).address, 'fd00::2');
    assert.equal(decodeSockaddr(sin6([0xfe80, 4, 0, 0, 0, 0, 0, 1])).address, 'fe80::1');
    assert.deepEqual(decodeSockaddr(link(23)), { family: AF_LINK, address: null, index: 23 });
  });
  it('a prefix length from a netmask, also a shortened (trimmed) one', () => {
    assert.equal(prefixLength(sin([255, 255, 255, 0]), AF_INET), 24);
    assert.equal(prefixLength(Buffer.from([6, AF_INET, 0, 0, 255, 255]), AF_INET), 16);
    assert.equal(prefixLength(sin6([0xffff, 0xffff, 0xffff, 0xffff, 0, 0, 0, 0]), AF_INET6), 64);
    assert.equal(prefixLength(Buffer.from([7, 0, 0, 0, 255, 255, 240]), AF_INET), 20);
    assert.equal(prefixLength(Buffer.alloc(2), AF_INET), 0, 'the zero mask: sa_len 0, zero bytes (Libinfo getifaddrs.c)');
  });
  it('issue 12 point 8: an IPv4 address whose netmask says AF_INET6 reads as IPv4, not /80', () => {
    // A 28-byte mask with an AF_INET6 family byte, all ones: read by its own family it would count 80+ bits.
    const mask = Buffer.alloc(28, 0xff);
    mask[0] = 28;
    mask[1] = AF_INET6;
    assert.equal(prefixLength(mask, AF_INET), 32);
    const shortV6Family = Buffer.from([8, AF_INET6, 0, 0, 255, 255, 255, 0]);
    assert.equal(prefixLength(shortV6Family, AF_INET), 24);
    const [iface] = gatherInterfaces([{ name: 'utun5', flags: UP, addr: sin([10, 0, 0, 2]), netmask: shortV6Family, data: null }]);
    assert.deepEqual(iface!.addresses, ['10.0.0.2/24']);
  });
  it('a mask that is not ones-then-zeros, or for a family without prefixes, is refused', () => {
    assert.equal(prefixLength(sin([255, 0, 255, 0]), AF_INET), null);
    assert.equal(prefixLength(sin([255, 255, 0xf4, 0]), AF_INET), null);
    assert.equal(prefixLength(sin([255, 255, 255, 0]), AF_LINK), null);
  });
  it('property: over arbitrary bytes and families, decodeSockaddr never throws and a prefix never exceeds its family', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 40 }), fc.constantFrom(AF_INET, AF_INET6, AF_LINK, 0, 255), (raw, family) => {
        const bytes = Buffer.from(raw);
        const sa = decodeSockaddr(bytes);
        if (sa.address !== null) assert.ok(sa.family === AF_INET || sa.family === AF_INET6);
        const p = prefixLength(bytes, family);
        if (p !== null) assert.ok(p >= 0 && p <= (family === AF_INET ? 32 : 128), `prefix ${p} for family ${family}`);
        if (family === AF_LINK || family === 0 || family === 255) assert.equal(p, null);
      }),
      PROPERTY,
    );
  });
  it('property: the prefix of a mask made from n bits is n, whatever the mask family byte says', () => {
    fc.assert(
      fc.property(fc.boolean(), fc.nat(128), fc.nat(255), (v6, n, maskFamily) => {
        const bits = v6 ? n : n % 33;
        const size = v6 ? 16 : 4;
        const mask = Buffer.alloc((v6 ? 8 : 4) + size);
        for (let i = 0; i < bits; i++) mask[(v6 ? 8 : 4) + (i >> 3)]! |= 0x80 >> (i & 7);
        mask[0] = mask.length;
        mask[1] = maskFamily;
        assert.equal(prefixLength(mask, v6 ? AF_INET6 : AF_INET), bits);
      }),
      PROPERTY,
    );
  });
});

describe('if_data', () => {
  it('32-bit counters and the MTU; too short is null', () => {
    assert.deepEqual(decodeIfData(ifData({ mtu: 1380, ibytes: 0xffffffff, obytes: 5 })), { type: 1, mtu: 1380, ibytes: 0xffffffff, obytes: 5 });
    assert.equal(decodeIfData(Buffer.alloc(95)), null);
  });
  it('property: never throws on arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 120 }), (raw) => {
        const d = decodeIfData(Buffer.from(raw));
        assert.equal(d === null, raw.length < 96);
      }),
      PROPERTY,
    );
  });
  it('a 32-bit counter that wraps keeps counting; one that restarts low (a new interface) restarts', () => {
    let c = followCounter32(undefined, 0xffff_f000);
    c = followCounter32(c, 0x0000_1000);
    assert.equal(c.total, 0xffff_f000 + 0x2000);
    c = followCounter32(c, 0x0000_3000);
    assert.equal(c.total, 0xffff_f000 + 0x4000);
    const restarted = followCounter32({ raw: 0x1000_0000, total: 0x1000_0000 }, 0x10);
    assert.equal(restarted.total, 0x10);
  });
  it('property: a counter followed across wraps equals the true 64-bit count when it grows < 2^31 per read', () => {
    fc.assert(
      fc.property(fc.array(fc.nat(2 ** 31 - 1), { maxLength: 50 }), fc.nat(2 ** 32 - 1), (steps, start) => {
        let truth = start;
        let c = followCounter32(undefined, start);
        for (const step of steps) {
          truth += step;
          c = followCounter32(c, truth % 2 ** 32);
        }
        assert.equal(c.total, truth);
      }),
      PROPERTY,
    );
  });
});

describe('properties over arbitrary entries', () => {
  it('property: decodeIfaddrsHeader reads back any header written at the Libinfo offsets', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }), { minLength: 6, maxLength: 6 }), fc.nat(2 ** 32 - 1), fc.uint8Array({ maxLength: 16 }), (ptrs, flags, tail) => {
        const b = Buffer.concat([Buffer.alloc(56), Buffer.from(tail)]);
        const [next, name, addr, netmask, dstaddr, data] = ptrs as [bigint, bigint, bigint, bigint, bigint, bigint];
        b.writeBigUInt64LE(next, 0);
        b.writeBigUInt64LE(name, 8);
        b.writeUInt32LE(flags, 16);
        b.writeBigUInt64LE(addr, 24);
        b.writeBigUInt64LE(netmask, 32);
        b.writeBigUInt64LE(dstaddr, 40);
        b.writeBigUInt64LE(data, 48);
        assert.deepEqual(decodeIfaddrsHeader(b), { next, name, flags, addr, netmask, dstaddr, data });
      }),
      PROPERTY,
    );
  });
  it('property: arbitrary entries never throw, and every listed address is CIDR within its family, never link-local', () => {
    const bytes = fc.option(fc.uint8Array({ maxLength: 40 }).map((a) => Buffer.from(a)), { nil: null });
    const entry = fc.record({
      name: fc.constantFrom('utun0', 'utun7', 'ipsec0', 'ppp0', 'en0', 'lo0', ''),
      flags: fc.nat(0xffff),
      addr: fc.oneof(bytes, fc.constantFrom(sin([10, 0, 0, 1]), sin6([0xfe80, 0, 0, 0, 0, 0, 0, 1]), sin6([0xfd00, 0, 0, 0, 0, 0, 0, 1]), link(3))),
      netmask: bytes,
      data: fc.option(fc.uint8Array({ minLength: 90, maxLength: 100 }).map((a) => Buffer.from(a)), { nil: null }),
    });
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 12 }), fc.boolean(), (entries, counters) => {
        const interfaces = gatherInterfaces(entries);
        const list = buildDarwinConnections(interfaces, counters ? new Map([['utun0', { bytesIn: 1, bytesOut: 2 }]]) : null);
        const ids = new Set<string>();
        for (const c of list) {
          assert.ok(!ids.has(c.id), 'one connection per interface');
          ids.add(c.id);
          assert.ok(/^(utun|ipsec|ppp)\d+$/.test(c.deviceName!));
          if (c.deviceType === 'utun') assert.ok(c.addresses.length > 0);
          for (const a of c.addresses) {
            const [text, prefix] = a.split('/');
            const v6 = text!.includes(':');
            assert.ok(Number(prefix) >= 0 && Number(prefix) <= (v6 ? 128 : 32), a);
            assert.ok(!/^fe[89ab]/i.test(text!), a);
          }
        }
      }),
      PROPERTY,
    );
  });
});

describe('getifaddrs entries → connections', () => {
  const entries: IfaddrsEntry[] = [
    { name: 'en0', flags: DARWIN_IFF.UP | DARWIN_IFF.RUNNING, addr: sin([192, 168, 1, 5]), netmask: sin([255, 255, 255, 0]), data: null },
    { name: 'utun0', flags: UP, addr: link(14, 'utun0'), netmask: null, data: ifData({ mtu: 1380, ibytes: 1, obytes: 2 }) },
    { name: 'utun0', flags: UP, addr: sin6([0xfe80, 0x0e, 0, 0, 0, 0, 0, 1]), netmask: null, data: null },
    { name: 'utun3', flags: UP, addr: link(20), netmask: null, data: ifData({ mtu: 1400, ibytes: 100, obytes: 200 }) },
    { name: 'utun3', flags: UP, addr: sin([10, 8, 0, 6]), netmask: sin([255, 255, 255, 0]), data: null },
    { name: 'ipsec0', flags: DARWIN_IFF.UP | DARWIN_IFF.POINTOPOINT, addr: link(21, 'ipsec0'), netmask: null, data: ifData({ mtu: 1280, ibytes: 0, obytes: 0 }) },
    { name: 'ppp0', flags: UP, addr: sin([10, 1, 1, 2]), netmask: null, data: null },
  ];
  it('a utun with only link-local is a system service, not a VPN; one with an address is', () => {
    const list = buildDarwinConnections(gatherInterfaces(entries), null);
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
    assert.equal(utun.id, 'getifaddrs:utun3');
    assert.deepEqual(list[2]!.addresses, ['10.1.1.2/32']);
  });
  it('the interface index comes from sdl_index; the backend knows no up-time (the monitor stamps first-seen)', () => {
    const interfaces = gatherInterfaces(entries);
    assert.equal(interfaces.find((g) => g.name === 'utun3')!.index, 20);
    for (const c of buildDarwinConnections(interfaces, null)) assert.equal(c.upSince, null);
  });
  it('counters are what the caller read, null when not read', () => {
    const interfaces = gatherInterfaces(entries);
    assert.equal(buildDarwinConnections(interfaces, null)[0]?.bytesIn, null);
    const withCounters = buildDarwinConnections(interfaces, new Map([['utun3', { bytesIn: 5 * 2 ** 32, bytesOut: 7 }]]));
    assert.deepEqual([withCounters[0]!.bytesIn, withCounters[0]!.bytesOut], [5 * 2 ** 32, 7]);
    assert.equal(withCounters[1]!.bytesIn, null, 'ipsec0 had no counters read');
  });
});
