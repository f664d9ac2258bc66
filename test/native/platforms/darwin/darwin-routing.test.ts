/**
 * The macOS routing verdict (issue 25) over the fakes: issue 24's fake libSystem for the interfaces
 * (getifaddrs, the routing socket's news) and the routing fake for NET_RT_DUMP and RTM_GET with Darwin's
 * rt_msghdr layout (test/fixtures/fake-darwin-routes.c). A VPN that takes the primary default route leaves
 * the Wi-Fi's default scoped (RTF_IFSCOPE): the kernel's RTM_GET, not the table alone, says where traffic goes.
 */
import assert from 'node:assert/strict';
import { beforeEach, describe, it } from 'node:test';
import { ConnectionMonitor } from '../../../../electron/core/monitor';
import { createDarwinSource } from '../../../../electron/core/platforms/darwin/darwin-source';
import { RTF, RT_MSGHDR } from '../../../../electron/core/platforms/darwin/route-table';
import { loadFakeLibSystem, typicalMac, type FakeInterface } from '../../../support/fake-libsystem';
import { FAKE_RTF, loadFakeRoutes } from '../../../support/fake-darwin-routes';

const notLinux = process.platform !== 'linux' ? 'the fakes build on Linux only' : false;
const VPN: FakeInterface = { name: 'utun4', index: 20, mtu: 1400, addresses: [{ address: '10.8.0.6', prefix: 24, peer: '10.8.0.1' }] };

function setUp(): { ifs: ReturnType<typeof loadFakeLibSystem>; routes: ReturnType<typeof loadFakeRoutes> } {
  const ifs = loadFakeLibSystem();
  const routes = loadFakeRoutes();
  ifs.reset();
  routes.reset();
  routes.dnsReset();
  for (const i of [...typicalMac(), VPN]) {
    ifs.addInterface(i);
    routes.addInterface(i.name, i.index);
  }
  return { ifs, routes };
}

describe('macOS routing verdict over the fakes', { skip: notLinux }, () => {
  beforeEach(() => {
    if (!notLinux) setUp();
  });

  it('a VPN holding the primary default route: all IPv4 through it, the scoped Wi-Fi default ignored; IPv6 on Wi-Fi is a bypass', async (t) => {
    const { ifs, routes } = setUp();
    routes.add('0.0.0.0/0', '192.168.1.1', 6, FAKE_RTF.IFSCOPE); // the Wi-Fi's default, scoped once the VPN is primary
    routes.add('0.0.0.0/0', '10.8.0.1', 20);
    routes.add('192.168.1.0/24', null, 6);
    routes.add('10.8.0.0/24', null, 20);
    routes.add('::/0', 'fe80::1', 6);
    // scutil --dns: the default resolver (unscoped) is the Wi-Fi's router; the VPN's service supplies its own.
    routes.addResolver({ servers: ['192.168.1.1'] });
    routes.addResolver({ domain: 'corp.example', servers: ['10.8.0.1'] });
    routes.addResolver({ scoped: true, ifIndex: 20, ifName: 'utun4', servers: ['10.8.0.1'] });
    routes.addResolver({ scoped: true, ifIndex: 6, ifName: 'en0', servers: ['192.168.1.1'] });
    const monitor = new ConnectionMonitor(createDarwinSource(ifs.path, null, { routesLibrary: routes.path }), { platform: 'darwin' });
    t.after(() => monitor.close());
    const snapshot = await monitor.refresh();
    const vpn = snapshot.connections.find((c) => c.id === 'getifaddrs:utun4');
    assert.ok(vpn);
    assert.deepEqual(vpn.routing, { ipv4: 'all', ipv6: 'none', networks: ['0.0.0.0/0'], dns: ['10.8.0.1'] });
    assert.equal(snapshot.verdict?.dnsSource, 'dns_configuration_copy');
    assert.deepEqual(snapshot.verdict?.dnsServers, [{ address: '192.168.1.1', via: null, interface: 'en0' }], 'the route to the router is the Wi-Fi subnet');
    assert.equal(routes.dnsLive(), 0, 'every configuration copied was freed');
    assert.equal(snapshot.verdict?.ipv4, 'getifaddrs:utun4');
    assert.equal(snapshot.verdict?.ipv4Interface, 'utun4');
    assert.equal(snapshot.verdict?.ipv6, null);
    assert.equal(snapshot.verdict?.ipv6Interface, 'en0');
    assert.deepEqual(snapshot.verdict?.warnings, ['ipv6-bypass', 'dns-outside-tunnel']);
    assert.ok(routes.calls('sysctl') >= 1 && routes.calls('write_rtm_get') >= 3, 'the table dumped, each family and the resolver asked of RTM_GET');
  });

  it('a split VPN: its network listed, traffic direct; no IPv6 route at all is no bypass (RTM_GET answers ESRCH)', async (t) => {
    const { ifs, routes } = setUp();
    routes.add('0.0.0.0/0', '192.168.1.1', 6);
    routes.add('10.99.0.0/16', '10.8.0.1', 20);
    routes.add('10.8.0.0/24', null, 20);
    const monitor = new ConnectionMonitor(createDarwinSource(ifs.path, null, { routesLibrary: routes.path }), { platform: 'darwin' });
    t.after(() => monitor.close());
    const snapshot = await monitor.refresh();
    assert.deepEqual(snapshot.connections.find((c) => c.id === 'getifaddrs:utun4')?.routing, { ipv4: 'some', ipv6: 'none', networks: ['10.99.0.0/16'], dns: [] });
    assert.equal(snapshot.verdict?.ipv4, null);
    assert.equal(snapshot.verdict?.ipv4Interface, 'en0');
    assert.equal(snapshot.verdict?.ipv6Interface, null);
    assert.deepEqual(snapshot.verdict?.warnings, []);
  });

  it('a route added (RTM_ADD on the routing socket) re-reads the routing alone and moves the verdict', async (t) => {
    const { ifs, routes } = setUp();
    routes.add('0.0.0.0/0', '192.168.1.1', 6);
    const monitor = new ConnectionMonitor(createDarwinSource(ifs.path, null, { routesLibrary: routes.path }), { platform: 'darwin', safetyPollMs: 3_600_000 });
    t.after(() => monitor.close());
    const verdicts: (string | null)[] = [];
    monitor.subscribe((update) => verdicts.push(update.snapshot.verdict?.ipv4 ?? null));
    const deadline = Date.now() + 5000;
    while (verdicts.length === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(verdicts.length, 1);
    assert.equal(verdicts[0], null, 'direct at first');
    routes.add('0.0.0.0/1', '10.8.0.1', 20);
    routes.add('128.0.0.0/1', '10.8.0.1', 20);
    // What the kernel tells every routing socket after `route add`: an RTM_ADD rt_msghdr.
    const news = Buffer.alloc(RT_MSGHDR.size);
    news.writeUInt16LE(news.length, RT_MSGHDR.msglen);
    news[RT_MSGHDR.version] = 5;
    news[RT_MSGHDR.type] = 0x1; // RTM_ADD
    news.writeInt32LE(RTF.UP | RTF.GATEWAY, RT_MSGHDR.flags);
    while (ifs.routeSockets() === 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.ok(ifs.routeInject(news) >= 1);
    while (verdicts.at(-1) !== 'getifaddrs:utun4' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    assert.equal(verdicts.at(-1), 'getifaddrs:utun4');
    assert.deepEqual(monitor.readCounts.full, 1, 'the interfaces were not read again');
  });
});
