/**
 * The routing verdict on the setups users have (issue 25): OpenVPN's `redirect-gateway def1`, a split tunnel,
 * IPv6 outside a tunnel, wg-quick's fwmark rules, DNS inside and outside. Readings are written the way the
 * Linux backend reports them (tables 254/255, `proto kernel` subnets).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { connectionRouting, machineVerdict, routeFor, routingVerdict } from '../../../../electron/core/routing/verdict';
import type { RouteEntry, RouteRule, RoutingReading } from '../../../../electron/core/routing/routing-reading';

const TUN = 'netlink:7:tun0';
const WG = 'netlink:9:wg0';

export function route(destination: string, iface: string | null, overrides: Partial<RouteEntry> = {}): RouteEntry {
  const connectionId = iface === 'tun0' ? TUN : iface === 'wg0' ? WG : null;
  return { family: destination.includes(':') ? 6 : 4, destination, interface: iface, connectionId, gateway: null, table: 254, metric: 0, type: 'unicast', ownSubnet: false, ...overrides };
}

const MAIN_RULES: RouteRule[] = [4, 6].flatMap((family) => [
  { family: family as 4 | 6, priority: 0, action: 'lookup' as const, table: 255, selective: false, invert: false, suppressPrefixLength: null },
  { family: family as 4 | 6, priority: 32766, action: 'lookup' as const, table: 254, selective: false, invert: false, suppressPrefixLength: null },
]);

const LAN: RouteEntry[] = [route('0.0.0.0/0', 'eth0', { gateway: '192.168.1.1' }), route('192.168.1.0/24', 'eth0', { ownSubnet: true }), route('::/0', 'eth0', { gateway: 'fe80::1' })];

function reading(routes: RouteEntry[], extra: Partial<RoutingReading> = {}): RoutingReading {
  return { routes, rules: MAIN_RULES, lookups: [], dns: null, ...extra };
}

describe('routing verdict', () => {
  it('calls OpenVPN redirect-gateway def1 (0.0.0.0/1 + 128.0.0.0/1) a full IPv4 tunnel, and IPv6 outside it a bypass', () => {
    const r = reading([...LAN, route('10.8.0.0/24', 'tun0', { ownSubnet: true }), route('0.0.0.0/1', 'tun0'), route('128.0.0.0/1', 'tun0')]);
    const { routing, verdict } = routingVerdict(r, [TUN]);
    assert.deepEqual(routing.get(TUN), { ipv4: 'all', ipv6: 'none', networks: ['0.0.0.0/1', '128.0.0.0/1'], dns: [] });
    assert.equal(verdict.ipv4, TUN);
    assert.equal(verdict.ipv6, null);
    assert.equal(verdict.ipv6Interface, 'eth0');
    assert.deepEqual(verdict.warnings, ['ipv6-bypass']);
  });

  it('lists a split tunnel’s networks, without its own subnet, and sends the rest direct', () => {
    const r = reading([...LAN.slice(0, 2), route('10.8.0.0/24', 'tun0', { ownSubnet: true }), route('10.99.0.0/16', 'tun0'), route('192.168.50.0/24', 'tun0')]);
    const { routing, verdict } = routingVerdict(r, [TUN]);
    assert.deepEqual(routing.get(TUN), { ipv4: 'some', ipv6: 'none', networks: ['10.99.0.0/16', '192.168.50.0/24'], dns: [] });
    assert.equal(verdict.ipv4, null);
    assert.equal(verdict.ipv4Interface, 'eth0');
    assert.equal(verdict.ipv6Interface, null, 'no IPv6 route at all');
    assert.deepEqual(verdict.warnings, [], 'no bypass without a tunnel for IPv4');
  });

  it('says "none yet" of a tunnel with only its own subnet', () => {
    assert.equal(connectionRouting(reading([route('10.8.0.0/24', 'tun0', { ownSubnet: true })]), TUN).ipv4, 'none');
  });

  it('follows wg-quick: default route in table 51820, `not fwmark` rule, main with suppress_prefixlength 0', () => {
    const rules: RouteRule[] = [
      ...MAIN_RULES,
      { family: 4, priority: 32764, action: 'lookup', table: 254, selective: false, invert: false, suppressPrefixLength: 0 },
      { family: 4, priority: 32765, action: 'lookup', table: 51820, selective: true, invert: true, suppressPrefixLength: null },
    ];
    const r = reading([...LAN.slice(0, 2), route('10.78.0.0/24', 'wg0', { ownSubnet: true }), route('0.0.0.0/0', 'wg0', { table: 51820 })], { rules });
    assert.equal(routeFor(r, '198.51.100.1')?.interface, 'wg0');
    const { routing, verdict } = routingVerdict(r, [WG]);
    assert.equal(routing.get(WG)?.ipv4, 'all');
    assert.equal(verdict.ipv4, WG);
  });

  it('does not count a default route in a table only marked traffic reaches', () => {
    const rules: RouteRule[] = [...MAIN_RULES, { family: 4, priority: 100, action: 'lookup', table: 200, selective: true, invert: false, suppressPrefixLength: null }];
    const r = reading([...LAN, route('0.0.0.0/0', 'tun0', { table: 200 })], { rules });
    assert.equal(connectionRouting(r, TUN).ipv4, 'none');
    assert.equal(machineVerdict(r, [TUN]).ipv4, null);
  });

  it('prefers the OS’s own lookup over what the routes alone say (metrics, scoped routes)', () => {
    const r = reading([...LAN, route('0.0.0.0/0', 'tun0', { metric: 50 })], {
      lookups: [{ family: 4, target: '198.51.100.1', interface: 'tun0', connectionId: TUN, gateway: null }],
    });
    assert.equal(routeFor(r, '198.51.100.1')?.interface, 'eth0', 'by metric alone eth0 (metric 0) wins');
    assert.equal(machineVerdict(r, [TUN]).ipv4, TUN);
  });

  it('reads an unreachable lookup as "no route", not a bypass', () => {
    const r = reading([route('0.0.0.0/0', 'tun0')], { lookups: [{ family: 6, target: '2001:db8::1', interface: null, connectionId: null, gateway: null }] });
    const verdict = machineVerdict(r, [TUN]);
    assert.equal(verdict.ipv6, null);
    assert.equal(verdict.ipv6Interface, null);
    assert.deepEqual(verdict.warnings, []);
  });

  it('calls IPv6 "all" when a connection covers every global unicast address (OpenVPN redirect-gateway ipv6)', () => {
    const r = reading(['::/3', '2000::/4', '3000::/4', 'fc00::/7'].map((d) => route(d, 'tun0')));
    assert.equal(connectionRouting(r, TUN).ipv6, 'all');
    assert.equal(connectionRouting(reading([route('2000::/4', 'tun0')]), TUN).ipv6, 'some');
  });

  it('warns of DNS outside a full tunnel, names the connection when every resolver goes through it, and trusts no guess about a local stub', () => {
    const full = [...LAN, route('0.0.0.0/0', 'tun0', { metric: -1 })];
    const outside = machineVerdict(reading(full, { dns: { source: 'resolv.conf', used: [{ address: '192.168.1.1', interface: 'eth0', connectionId: null }], supplied: [] } }), [TUN]);
    assert.equal(outside.dns, null);
    assert.deepEqual(outside.warnings, ['ipv6-bypass', 'dns-outside-tunnel']);
    const inside = machineVerdict(
      reading(full, { dns: { source: 'systemd-resolved', used: [{ address: '10.8.0.1', interface: 'tun0', connectionId: TUN }], supplied: [{ connectionId: TUN, addresses: ['10.8.0.1'] }] } }),
      [TUN],
    );
    assert.equal(inside.dns, TUN);
    assert.deepEqual(inside.dnsServers, [{ address: '10.8.0.1', via: TUN, interface: 'tun0' }]);
    const stub = machineVerdict(reading(full, { dns: { source: 'resolv.conf', used: [{ address: '127.0.0.53', interface: 'lo', connectionId: null }], supplied: [] } }), [TUN]);
    assert.equal(stub.dns, null);
    assert.ok(!stub.warnings.includes('dns-outside-tunnel'));
  });

  it('reports the resolvers a connection supplies on its routing', () => {
    const r = reading([], { dns: { source: 'systemd-resolved', used: [], supplied: [{ connectionId: TUN, addresses: ['10.8.0.1', 'fd00::53'] }] } });
    assert.deepEqual(connectionRouting(r, TUN).dns, ['10.8.0.1', 'fd00::53']);
  });

  it('ignores ids the lookup names that are not listed (a connection gone since the read)', () => {
    const r = reading([], { lookups: [{ family: 4, target: '198.51.100.1', interface: 'tun0', connectionId: TUN, gateway: null }] });
    assert.equal(machineVerdict(r, []).ipv4, null);
    assert.equal(machineVerdict(r, []).ipv4Interface, 'tun0');
  });

  it('goes on to the next rule past a `throw` route and stops at an unreachable one', () => {
    const rules: RouteRule[] = [...MAIN_RULES, { family: 4, priority: 10, action: 'lookup', table: 300, selective: false, invert: false, suppressPrefixLength: null }];
    const thrown = reading([...LAN, route('0.0.0.0/0', null, { table: 300, type: 'throw' })], { rules });
    assert.equal(routeFor(thrown, '198.51.100.1')?.interface, 'eth0');
    const stopped = reading([...LAN, route('0.0.0.0/0', null, { table: 300, type: 'unreachable' })], { rules });
    assert.equal(routeFor(stopped, '198.51.100.1'), null);
  });
});
