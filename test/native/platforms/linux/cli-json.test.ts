/**
 * `linkwatch list --json` on Linux, inside a namespace with a real OpenVPN and a real wireguard-go tunnel:
 * the same schema as on Windows, platform "linux", backend "netlink", both connections with addresses. And
 * `linkwatch diagnose`: every link of the namespace with its verdict and the reason, from the netlink dump and
 * the same rules as the list (classify.ts).
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../../../shared/connection';
import type { Diagnostics } from '../../../../shared/diagnostics';
import { skipUnless } from '../../../support/skip';
import { TunnelLab, tunnelSupport } from '../../../support/tunnels';

const CLI = fileURLToPath(new URL('../../../../electron/core/cli.ts', import.meta.url));
const support = tunnelSupport();

const runCli = (lab: TunnelLab, args: string[]) => lab.runNodeInClient(CLI, args);

describe('linkwatch list --json on Linux with real tunnels', () => {
  let lab: TunnelLab | null = null;

  before(async () => {
    if (!support.ok) return;
    lab = new TunnelLab();
    lab.setup();
    await lab.openvpnUp();
    await lab.wireguardUp();
  });

  after(() => lab?.teardown());

  it('prints platform linux, backend netlink, both tunnels with kind, names and addresses', async (t) => {
    if (!skipUnless(t, support.ok, support.reason)) return;
    const { code, stdout, stderr } = await runCli(lab!, ['list', '--json']);
    assert.equal(code, 0, stderr);
    const snapshot = JSON.parse(stdout) as Snapshot;
    assert.equal(snapshot.platform, 'linux');
    assert.equal(snapshot.backend, 'netlink');
    assert.equal(snapshot.error, null);
    const byDevice = new Map(snapshot.connections.map((c) => [c.deviceName, c]));
    const ovpn = byDevice.get(lab!.openvpn.ifname);
    const wg = byDevice.get(lab!.wireguard.ifname);
    assert.ok(ovpn && wg, stdout);
    assert.deepEqual([ovpn.kind, ovpn.deviceType, ovpn.owner, ovpn.state], ['vpn', 'tun', 'OpenVPN', 'connected']);
    assert.deepEqual([wg.kind, wg.deviceType, wg.state], ['vpn', 'wireguard', 'connected']);
    assert.deepEqual(ovpn.addresses, [`${lab!.openvpn.clientAddress}/24`]);
    assert.deepEqual(wg.addresses, [`${lab!.wireguard.clientAddress}/24`]);
    assert.equal(snapshot.connections.length, 2, 'the veth "wire" and loopback are not connections');
  });

  it('diagnose --json: each link with its verdict and reason, the backend on push, each part with its last error', async (t) => {
    if (!skipUnless(t, support.ok, support.reason)) return;
    const { code, stdout, stderr } = await runCli(lab!, ['diagnose', '--json']);
    assert.equal(code, 0, stderr);
    const d = JSON.parse(stdout) as Diagnostics;
    assert.deepEqual([d.platform, d.backend, d.updates, d.error, d.connections], ['linux', 'netlink', 'push', null, 2]);
    assert.deepEqual(d.parts[0], { name: 'netlink', detail: 'NETLINK_ROUTE (links, addresses; live groups)', lastError: null });
    const byName = new Map(d.interfaces.map((i) => [i.name, i]));
    const ovpn = byName.get(lab!.openvpn.ifname);
    const wg = byName.get(lab!.wireguard.ifname);
    assert.deepEqual([ovpn?.listed, ovpn?.reason], [true, 'tun device (owned by OpenVPN)']);
    assert.ok(ovpn?.addresses.includes(`${lab!.openvpn.clientAddress}/24`));
    assert.equal(wg?.listed, true);
    assert.match(wg!.reason, /^tun device with a wireguard-go control socket/);
    assert.deepEqual([byName.get('wire')?.listed, byName.get('wire')?.reason], [false, 'not a tunnel or point-to-point link: link kind veth']);
    assert.deepEqual([byName.get('lo')?.listed, byName.get('lo')?.reason], [false, 'loopback']);
    // The listed links are exactly the connections `list` shows.
    const listed = JSON.parse((await runCli(lab!, ['list', '--json'])).stdout) as { connections: { id: string }[] };
    assert.deepEqual(
      d.interfaces.filter((i) => i.listed).map((i) => i.connectionId).sort(),
      listed.connections.map((c) => c.id).sort(),
    );
  });

  it('diagnose: the readable form says the same in lines', async (t) => {
    if (!skipUnless(t, support.ok, support.reason)) return;
    const { code, stdout, stderr } = await runCli(lab!, ['diagnose']);
    assert.equal(code, 0, stderr);
    assert.match(stdout, /^Backend: netlink on linux, push notifications; 2 connections listed$/m);
    assert.match(stdout, /^Note: netlink reports every change, and says when it had to drop some \(ENOBUFS\)/m);
    assert.match(stdout, new RegExp(`^  listed +${lab!.openvpn.ifname} +tun device \\(owned by OpenVPN\\) +${lab!.openvpn.clientAddress.replace(/\./g, '\\.')}/24`, 'm'));
    assert.match(stdout, /^ {2}not listed +wire +not a tunnel or point-to-point link: link kind veth/m);
  });
});
