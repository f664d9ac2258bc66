/**
 * The routing verdict on real tunnels (issue 25): `linkwatch list --json` inside a client namespace, compared
 * with what `ip route get` says in the same namespace for a public address of each family and for the
 * resolver. An OpenVPN server pushing `redirect-gateway def1` (full: 0.0.0.0/1 + 128.0.0.0/1) with IPv6 left
 * outside the tunnel (bypass), one pushing only `route 10.99.0.0 255.255.0.0` (split), and a wireguard-go
 * tunnel set up as wg-quick does (fwmark and policy rules). resolv.conf is the namespace's own (ip netns exec
 * bind-mounts /etc/netns/<ns>/resolv.conf); no system bus is reachable, so systemd-resolved is not asked.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Connection, Snapshot } from '../../../../shared/connection';
import { startNetworkManagerWithDns, startPrivateBus, startResolvedMock, type PrivateBus } from '../../../support/resolved-bus';
import { networkManagerMockMissing } from '../../../support/nm-bus';
import { RoutingLab } from '../../../support/routing-lab';
import { skipUnless } from '../../../support/skip';
import { tunnelSupport } from '../../../support/tunnels';

const support = tunnelSupport();
const busMissing = networkManagerMockMissing();
/** No systemd-resolved (nor NetworkManager): a private bus with nothing on it; resolv.conf answers. */
let emptyBus: PrivateBus | null = null;
const noResolved = (): NodeJS.ProcessEnv => ({ DBUS_SYSTEM_BUS_ADDRESS: emptyBus!.address });
const V4 = '198.51.100.1';
const V6 = '2001:db8::1';

async function listIn(lab: RoutingLab, env: NodeJS.ProcessEnv = noResolved()): Promise<{ snapshot: Snapshot; tunnel: Connection; human: string }> {
  const json = await lab.cli(['list', '--json'], env);
  assert.equal(json.code, 0, json.stderr);
  const snapshot = JSON.parse(json.stdout) as Snapshot;
  const tunnel = snapshot.connections.find((c) => c.deviceName === lab.ifname);
  assert.ok(tunnel, `the tunnel ${lab.ifname} is listed: ${json.stdout}`);
  const human = await lab.cli(['list'], env);
  assert.equal(human.code, 0, human.stderr);
  return { snapshot, tunnel, human: human.stdout };
}

/** The verdict names the tunnel exactly where `ip route get` says the tunnel's interface. */
function agreesWithKernel(lab: RoutingLab, snapshot: Snapshot, tunnel: Connection): void {
  const verdict = snapshot.verdict!;
  for (const [target, id, iface] of [[V4, verdict.ipv4, verdict.ipv4Interface], [V6, verdict.ipv6, verdict.ipv6Interface]] as const) {
    const kernel = lab.routeGet(target);
    assert.equal(iface, kernel, `ip route get ${target} says ${kernel}`);
    assert.equal(id, kernel === lab.ifname ? tunnel.id : null, `verdict for ${target}`);
  }
}

describe('routing verdict with real tunnels (Linux)', () => {
  before(() => {
    if (support.ok && !busMissing) emptyBus = startPrivateBus();
  });
  after(() => emptyBus?.stop());
  it('OpenVPN redirect-gateway def1: all IPv4 through the tunnel, IPv6 bypasses it, names looked up outside it', async (t) => {
    if (!skipUnless(t, support.ok && !busMissing, support.reason || String(busMissing))) return;
    const lab = new RoutingLab();
    t.after(() => lab.teardown());
    lab.setup({ ipv6: true });
    lab.resolvConf('nameserver 198.18.0.1\n');
    await lab.openvpn(['redirect-gateway def1']);
    const { snapshot, tunnel, human } = await listIn(lab);
    assert.equal(tunnel.routing?.ipv4, 'all');
    assert.equal(tunnel.routing?.ipv6, 'none');
    assert.ok(tunnel.routing?.networks.includes('0.0.0.0/1') && tunnel.routing.networks.includes('128.0.0.0/1'), String(tunnel.routing?.networks));
    agreesWithKernel(lab, snapshot, tunnel);
    assert.equal(snapshot.verdict?.ipv4, tunnel.id);
    assert.equal(snapshot.verdict?.ipv6Interface, 'wire');
    assert.equal(snapshot.verdict?.dnsSource, 'resolv.conf');
    assert.deepEqual(snapshot.verdict?.dnsServers, [{ address: '198.18.0.1', via: null, interface: lab.routeGet('198.18.0.1') }]);
    assert.deepEqual(snapshot.verdict?.warnings, ['ipv6-bypass', 'dns-outside-tunnel']);
    assert.match(human, /IPv4 traffic goes through .+?; IPv6 bypasses the VPN \(wire\)/);
    assert.match(human, /Names are looked up outside the VPN \(198\.18\.0\.1\)/);
    const diagnose = await lab.cli(['diagnose'], noResolved());
    assert.equal(diagnose.code, 0, diagnose.stderr);
    assert.match(diagnose.stdout, new RegExp(`IPv4: the OS's route lookup for ${V4.replaceAll('.', '\\.')} \\(no packet sent\\) leaves by ${lab.ifname} = `));
    assert.match(diagnose.stdout, new RegExp(`route: 128\\.0\\.0\\.0/1 dev ${lab.ifname}`));
    assert.match(diagnose.stdout, /IPv6: .* leaves by wire, outside every listed connection via fd18::1\./);
    assert.match(diagnose.stdout, /198\.18\.0\.1: queries leave by wire, outside every listed connection/);
  });

  it('OpenVPN pushing only route 10.99.0.0/16: a split tunnel, everything else direct, names through the tunnel', async (t) => {
    if (!skipUnless(t, support.ok && !busMissing, support.reason || String(busMissing))) return;
    const lab = new RoutingLab();
    t.after(() => lab.teardown());
    lab.setup({ ipv6: true });
    lab.resolvConf('nameserver 10.99.0.53\n');
    await lab.openvpn(['route 10.99.0.0 255.255.0.0']);
    const { snapshot, tunnel, human } = await listIn(lab);
    assert.deepEqual(tunnel.routing, { ipv4: 'some', ipv6: 'none', networks: ['10.99.0.0/16'], dns: [] });
    agreesWithKernel(lab, snapshot, tunnel);
    assert.equal(snapshot.verdict?.ipv4, null);
    assert.equal(snapshot.verdict?.ipv4Interface, 'wire');
    assert.equal(lab.routeGet('10.99.0.53'), lab.ifname);
    assert.equal(snapshot.verdict?.dns, tunnel.id, 'the resolver is inside the split network');
    assert.deepEqual(snapshot.verdict?.warnings, [], 'no full tunnel, nothing to bypass');
    assert.match(human, /Only 1 network goes through .+?; everything else goes direct/);
  });

  it('wireguard-go set up as wg-quick does (fwmark 51820, table 51820, policy rules): all traffic, both families', async (t) => {
    if (!skipUnless(t, support.ok && !busMissing, support.reason || String(busMissing))) return;
    const lab = new RoutingLab();
    t.after(() => lab.teardown());
    lab.setup({ ipv6: true });
    lab.resolvConf('nameserver 10.78.0.1\n');
    await lab.wireguardAsWgQuick({ ipv6: true });
    const { snapshot, tunnel, human } = await listIn(lab);
    assert.equal(tunnel.routing?.ipv4, 'all');
    assert.equal(tunnel.routing?.ipv6, 'all');
    assert.equal(lab.routeGet(V4), lab.ifname, 'the kernel sends public IPv4 through the tunnel');
    agreesWithKernel(lab, snapshot, tunnel);
    assert.equal(snapshot.verdict?.ipv4, tunnel.id);
    assert.equal(snapshot.verdict?.ipv6, tunnel.id);
    assert.equal(snapshot.verdict?.dns, tunnel.id);
    assert.deepEqual(snapshot.verdict?.warnings, []);
    assert.match(human, /All traffic goes through .+?\./);
  });

  it('wg-quick for IPv4 only, IPv6 on the LAN: the kernel and the verdict both say IPv6 bypasses', async (t) => {
    if (!skipUnless(t, support.ok && !busMissing, support.reason || String(busMissing))) return;
    const lab = new RoutingLab();
    t.after(() => lab.teardown());
    lab.setup({ ipv6: true });
    lab.resolvConf('nameserver 10.78.0.1\n');
    await lab.wireguardAsWgQuick({ ipv6: false });
    const { snapshot, tunnel } = await listIn(lab);
    agreesWithKernel(lab, snapshot, tunnel);
    assert.equal(snapshot.verdict?.ipv4, tunnel.id);
    assert.equal(snapshot.verdict?.ipv6, null);
    assert.deepEqual(snapshot.verdict?.warnings, ['ipv6-bypass']);
  });

  it('systemd-resolved (python-dbusmock): a "~." tunnel link takes every name; a split-DNS one leaves names outside the full tunnel', async (t) => {
    if (!skipUnless(t, support.ok && !busMissing, support.reason || String(busMissing))) return;
    const lab = new RoutingLab();
    t.after(() => lab.teardown());
    lab.setup({ ipv6: false });
    lab.resolvConf('nameserver 127.0.0.53\n');
    await lab.openvpn(['redirect-gateway def1']);
    const wire = { ifindex: lab.ifindex('wire'), servers: ['198.18.0.1'], defaultRoute: true };
    const tun = lab.ifindex(lab.ifname);

    const catchAll = await startResolvedMock({ global: [], links: [wire, { ifindex: tun, servers: ['10.77.0.1'], domains: [{ domain: '.', routeOnly: true }], defaultRoute: true }] });
    t.after(() => catchAll.stop());
    const inside = await listIn(lab, { DBUS_SYSTEM_BUS_ADDRESS: catchAll.bus.address });
    assert.equal(inside.snapshot.verdict?.dnsSource, 'systemd-resolved');
    assert.deepEqual(inside.tunnel.routing?.dns, ['10.77.0.1']);
    assert.deepEqual(inside.snapshot.verdict?.dnsServers, [{ address: '10.77.0.1', via: inside.tunnel.id, interface: lab.ifname }]);
    assert.equal(inside.snapshot.verdict?.dns, inside.tunnel.id);
    assert.deepEqual(inside.snapshot.verdict?.warnings, []);
    assert.match(inside.human, /Names are looked up through .+? \(10\.77\.0\.1\)/);
    await catchAll.stop();

    const split = await startResolvedMock({ global: [], links: [wire, { ifindex: tun, servers: ['10.77.0.1'], domains: [{ domain: 'corp.example', routeOnly: true }], defaultRoute: false }] });
    t.after(() => split.stop());
    const outside = await listIn(lab, { DBUS_SYSTEM_BUS_ADDRESS: split.bus.address });
    assert.deepEqual(outside.tunnel.routing?.dns, ['10.77.0.1'], 'it still supplies its resolver, for corp.example');
    assert.deepEqual(outside.snapshot.verdict?.dnsServers, [{ address: '198.18.0.1', via: null, interface: 'wire' }]);
    assert.deepEqual(outside.snapshot.verdict?.warnings, ['dns-outside-tunnel']);
  });

  it('watch --json: routes added and removed under a running watch are pushed (route groups) and re-read alone, as new verdict lines', async (t) => {
    if (!skipUnless(t, support.ok && !busMissing, support.reason || String(busMissing))) return;
    const lab = new RoutingLab();
    t.after(() => lab.teardown());
    lab.setup({ ipv6: false });
    lab.resolvConf('nameserver 198.18.0.1\n');
    await lab.openvpn(['route 10.99.0.0 255.255.0.0']);
    const watch = lab.spawnCli(['watch', '--json'], noResolved());
    let out = '';
    watch.stdout!.on('data', (c: Buffer) => (out += c.toString()));
    const verdicts = (): { verdict: { ipv4: string | null } }[] => out.split('\n').filter((l) => l.includes('"type":"verdict"')).map((l) => JSON.parse(l));
    const until = async (what: string, check: () => boolean): Promise<void> => {
      const deadline = Date.now() + 20_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${out}`);
        await new Promise((resolve) => setTimeout(resolve, 25));
      }
    };
    await until('the first verdict', () => verdicts().length === 1);
    assert.equal(verdicts()[0]!.verdict.ipv4, null, 'split: public IPv4 goes direct');
    const tunnelId = (JSON.parse(out.split('\n').find((l) => l.includes('"type":"added"'))!) as { connection: Connection }).connection.id;
    // What `redirect-gateway def1` would add, added by hand under the running watch.
    lab.ip(['route', 'add', '0.0.0.0/1', 'dev', lab.ifname]);
    lab.ip(['route', 'add', '128.0.0.0/1', 'dev', lab.ifname]);
    await until('a verdict through the tunnel', () => verdicts().at(-1)!.verdict.ipv4 === tunnelId);
    assert.equal(lab.routeGet(V4), lab.ifname);
    assert.ok(out.includes('"fields":["routing"]'), 'the connection changed in its routing only');
    lab.ip(['route', 'del', '0.0.0.0/1', 'dev', lab.ifname]);
    lab.ip(['route', 'del', '128.0.0.0/1', 'dev', lab.ifname]);
    await until('the verdict back to direct', () => verdicts().at(-1)!.verdict.ipv4 === null);
    watch.kill('SIGTERM');
  });

  it('NetworkManager (python-dbusmock) names the WireGuard profile and the resolver it supplies; resolv.conf says which is used', async (t) => {
    if (!skipUnless(t, support.ok && !busMissing, support.reason || String(busMissing))) return;
    const lab = new RoutingLab();
    t.after(() => lab.teardown());
    lab.setup({ ipv6: false });
    lab.resolvConf('nameserver 10.78.0.1\n');
    await lab.wireguardAsWgQuick({ ipv6: false });
    const nm = await startNetworkManagerWithDns({ ifname: lab.ifname, type: 'wireguard', uuid: 'u-home-wg', id: 'Home WG', servers: ['10.78.0.1'] });
    t.after(() => nm.stop());
    const { snapshot, tunnel, human } = await listIn(lab, { DBUS_SYSTEM_BUS_ADDRESS: nm.bus.address });
    assert.equal(tunnel.name, 'Home WG', 'the profile name, from NetworkManager');
    assert.deepEqual(tunnel.routing?.dns, ['10.78.0.1']);
    assert.equal(snapshot.verdict?.dnsSource, 'resolv.conf');
    assert.equal(snapshot.verdict?.dns, tunnel.id);
    assert.match(human, /All traffic goes through Home WG\./);
  });
});
