/**
 * `linkwatch list --json` on Linux, inside a namespace with a real OpenVPN and a real wireguard-go tunnel:
 * the same schema as on Windows, platform "linux", backend "netlink", both connections with addresses.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../../../shared/connection';
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
});
