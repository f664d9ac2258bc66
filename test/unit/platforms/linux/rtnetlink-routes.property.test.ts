/**
 * Properties of the route and rule decoders over arbitrary bytes (issue 25): what a NETLINK_ROUTE socket
 * returns is outside input. Nothing throws or reads past its buffer; a route built from arbitrary fields
 * decodes back to them; resolv.conf of any text gives at most three real addresses.
 */
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { RTA_DST, RTA_OIF, RTA_PRIORITY, RTA_TABLE, parseRouteMessage, parseRuleMessage } from '../../../../electron/core/platforms/linux/rtnetlink-routes';
import { AF_INET, AF_INET6 } from '../../../../electron/core/platforms/linux/rtnetlink';
import { parseResolvConf } from '../../../../electron/core/platforms/linux/resolvers';
import { parsePrefix } from '../../../../electron/core/routing/prefix';
import { check } from '../../../support/property';
import { attr, rtmsg, u32 } from './netlink-builders';

describe('rtnetlink route decoders (property)', () => {
  it('never throw on arbitrary bytes, and what they return is plain data with a parseable prefix', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 200 }), (bytes) => {
        const buf = Buffer.from(bytes);
        const route = parseRouteMessage(buf);
        if (route) {
          assert.ok(parsePrefix(route.destination), route.destination);
          assert.deepEqual(structuredClone(route), route);
        }
        const rule = parseRuleMessage(buf);
        if (rule) assert.ok(rule.suppressPrefixLength === null || rule.suppressPrefixLength <= 128);
      }),
      2000,
    );
  });

  it('decode a route built from arbitrary fields back to those fields', () => {
    check(
      fc.property(
        fc.boolean(),
        fc.uint8Array({ minLength: 16, maxLength: 16 }),
        fc.nat({ max: 128 }),
        fc.nat({ max: 0x7fffffff }),
        fc.nat({ max: 0xffffffff }),
        fc.nat({ max: 0xffffffff }),
        (v4, raw, length, oif, table, metric) => {
          const family = v4 ? AF_INET : AF_INET6;
          const dstLen = v4 ? length % 33 : length;
          const dst = Buffer.from(raw.subarray(0, v4 ? 4 : 16));
          const route = parseRouteMessage(rtmsg({ family, dstLen }, attr(RTA_DST, dst), attr(RTA_OIF, u32(oif)), attr(RTA_TABLE, u32(table)), attr(RTA_PRIORITY, u32(metric))));
          assert.ok(route);
          assert.equal(route.family, v4 ? 4 : 6);
          assert.equal(route.dstLen, dstLen);
          assert.deepEqual(route.oifs, [oif]);
          assert.equal(route.table, table);
          assert.equal(route.metric, metric);
          assert.ok(route.destination.endsWith(`/${dstLen}`));
        },
      ),
      500,
    );
  });

  it('resolv.conf of any text: at most three servers, each a real address', () => {
    check(
      fc.property(fc.array(fc.oneof(fc.string(), fc.constantFrom('nameserver 10.0.0.1', 'nameserver ::1', 'nameserver fe80::1%wg0', 'nameserver 999.1.1.1')), { maxLength: 8 }), (lines) => {
        const servers = parseResolvConf(lines.join('\n'));
        assert.ok(servers.length <= 3);
        for (const s of servers) assert.ok(isIP(s.address) !== 0);
      }),
      500,
    );
  });
});
