/**
 * The route and rule decoders of issue 25 on messages laid out as the kernel lays them out (<linux/rtnetlink.h>,
 * <linux/fib_rules.h>), the lookup request as `ip route get` sends it, and the resolver rules of
 * systemd-resolved and resolv.conf(5).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import koffi from 'koffi';
import {
  FIB_RULE_HDR,
  FIB_RULE_INVERT,
  FRA_FWMARK,
  FRA_IIFNAME,
  FRA_PRIORITY,
  FRA_SUPPRESS_PREFIXLEN,
  FRA_TABLE,
  RTA_DST,
  RTA_GATEWAY,
  RTA_MULTIPATH,
  RTA_OIF,
  RTA_PRIORITY,
  RTA_TABLE,
  RTMSG,
  RTM_F_CLONED,
  RTM_GETROUTE,
  buildRouteLookupRequest,
  parseRouteMessage,
  parseRuleMessage,
  routeMessageMatters,
} from '../../../../electron/core/platforms/linux/rtnetlink-routes';
import { AF_INET, AF_INET6, NLMSGHDR, NLM_F_ACK, NLM_F_REQUEST, RTATTR } from '../../../../electron/core/platforms/linux/rtnetlink';
import { ordinaryServers, parseResolvConf } from '../../../../electron/core/platforms/linux/resolvers';
import { attr, rtmsg, ruleMsg, str, u32 } from './netlink-builders';

const ip4 = (text: string): Buffer => Buffer.from(text.split('.').map(Number));

describe('rtnetlink routes and rules', () => {
  it('declares struct rtmsg and fib_rule_hdr as the C compiler lays them out (12 bytes each)', () => {
    const rtmsgC = koffi.struct('rtmsg_lw', { family: 'uint8', dst_len: 'uint8', src_len: 'uint8', tos: 'uint8', table: 'uint8', protocol: 'uint8', scope: 'uint8', type: 'uint8', flags: 'uint32' });
    assert.equal(koffi.sizeof(rtmsgC), RTMSG.size);
    assert.equal(koffi.offsetof(rtmsgC, 'flags'), RTMSG.flags);
    assert.equal(FIB_RULE_HDR.size, RTMSG.size, 'fib_rule_hdr has the same shape (fib_rules.h)');
  });

  it('decodes OpenVPN’s 128.0.0.0/1 via tun0 and a default route without RTA_DST', () => {
    const half = parseRouteMessage(rtmsg({ family: AF_INET, dstLen: 1 }, attr(RTA_DST, ip4('128.0.0.0')), attr(RTA_OIF, u32(7)), attr(RTA_GATEWAY, ip4('10.8.0.1')), attr(RTA_TABLE, u32(254))));
    assert.deepEqual(half, { family: 4, destination: '128.0.0.0/1', dstLen: 1, table: 254, protocol: 4, type: 'unicast', flags: 0, oifs: [7], gateway: '10.8.0.1', metric: 0 });
    const def = parseRouteMessage(rtmsg({ family: AF_INET6, dstLen: 0, table: 0, protocol: 2 }, attr(RTA_OIF, u32(3)), attr(RTA_PRIORITY, u32(1024)), attr(RTA_TABLE, u32(51820))));
    assert.equal(def?.destination, '::/0');
    assert.equal(def?.table, 51820, 'RTA_TABLE wins over the 8-bit rtm_table');
    assert.equal(def?.metric, 1024);
    assert.equal(def?.protocol, 2);
  });

  it('gives each hop of a multipath route its interface', () => {
    const hop = (ifindex: number): Buffer => {
      const b = Buffer.alloc(8);
      b.writeUInt16LE(8, 0);
      b.writeInt32LE(ifindex, 4);
      return b;
    };
    const route = parseRouteMessage(rtmsg({ family: AF_INET, dstLen: 0 }, attr(RTA_MULTIPATH, Buffer.concat([hop(5), hop(6)]))));
    assert.deepEqual(route?.oifs, [5, 6]);
  });

  it('reads unreachable, and refuses other families and impossible prefix lengths', () => {
    assert.equal(parseRouteMessage(rtmsg({ family: AF_INET, dstLen: 0, type: 7 }))?.type, 'unreachable');
    assert.equal(parseRouteMessage(rtmsg({ family: 28 /* AF_MPLS */, dstLen: 20 })), null);
    assert.equal(parseRouteMessage(rtmsg({ family: AF_INET, dstLen: 33 })), null);
    assert.equal(parseRouteMessage(Buffer.alloc(5)), null);
  });

  it('ignores cached clones and the local table when deciding whether a pushed route matters', () => {
    assert.equal(routeMessageMatters(rtmsg({ family: AF_INET, dstLen: 0 })), true);
    assert.equal(routeMessageMatters(rtmsg({ family: AF_INET6, dstLen: 128, flags: RTM_F_CLONED })), false);
    assert.equal(routeMessageMatters(rtmsg({ family: AF_INET, dstLen: 32, table: 255, type: 2 })), false);
  });

  it('decodes wg-quick’s rules: `not fwmark 51820 table 51820` and `table main suppress_prefixlength 0`', () => {
    const notMarked = parseRuleMessage(ruleMsg({ family: AF_INET, action: 1, flags: FIB_RULE_INVERT }, attr(FRA_PRIORITY, u32(32765)), attr(FRA_FWMARK, u32(51820)), attr(FRA_TABLE, u32(51820))));
    assert.deepEqual(notMarked, { family: 4, priority: 32765, action: 'lookup', table: 51820, selective: true, invert: true, suppressPrefixLength: null });
    const suppress = parseRuleMessage(ruleMsg({ family: AF_INET6, action: 1, table: 254 }, attr(FRA_PRIORITY, u32(32764)), attr(FRA_SUPPRESS_PREFIXLEN, u32(0))));
    assert.equal(suppress?.suppressPrefixLength, 0);
    const unset = parseRuleMessage(ruleMsg({ family: AF_INET, action: 1, table: 254 }, attr(FRA_SUPPRESS_PREFIXLEN, u32(0xffffffff))));
    assert.equal(unset?.suppressPrefixLength, null, '(u32)-1 is "not set"');
    assert.equal(parseRuleMessage(ruleMsg({ family: AF_INET, action: 1, table: 254 }, attr(FRA_IIFNAME, str('lo'))))?.selective, false, 'iif lo is local traffic');
    assert.equal(parseRuleMessage(ruleMsg({ family: AF_INET, action: 1, table: 254, srcLen: 24 }))?.selective, true);
    assert.equal(parseRuleMessage(ruleMsg({ family: AF_INET, action: 7 }))?.action, 'unreachable');
  });

  it('builds the lookup `ip route get` sends: RTM_GETROUTE, NLM_F_REQUEST|ACK, a host RTA_DST, no input interface', () => {
    const req = buildRouteLookupRequest(4, ip4('198.51.100.1'), 9);
    assert.equal(req.readUInt32LE(NLMSGHDR.len), req.length);
    assert.equal(req.readUInt16LE(NLMSGHDR.type), RTM_GETROUTE);
    assert.equal(req.readUInt16LE(NLMSGHDR.flags), NLM_F_REQUEST | NLM_F_ACK);
    assert.equal(req.readUInt32LE(NLMSGHDR.seq), 9);
    const body = req.subarray(NLMSGHDR.size);
    assert.equal(body.readUInt8(RTMSG.family), AF_INET);
    assert.equal(body.readUInt8(RTMSG.dstLen), 32);
    assert.equal(body.readUInt16LE(RTMSG.size + RTATTR.type), RTA_DST);
    assert.deepEqual([...body.subarray(RTMSG.size + RTATTR.size)], [198, 51, 100, 1]);
    assert.equal(buildRouteLookupRequest(6, Buffer.alloc(16), 1).subarray(NLMSGHDR.size).readUInt8(RTMSG.dstLen), 128);
  });
});

describe('resolvers', () => {
  it('resolv.conf: the first three nameservers, a link-local zone kept, junk skipped', () => {
    const text = '# generated\nsearch example.org\nnameserver 192.168.1.1\nnameserver fe80::1%eth0\nnameserver not-an-address\n  nameserver 10.0.0.53 # trailing\nnameserver 10.0.0.54\n';
    assert.deepEqual(parseResolvConf(text), [
      { address: '192.168.1.1', zone: null },
      { address: 'fe80::1', zone: 'eth0' },
      { address: '10.0.0.53', zone: null },
    ]);
  });

  it('systemd-resolved: a "~." link takes every ordinary name; otherwise default-route links and the global servers', () => {
    const lan = { ifindex: 2, servers: ['192.168.1.1'], domains: [], defaultRoute: true };
    const vpnSplit = { ifindex: 7, servers: ['10.8.0.1'], domains: [{ domain: 'corp.example', routeOnly: true }], defaultRoute: false };
    assert.deepEqual(ordinaryServers({ global: { servers: [], domains: [] }, links: [lan, vpnSplit] }), [{ address: '192.168.1.1', ifindex: 2 }]);
    const vpnAll = { ...vpnSplit, domains: [{ domain: '.', routeOnly: true }], defaultRoute: true };
    assert.deepEqual(ordinaryServers({ global: { servers: ['9.9.9.9'], domains: [] }, links: [lan, vpnAll] }), [{ address: '10.8.0.1', ifindex: 7 }]);
    assert.deepEqual(ordinaryServers({ global: { servers: ['9.9.9.9'], domains: [] }, links: [lan] }), [
      { address: '9.9.9.9', ifindex: null },
      { address: '192.168.1.1', ifindex: 2 },
    ]);
  });
});
