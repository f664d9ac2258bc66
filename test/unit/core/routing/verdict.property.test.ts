/**
 * Properties of the routing verdict over arbitrary route tables (what the OS reports is outside input):
 * prefixes that tile a family's space make it "all" and one missing tile does not; the OS's lookup always
 * decides the machine's verdict; without one, the longest matching prefix does, as a brute-force search says;
 * the verdict only ever names listed connections; networks are canonical CIDR text.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { connectionRouting, machineVerdict, routeFor } from '../../../../electron/core/routing/verdict';
import { addressValue, containsAddress, formatPrefix, parsePrefix, type Prefix } from '../../../../electron/core/routing/prefix';
import type { RouteEntry, RoutingReading } from '../../../../electron/core/routing/routing-reading';
import { check } from '../../../support/property';

const IDS = ['a', 'b', 'c'];

/** A tiling of `prefix` by splitting it at random: every address is in exactly one tile. */
function tiling(prefix: Prefix, depth: number): fc.Arbitrary<Prefix[]> {
  const bits = prefix.family === 4 ? 32 : 128;
  if (depth === 0 || prefix.length >= bits) return fc.constant([prefix]);
  const half = 1n << BigInt(bits - prefix.length - 1);
  const left = { ...prefix, length: prefix.length + 1 };
  const right = { ...prefix, network: prefix.network + half, length: prefix.length + 1 };
  return fc.boolean().chain((split) =>
    split ? fc.tuple(tiling(left, depth - 1), tiling(right, depth - 1)).map(([l, r]) => [...l, ...r]) : fc.constant([prefix]),
  );
}

const family4 = fc.constantFrom(4 as const);
const ipv4Prefix = fc.tuple(fc.integer({ min: 0, max: 0xffffffff }), fc.integer({ min: 0, max: 32 })).map(([n, len]) => parsePrefix(`${[24, 16, 8, 0].map((s) => (n >>> s) & 255).join('.')}/${len}`) as Prefix);
const ipv6Prefix = fc.tuple(fc.array(fc.integer({ min: 0, max: 0xffff }), { minLength: 8, maxLength: 8 }), fc.integer({ min: 0, max: 128 })).map(([groups, len]) => parsePrefix(`${groups.map((g) => g.toString(16)).join(':')}/${len}`) as Prefix);

const anyRoute: fc.Arbitrary<RouteEntry> = fc.record({
  prefix: fc.oneof(ipv4Prefix, ipv6Prefix),
  connectionId: fc.constantFrom('a', 'b', 'c', 'gone', null),
  metric: fc.integer({ min: 0, max: 5 }),
  type: fc.constantFrom('unicast', 'unicast', 'unicast', 'unreachable', 'blackhole', 'local'),
  ownSubnet: fc.boolean(),
}).map(({ prefix, connectionId, metric, type, ownSubnet }) => ({
  family: prefix.family,
  destination: formatPrefix(prefix),
  interface: connectionId ?? 'eth0',
  connectionId,
  gateway: null,
  table: 254,
  metric,
  type,
  ownSubnet,
}));

const plain = (routes: RouteEntry[]): RoutingReading => ({ routes, rules: [], lookups: [], dns: null });

describe('routing verdict properties', () => {
  it('any tiling of 0.0.0.0/0 through one connection is "all"; without one tile it is not', () => {
    check(
      fc.property(family4, tiling(parsePrefix('0.0.0.0/0') as Prefix, 6), fc.nat(), (_, tiles, drop) => {
        const routes = tiles.map((p) => ({ family: 4 as const, destination: formatPrefix(p), interface: 'tun0', connectionId: 'a', gateway: null, table: 254, metric: 0, type: 'unicast' as const, ownSubnet: false }));
        assert.equal(connectionRouting(plain(routes), 'a').ipv4, 'all');
        const fewer = routes.filter((_, i) => i !== drop % routes.length);
        if (fewer.length > 0) assert.equal(connectionRouting(plain(fewer), 'a').ipv4, 'some');
      }),
      200,
    );
  });

  it('without a lookup, the verdict is the longest matching unicast prefix (lowest metric among equals), as a brute-force search says', () => {
    check(
      fc.property(fc.array(anyRoute, { maxLength: 12 }), fc.constantFrom('198.51.100.1', '10.1.2.3', '2001:db8::1', 'fd00::1'), (routes, target) => {
        const address = addressValue(target)!;
        const matching = routes
          .filter((r) => r.type !== 'local')
          .map((r) => ({ r, p: parsePrefix(r.destination)! }))
          .filter(({ p }) => containsAddress(p, address.family, address.value));
        const longest = Math.max(-1, ...matching.map(({ p }) => p.length));
        const best = matching.filter(({ p }) => p.length === longest).sort((x, y) => x.r.metric - y.r.metric)[0]?.r ?? null;
        const expected = best && best.type === 'unicast' ? best : null;
        assert.equal(routeFor(plain(routes), target)?.metric ?? null, expected?.metric ?? null);
        assert.equal(routeFor(plain(routes), target)?.connectionId ?? null, expected?.connectionId ?? null);
      }),
      500,
    );
  });

  it('the verdict names only listed connections, and the OS’s lookup decides it whatever the routes say', () => {
    check(
      fc.property(fc.array(anyRoute, { maxLength: 10 }), fc.constantFrom('a', 'b', 'gone', null), fc.option(fc.constantFrom('tun0', 'eth0')), (routes, looked, iface) => {
        const verdict = machineVerdict({ ...plain(routes), lookups: [{ family: 4, target: '198.51.100.1', interface: iface, connectionId: looked, gateway: null }] }, IDS);
        assert.equal(verdict.ipv4, looked !== null && IDS.includes(looked) ? looked : null);
        assert.equal(verdict.ipv4Interface, iface);
        for (const value of [verdict.ipv6, verdict.dns]) assert.ok(value === null || IDS.includes(value));
      }),
      300,
    );
  });

  it('networks are canonical CIDR text of the connection’s own unicast routes, each once', () => {
    check(
      fc.property(fc.array(anyRoute, { maxLength: 12 }), (routes) => {
        const { networks, ipv4, ipv6 } = connectionRouting(plain(routes), 'a');
        assert.equal(new Set(networks).size, networks.length);
        for (const text of networks) {
          assert.equal(formatPrefix(parsePrefix(text)!), text);
          assert.ok(routes.some((r) => r.connectionId === 'a' && r.type === 'unicast' && !r.ownSubnet && formatPrefix(parsePrefix(r.destination)!) === text));
        }
        if (ipv4 === 'some') assert.ok(networks.some((n) => !n.includes(':')));
        if (ipv6 === 'some') assert.ok(networks.some((n) => n.includes(':')));
      }),
      300,
    );
  });
});
