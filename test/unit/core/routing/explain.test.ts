/** `linkwatch diagnose` explains the routing verdict (issue 25): each family's lookup and route, policy rules, each resolver. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { explainVerdict } from '../../../../electron/core/routing/explain';
import { routingVerdict } from '../../../../electron/core/routing/verdict';
import type { RouteEntry, RoutingReading } from '../../../../electron/core/routing/routing-reading';
import { connection } from '../../../support/connections';

const r = (destination: string, iface: string, extra: Partial<RouteEntry> = {}): RouteEntry => ({
  family: destination.includes(':') ? 6 : 4,
  destination,
  interface: iface,
  connectionId: iface === 'wg0' ? 'wg' : null,
  gateway: null,
  table: 254,
  metric: 0,
  type: 'unicast',
  ownSubnet: false,
  ...extra,
});

test('explains a wg-quick setup: the lookup, the route in table 51820, the policy rules, the resolver outside, the warnings', () => {
  const reading: RoutingReading = {
    routes: [r('0.0.0.0/0', 'eth0', { gateway: '192.168.1.1' }), r('0.0.0.0/0', 'wg0', { table: 51820 }), r('::/0', 'eth0')],
    rules: [
      { family: 4, priority: 0, action: 'lookup', table: 255, selective: false, invert: false, suppressPrefixLength: null },
      { family: 4, priority: 32764, action: 'lookup', table: 254, selective: false, invert: false, suppressPrefixLength: 0 },
      { family: 4, priority: 32765, action: 'lookup', table: 51820, selective: true, invert: true, suppressPrefixLength: null },
      { family: 4, priority: 32766, action: 'lookup', table: 254, selective: false, invert: false, suppressPrefixLength: null },
    ],
    lookups: [
      { family: 4, target: '198.51.100.1', interface: 'wg0', connectionId: 'wg', gateway: null },
      { family: 6, target: '2001:db8::1', interface: 'eth0', connectionId: null, gateway: 'fe80::1' },
    ],
    dns: { source: 'resolv.conf', used: [{ address: '192.168.1.1', interface: 'eth0', connectionId: null }], supplied: [] },
  };
  const connections = [connection({ id: 'wg', name: 'Home WG' })];
  const { verdict, routing } = routingVerdict(reading, ['wg']);
  const lines = explainVerdict(reading, verdict, connections.map((c) => ({ ...c, routing: routing.get(c.id) ?? null })));
  assert.deepEqual(lines, [
    "IPv4: the OS's route lookup for 198.51.100.1 (no packet sent) leaves by wg0 = Home WG.",
    '  route: 0.0.0.0/0 dev wg0 table 51820',
    "IPv6: the OS's route lookup for 2001:db8::1 (no packet sent) leaves by eth0, outside every listed connection via fe80::1.",
    '  route: ::/0 dev eth0',
    'Policy rules:',
    '  IPv4 rule 32764: all traffic → lookup table main, ignoring routes of /0 or shorter',
    '  IPv4 rule 32765: traffic NOT matching its selectors (ordinary traffic included) → lookup table 51820',
    'Home WG: IPv4 all, IPv6 none; carries all IPv4.',
    'DNS (resolv.conf), resolvers for ordinary names:',
    '  192.168.1.1: queries leave by eth0, outside every listed connection',
    'Warning: IPv6 bypasses the VPN: IPv4 goes through it, IPv6 does not.',
    'Warning: Names are looked up outside the VPN while all traffic goes through it.',
  ]);
});

test('says when the routes alone would pick another way than the OS did (metrics, scoped routes)', () => {
  const reading: RoutingReading = {
    routes: [r('0.0.0.0/0', 'eth0'), r('0.0.0.0/0', 'wg0', { metric: 10 })],
    rules: [],
    lookups: [{ family: 4, target: '198.51.100.1', interface: 'wg0', connectionId: 'wg', gateway: null }],
    dns: null,
  };
  const { verdict } = routingVerdict(reading, ['wg']);
  const lines = explainVerdict(reading, verdict, [connection({ id: 'wg', name: 'Home WG' })]);
  assert.ok(lines.includes('  the routes alone would pick 0.0.0.0/0 dev eth0: metrics, scoped routes or rules decide otherwise'), lines.join('\n'));
  assert.ok(lines.includes('DNS: the resolvers could not be read.'));
});
