/**
 * The Windows routing reader (issue 25) over the IP helper's routing functions as a contract fake
 * (test/fixtures/fake-win32-routes.c): the forward table paired with the adapters, GetBestRoute2's choice by
 * route + interface metric (two default routes: the VPN wins by metric, which the routes alone cannot tell),
 * "no route", and route changes pushed from the fake's thread through NotifyRouteChange2.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { routingVerdict } from '../../../../electron/core/routing/verdict';
import { createWin32Routing } from '../../../../electron/core/platforms/win32/win32-routing';
import type { AdapterRecord } from '../../../../electron/core/platforms/win32/iphlpapi-decode';
import { loadFakeIphlpapiRoutes } from '../../../support/fake-win32-routes';

const notLinux = process.platform !== 'linux' ? 'the fake builds with the system cc on Linux' : false;

function adapter(o: Partial<AdapterRecord> & Pick<AdapterRecord, 'ifIndex' | 'luid' | 'friendlyName'>): AdapterRecord {
  return { description: '', ifType: 53, operStatus: 1, mtu: 1400, physicalAddress: '', tunnelType: 0, connectionType: 1, addresses: [], dnsServers: [], ...o };
}

const ETHERNET = adapter({ ifIndex: 3, luid: 0x6000001000000n, friendlyName: 'Ethernet', ifType: 6, dnsServers: ['192.168.1.1'] });
const WIREGUARD = adapter({ ifIndex: 17, luid: 0x35000002000000n, friendlyName: 'office', description: 'WireGuard Tunnel', dnsServers: ['10.6.0.1'] });
const ETH_ID = 'adapter:6000001000000';
const WG_ID = 'adapter:35000002000000';

describe('Windows routing over the fake IP helper', { skip: notLinux }, () => {
  const fake = notLinux ? null : loadFakeIphlpapiRoutes();
  beforeEach(() => fake?.reset());

  it('two default routes: GetBestRoute2 picks the VPN by route + interface metric; the table pairs routes with adapters', (t) => {
    fake!.add({ luid: ETHERNET.luid!, ifIndex: 3, destination: '0.0.0.0/0', nextHop: '192.168.1.1', metric: 0 });
    fake!.add({ luid: ETHERNET.luid!, ifIndex: 3, destination: '192.168.1.0/24', protocol: 2, metric: 256 });
    fake!.add({ luid: WIREGUARD.luid!, ifIndex: 17, destination: '0.0.0.0/0', metric: 0 });
    fake!.add({ luid: ETHERNET.luid!, ifIndex: 3, destination: '::/0', nextHop: 'fe80::1', metric: 0 });
    fake!.interfaceMetric(ETHERNET.luid!, 25); // Windows' automatic metric for a wired link
    fake!.interfaceMetric(WIREGUARD.luid!, 5); // WireGuard for Windows sets its tunnel's metric low
    const routing = createWin32Routing(fake!.path);
    t.after(() => routing.close());
    const reading = routing.read([ETHERNET, WIREGUARD]);
    assert.deepEqual(
      reading.routes.map((r) => [r.destination, r.interface, r.connectionId, r.gateway, r.ownSubnet]),
      [
        ['0.0.0.0/0', 'Ethernet', ETH_ID, '192.168.1.1', false],
        ['192.168.1.0/24', 'Ethernet', ETH_ID, null, true],
        ['0.0.0.0/0', 'office', WG_ID, null, false],
        ['::/0', 'Ethernet', ETH_ID, 'fe80::1', false],
      ],
    );
    const { verdict, routing: perConnection } = routingVerdict(reading, [WG_ID]);
    assert.equal(verdict.ipv4, WG_ID, 'metric 0 + 5 beats 0 + 25');
    assert.equal(verdict.ipv4Interface, 'office');
    assert.equal(verdict.ipv6, null);
    assert.equal(verdict.ipv6Interface, 'Ethernet');
    assert.equal(perConnection.get(WG_ID)?.ipv4, 'all');
    assert.deepEqual(perConnection.get(WG_ID)?.dns, ['10.6.0.1']);
    // Smart multi-homed name resolution: the Ethernet's resolver is asked too.
    assert.deepEqual(verdict.dnsServers, [
      { address: '192.168.1.1', via: null, interface: 'Ethernet' },
      { address: '10.6.0.1', via: WG_ID, interface: 'office' },
    ]);
    assert.deepEqual(verdict.warnings, ['ipv6-bypass', 'dns-outside-tunnel']);
    assert.equal(fake!.calls('GetBestRoute2'), 2);

    fake!.interfaceMetric(WIREGUARD.luid!, 50);
    assert.equal(routingVerdict(routing.read([ETHERNET, WIREGUARD]), [WG_ID]).verdict.ipv4, null, 'the Ethernet now costs less');
  });

  it('no route at all: an empty table (ERROR_NOT_FOUND) and an unreachable lookup, not an error', (t) => {
    const routing = createWin32Routing(fake!.path);
    t.after(() => routing.close());
    const reading = routing.read([ETHERNET]);
    assert.deepEqual(reading.routes, []);
    assert.deepEqual(reading.lookups.map((l) => [l.family, l.interface]), [[4, null], [6, null]]);
  });

  it('route changes are pushed: NotifyRouteChange2 calls back from the fake’s thread, once per change, until cancelled', async (t) => {
    const routing = createWin32Routing(fake!.path);
    t.after(() => routing.close());
    let changes = 0;
    const unwatch = routing.watch(() => changes++);
    await fake!.changed();
    const until = async (n: number): Promise<void> => {
      const deadline = Date.now() + 5000;
      while (changes < n && Date.now() < deadline) await new Promise((r) => setTimeout(r, 5));
    };
    await until(1);
    assert.equal(changes, 1);
    await fake!.changed();
    await until(2);
    assert.equal(changes, 2);
    unwatch();
    await new Promise((r) => setTimeout(r, 50));
    await fake!.changed();
    await new Promise((r) => setTimeout(r, 50));
    assert.equal(changes, 2, 'nothing after unwatch');
  });
});
