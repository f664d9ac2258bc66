/**
 * The decoders of RAS_STATS, RASPPPIPW, RASPPPIPV6 and RAS_PROJECTION_INFO, and the 32-bit counter unwrap:
 * bytes from rasapi32 are outside input, so arbitrary bytes must decode to well-formed values or to nothing,
 * never throw (property tests: test/support/property.ts, seeded and bounded), and the known layouts decode to
 * what they hold.
 */
import assert from 'node:assert/strict';
import { isIP } from 'node:net';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import {
  PROJECTION_INFO_TYPE_IKEv2,
  PROJECTION_INFO_TYPE_PPP,
  decodeRasPppIp,
  decodeRasPppIpv6,
  decodeRasProjectionInfo,
  decodeRasStats,
  unwrapCounter32,
} from '../../../../electron/core/platforms/win32/ras-decode';
import {
  rasIkev2ProjectionLayout,
  rasPppIpLayouts,
  rasPppIpv6Layout,
  rasPppProjectionLayout,
  rasProjectionInfoLayout,
  rasStatsLayout,
  type RasArch,
  type RasLayout,
} from '../../../../electron/core/platforms/win32/ras-structs';
import { check } from '../../../support/property';

const RUNS = 400;
const bytesOf = (layout: RasLayout) => fc.uint8Array({ minLength: layout.size, maxLength: layout.size + 64 }).map((a) => Buffer.from(a));

/** "a.b.c.d/32" or "x::y/n" with 1 ≤ n ≤ 128 (32 for IPv4). */
function assertCidr(text: string): void {
  const [address, prefix, ...rest] = text.split('/');
  assert.equal(rest.length, 0, text);
  const family = isIP(address!);
  assert.ok(family === 4 || family === 6, text);
  const length = Number(prefix);
  assert.ok(Number.isInteger(length) && length >= 1 && length <= (family === 4 ? 32 : 128), text);
}

describe('unwrapCounter32', () => {
  it('adds up any sequence of steps under 2 GiB to the true 64-bit total, across any number of wraps', () => {
    check(
      fc.property(fc.nat(2 ** 32 - 1), fc.array(fc.nat(2 ** 31 - 1), { maxLength: 50 }), (start, steps) => {
        let raw = start;
        let total = start;
        let truth = start;
        for (const step of steps) {
          truth += step;
          const next = truth % 2 ** 32;
          total = unwrapCounter32(raw, total, next);
          raw = next;
          assert.equal(total, truth);
        }
      }),
      RUNS,
    );
  });

  it('a counter that went back (cleared) restarts from the counter: never negative, never a 4 GiB jump', () => {
    assert.equal(unwrapCounter32(10_000, 10_000 + 2 ** 33, 500), 500);
    check(
      fc.property(fc.nat(2 ** 32 - 1), fc.nat(2 ** 40), fc.nat(2 ** 32 - 1), (raw, total, next) => {
        const result = unwrapCounter32(raw, total, next);
        assert.ok(result >= 0);
        assert.ok(result === next || (result >= total && result - total < 2 ** 31));
      }),
      RUNS,
    );
  });
});

for (const arch of ['x64', 'x86'] as RasArch[]) {
  describe(`decoders over arbitrary bytes (${arch})`, () => {
    it('RAS_STATS: three 32-bit unsigned figures from their fields', () => {
      const layout = rasStatsLayout(arch);
      check(
        fc.property(bytesOf(layout), (buf) => {
          const stats = decodeRasStats(buf, layout);
          assert.equal(stats.bytesIn, buf.readUInt32LE(layout.offsets.dwBytesRcved!));
          assert.equal(stats.bytesOut, buf.readUInt32LE(layout.offsets.dwBytesXmited!));
          assert.equal(stats.connectDurationMs, buf.readUInt32LE(layout.offsets.dwConnectDuration!));
        }),
        RUNS,
      );
    });

    it('RASPPPIPW (both versions): an IPv4 /32, or null', () => {
      for (const layout of rasPppIpLayouts(arch)) {
        check(
          fc.property(bytesOf(layout), (buf) => {
            const address = decodeRasPppIp(buf, layout);
            if (address !== null) assertCidr(address);
          }),
          RUNS,
        );
      }
    });

    it('RASPPPIPV6: a link-local /64, or null', () => {
      const layout = rasPppIpv6Layout(arch);
      check(
        fc.property(bytesOf(layout), (buf) => {
          const address = decodeRasPppIpv6(buf, layout);
          if (address !== null) {
            assertCidr(address);
            assert.match(address, /^fe80:/);
          }
        }),
        RUNS,
      );
    });

    it('RAS_PROJECTION_INFO: at most two well-formed addresses, IPv4 first; any type but PPP and IKEv2 gives none', () => {
      const info = rasProjectionInfoLayout(arch);
      const ppp = rasPppProjectionLayout(arch);
      const ikev2 = rasIkev2ProjectionLayout(arch);
      check(
        fc.property(bytesOf(info), fc.constantFrom(0, PROJECTION_INFO_TYPE_PPP, PROJECTION_INFO_TYPE_IKEv2, 3, 0xffffffff), (buf, type) => {
          buf.writeUInt32LE(type, info.offsets.type!);
          const addresses = decodeRasProjectionInfo(buf, info, ppp, ikev2);
          assert.ok(addresses.length <= 2);
          for (const address of addresses) assertCidr(address);
          if (addresses.length === 2) assert.equal(isIP(addresses[0]!.split('/')[0]!), 4);
          if (type !== PROJECTION_INFO_TYPE_PPP && type !== PROJECTION_INFO_TYPE_IKEv2) assert.deepEqual(addresses, []);
        }),
        RUNS,
      );
    });
  });
}

describe('decoders over known bytes', () => {
  it('IKEv2: IPv4, IPv6 with its prefix; a negotiation error or an impossible prefix is honoured', () => {
    const info = rasProjectionInfoLayout();
    const ikev2 = rasIkev2ProjectionLayout();
    const buf = Buffer.alloc(info.size);
    const base = info.offsets.union!;
    buf.writeUInt32LE(PROJECTION_INFO_TYPE_IKEv2, info.offsets.type!);
    Buffer.from([10, 8, 0, 2]).copy(buf, base + ikev2.offsets.ipv4Address!);
    Buffer.from('fd000001000000000000000000000002', 'hex').copy(buf, base + ikev2.offsets.ipv6Address!);
    buf.writeUInt32LE(56, base + ikev2.offsets.dwPrefixLength!);
    const decode = () => decodeRasProjectionInfo(buf, info, rasPppProjectionLayout(), ikev2);
    assert.deepEqual(decode(), ['10.8.0.2/32', 'fd00:1::2/56']);
    buf.writeUInt32LE(0, base + ikev2.offsets.dwPrefixLength!);
    assert.deepEqual(decode(), ['10.8.0.2/32', 'fd00:1::2/128']);
    buf.writeUInt32LE(733, base + ikev2.offsets.dwIPv4NegotiationError!);
    assert.deepEqual(decode(), ['fd00:1::2/128']);
  });

  it('RASPPPIPW: the dotted text, not 0.0.0.0, not with dwError set', () => {
    const layout = rasPppIpLayouts()[0]!;
    const buf = Buffer.alloc(layout.size);
    buf.write('192.0.2.44', layout.offsets.szIpAddress!, 'utf16le');
    assert.equal(decodeRasPppIp(buf, layout), '192.0.2.44/32');
    buf.writeUInt32LE(720, layout.offsets.dwError!);
    assert.equal(decodeRasPppIp(buf, layout), null);
  });
});
