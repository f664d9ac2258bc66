import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import koffi from 'koffi';
import {
  AF_INET,
  AF_INET6,
  ARPHRD,
  IFADDRMSG,
  IFA_ADDRESS,
  IFA_FLAGS,
  IFA_LOCAL,
  IFF,
  IFINFOMSG,
  IFLA_EXT_MASK,
  IFLA_IFNAME,
  IFLA_INFO_DATA,
  IFLA_INFO_KIND,
  IFLA_LINKINFO,
  IFLA_MTU,
  IFLA_OPERSTATE,
  IFLA_STATS,
  IFLA_STATS64,
  IFLA_TUN_TYPE,
  NLMSGHDR,
  NLMSG_DONE,
  NLM_F_DUMP,
  NLM_F_MULTI,
  NLM_F_REQUEST,
  RTEXT_FILTER_SKIP_STATS,
  RTM_GETADDR,
  RTM_GETLINK,
  RTM_NEWLINK,
  SOCKADDR_NL,
  TUN_TYPE_TAP,
  buildDumpRequest,
  buildSockaddrNl,
  describeFlags,
  formatAddress,
  parseAddressMessage,
  parseAttributes,
  parseErrorMessage,
  parseLinkMessage,
  parseMessages,
} from '../../../../electron/core/platforms/linux/rtnetlink';
import { attr, ifaddrmsg, ifinfomsg, message, stats64, str, u32, u8 } from './netlink-builders';
import { RECORDED_TUN7_ADDR6, RECORDED_TUN7_LINK } from './recorded';

describe('rtnetlink struct layouts match the C ABI (koffi.struct follows it)', () => {
  it('nlmsghdr, ifinfomsg, ifaddrmsg, sockaddr_nl', () => {
    const nlmsghdr = koffi.struct('lw_nlmsghdr', { len: 'uint32_t', type: 'uint16_t', flags: 'uint16_t', seq: 'uint32_t', pid: 'uint32_t' });
    assert.equal(koffi.sizeof(nlmsghdr), NLMSGHDR.size);
    for (const f of ['len', 'type', 'flags', 'seq', 'pid'] as const) assert.equal(koffi.offsetof(nlmsghdr, f), NLMSGHDR[f]);
    const ifinfo = koffi.struct('lw_ifinfomsg', { family: 'uint8_t', pad: 'uint8_t', type: 'uint16_t', index: 'int32_t', flags: 'uint32_t', change: 'uint32_t' });
    assert.equal(koffi.sizeof(ifinfo), IFINFOMSG.size);
    for (const f of ['family', 'type', 'index', 'flags', 'change'] as const) assert.equal(koffi.offsetof(ifinfo, f), IFINFOMSG[f]);
    const ifaddr = koffi.struct('lw_ifaddrmsg', { family: 'uint8_t', prefixlen: 'uint8_t', flags: 'uint8_t', scope: 'uint8_t', index: 'uint32_t' });
    assert.equal(koffi.sizeof(ifaddr), IFADDRMSG.size);
    for (const f of ['family', 'prefixlen', 'flags', 'scope', 'index'] as const) assert.equal(koffi.offsetof(ifaddr, f), IFADDRMSG[f]);
    const nl = koffi.struct('lw_sockaddr_nl', { family: 'uint16_t', pad: 'uint16_t', pid: 'uint32_t', groups: 'uint32_t' });
    assert.equal(koffi.sizeof(nl), SOCKADDR_NL.size);
    assert.equal(koffi.offsetof(nl, 'groups'), SOCKADDR_NL.groups);
  });
});

describe('parseMessages splits a datagram on NLMSG_ALIGN boundaries', () => {
  it('reads every message and stops at a truncated one', () => {
    const a = message(RTM_NEWLINK, ifinfomsg({ type: 1, index: 2, flags: 0 }, attr(IFLA_IFNAME, str('eth0'))), { seq: 7, flags: NLM_F_MULTI });
    const b = message(NLMSG_DONE, u32(0), { seq: 7 });
    const truncated = message(RTM_NEWLINK, Buffer.alloc(16)).subarray(0, 20);
    const messages = parseMessages(Buffer.concat([a, b, truncated]));
    assert.deepEqual(
      messages.map((m) => [m.type, m.seq, m.flags]),
      [
        [RTM_NEWLINK, 7, NLM_F_MULTI],
        [NLMSG_DONE, 7, 0],
      ],
    );
  });

  it('an NLMSG_ERROR body carries the negative errno', () => {
    const body = Buffer.alloc(20);
    body.writeInt32LE(-1);
    assert.equal(parseErrorMessage(body), 1);
  });
});

describe('parseAttributes', () => {
  it('masks NLA_F_NESTED and keeps the first of a repeated type', () => {
    const nested = attr(IFLA_LINKINFO | 0x8000, attr(IFLA_INFO_KIND, str('gre')));
    const attrs = parseAttributes(Buffer.concat([nested, attr(IFLA_MTU, u32(1400)), attr(IFLA_MTU, u32(9000))]));
    assert.ok(attrs.has(IFLA_LINKINFO));
    assert.equal(attrs.get(IFLA_MTU)?.readUInt32LE(0), 1400);
  });
});

describe('parseLinkMessage', () => {
  const tunData = attr(IFLA_INFO_DATA, attr(IFLA_TUN_TYPE, u8(TUN_TYPE_TAP)));
  const body = ifinfomsg(
    { type: ARPHRD.NONE, index: 9, flags: IFF.UP | IFF.POINTOPOINT | IFF.LOWER_UP },
    attr(IFLA_IFNAME, str('tun0')),
    attr(IFLA_MTU, u32(1500)),
    attr(IFLA_OPERSTATE, u8(0)),
    attr(IFLA_LINKINFO, Buffer.concat([attr(IFLA_INFO_KIND, str('tun')), tunData])),
    attr(IFLA_STATS64, stats64(5_000_000_000n, 1234n)),
  );

  it('decodes name, mtu, operstate, kind, tun type and 64-bit counters', () => {
    assert.deepEqual(parseLinkMessage(body), {
      index: 9,
      type: ARPHRD.NONE,
      flags: IFF.UP | IFF.POINTOPOINT | IFF.LOWER_UP,
      name: 'tun0',
      mtu: 1500,
      operstate: 'UNKNOWN',
      carrier: null,
      kind: 'tun',
      tunType: TUN_TYPE_TAP,
      rxBytes: 5_000_000_000,
      txBytes: 1234,
    });
  });

  it('leaves counters null when not asked for them', () => {
    const link = parseLinkMessage(body, false);
    assert.equal(link?.rxBytes, null);
    assert.equal(link?.txBytes, null);
  });

  it('falls back to the 32-bit IFLA_STATS when IFLA_STATS64 is absent', () => {
    const stats = Buffer.alloc(23 * 4);
    stats.writeUInt32LE(77, 8);
    stats.writeUInt32LE(88, 12);
    const link = parseLinkMessage(ifinfomsg({ type: ARPHRD.PPP, index: 3, flags: 0 }, attr(IFLA_IFNAME, str('ppp0')), attr(IFLA_STATS, stats)));
    assert.equal(link?.rxBytes, 77);
    assert.equal(link?.txBytes, 88);
    assert.equal(link?.kind, null);
    assert.equal(link?.mtu, null);
  });

  it('decodes a link message recorded from a real kernel (tun7, a persistent tun without a process)', () => {
    const link = parseLinkMessage(Buffer.from(RECORDED_TUN7_LINK, 'hex'));
    assert.equal(link?.name, 'tun7');
    assert.equal(link?.kind, 'tun');
    assert.equal(link?.type, ARPHRD.NONE);
    assert.equal(link?.mtu, 1500);
    assert.equal(link?.operstate, 'DOWN'); // no process holds it: NO-CARRIER
    assert.ok(link && link.flags & IFF.UP && link.flags & IFF.POINTOPOINT && !(link.flags & IFF.LOWER_UP));
    assert.equal(link?.tunType, 1);
    assert.equal(link?.rxBytes, 0);
  });

  it('rejects a body shorter than ifinfomsg', () => {
    assert.equal(parseLinkMessage(Buffer.alloc(8)), null);
  });
});

describe('parseAddressMessage', () => {
  it('prefers IFA_LOCAL over IFA_ADDRESS (the peer on point-to-point links)', () => {
    const body = ifaddrmsg(
      { family: AF_INET, prefixlen: 32, index: 4 },
      attr(IFA_ADDRESS, Buffer.from([10, 8, 0, 1])),
      attr(IFA_LOCAL, Buffer.from([10, 8, 0, 2])),
    );
    assert.deepEqual(parseAddressMessage(body), { family: AF_INET, prefixlen: 32, flags: 0, scope: 0, index: 4, address: '10.8.0.2' });
  });

  it('takes IFA_FLAGS over the 8-bit ifa_flags', () => {
    const body = ifaddrmsg({ family: AF_INET, prefixlen: 24, index: 4, flags: 0x80 }, attr(IFA_ADDRESS, Buffer.from([1, 2, 3, 4])), attr(IFA_FLAGS, u32(0x300)));
    assert.equal(parseAddressMessage(body)?.flags, 0x300);
  });

  it('decodes an address message recorded from a real kernel', () => {
    const a = parseAddressMessage(Buffer.from(RECORDED_TUN7_ADDR6, 'hex'));
    assert.equal(a?.family, AF_INET6);
    assert.equal(a?.address, 'fd00:8::2');
    assert.equal(a?.prefixlen, 64);
  });
});

describe('formatAddress follows RFC 5952 (what inet_ntop prints)', () => {
  const v6 = (text: string): Buffer => {
    const [head = '', tail = ''] = text.split('::');
    const h = head ? head.split(':') : [];
    const t = tail ? tail.split(':') : [];
    const groups = text.includes('::') ? [...h, ...Array<string>(8 - h.length - t.length).fill('0'), ...t] : h;
    const b = Buffer.alloc(16);
    groups.forEach((g, i) => b.writeUInt16BE(parseInt(g, 16), i * 2));
    return b;
  };
  for (const [input, expected] of [
    ['2001:db8:0:0:0:0:2:1', '2001:db8::2:1'],
    ['2001:db8:0:1:1:1:1:1', '2001:db8:0:1:1:1:1:1'],
    ['2001:0:0:1:0:0:0:1', '2001:0:0:1::1'],
    ['2001:db8:0:0:1:0:0:1', '2001:db8::1:0:0:1'],
    ['0:0:0:0:0:0:0:1', '::1'],
    ['0:0:0:0:0:0:0:0', '::'],
    ['fe80:0:0:0:0:0:0:0', 'fe80::'],
    ['0:0:0:0:0:ffff:c000:201', '::ffff:192.0.2.1'],
  ] as const) {
    it(`${input} → ${expected}`, () => assert.equal(formatAddress(AF_INET6, v6(input)), expected));
  }
  it('IPv4', () => assert.equal(formatAddress(AF_INET, Buffer.from([192, 0, 2, 33])), '192.0.2.33'));
  it('unknown family or short buffer → null', () => {
    assert.equal(formatAddress(99, Buffer.alloc(4)), null);
    assert.equal(formatAddress(AF_INET6, Buffer.alloc(4)), null);
  });
});

describe('requests', () => {
  it('RTM_GETLINK dump with IFLA_EXT_MASK = RTEXT_FILTER_SKIP_STATS when counters are not wanted', () => {
    const req = buildDumpRequest(RTM_GETLINK, 42, { skipStats: true });
    const [m] = parseMessages(req);
    assert.equal(m?.type, RTM_GETLINK);
    assert.equal(m?.flags, NLM_F_REQUEST | NLM_F_DUMP);
    assert.equal(m?.seq, 42);
    assert.equal(req.length, NLMSGHDR.size + IFINFOMSG.size + 8);
    const attrs = parseAttributes(m!.payload, IFINFOMSG.size);
    assert.equal(attrs.get(IFLA_EXT_MASK)?.readUInt32LE(0), RTEXT_FILTER_SKIP_STATS);
  });

  it('RTM_GETADDR dump carries an ifaddrmsg for every family', () => {
    const req = buildDumpRequest(RTM_GETADDR, 1);
    assert.equal(req.length, NLMSGHDR.size + IFADDRMSG.size);
    assert.equal(req.readUInt8(NLMSGHDR.size + IFADDRMSG.family), 0);
  });

  it('sockaddr_nl names AF_NETLINK and the group mask', () => {
    const addr = buildSockaddrNl(0x111);
    assert.equal(addr.readUInt16LE(SOCKADDR_NL.family), 16);
    assert.equal(addr.readUInt32LE(SOCKADDR_NL.groups), 0x111);
  });
});

describe('describeFlags', () => {
  it('says DOWN when IFF_UP is off, and the carrier words as ip does', () => {
    assert.deepEqual(describeFlags(IFF.UP | IFF.LOWER_UP | IFF.POINTOPOINT), ['UP', 'LOWER_UP']);
    assert.deepEqual(describeFlags(IFF.POINTOPOINT), ['DOWN']);
  });
});
