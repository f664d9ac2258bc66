/**
 * The routing verdict under Windows Node with Wine's OWN iphlpapi (issue 25): Wine's GetIpForwardTable2 maps
 * the Linux routing table of the namespace its wineserver runs in, so inside the client namespace of an
 * OpenVPN server pushing `redirect-gateway def1` (test/support/routing-lab.ts) the tun adapter must carry all
 * of IPv4 and be the machine's verdict, as `ip route get` says in the same namespace. Wine's GetBestRoute2 is a
 * stub (ERROR_NOT_SUPPORTED), so the verdict here comes from the forward table (routing/verdict.ts routeFor):
 * this proves the structures, the calls and the pairing of routes with adapters on a real implementation.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../shared/connection';
import { RoutingLab } from '../support/routing-lab';
import { skipUnless } from '../support/skip';
import { tunnelSupport } from '../support/tunnels';
import { runUnderWindowsNode, setupWindowsNode, skipUnlessWindowsNode, stopWine, windowsNodeUnavailable } from '../support/windows-node';

after(stopWine);

describe("routing verdict over Wine's own iphlpapi, inside a full tunnel's namespace", () => {
  let lab: RoutingLab | null = null;
  before(async () => {
    if (windowsNodeUnavailable() !== null || !tunnelSupport().ok) return;
    setupWindowsNode();
    lab = new RoutingLab();
    lab.setup({ ipv6: false });
    lab.resolvConf('nameserver 198.18.0.1\n');
    await lab.openvpn(['redirect-gateway def1']);
  });
  after(() => lab?.teardown());

  /** `linkwatch <args>` under Windows Node, its wineserver (and nsiproxy) started inside the client namespace. */
  async function linkwatchInClient(args: string[]): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'linkwatch-wine-routing-'));
    const wrapper = join(dir, 'wine');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lab!.client} /usr/bin/wine "$@"\n`);
    chmodSync(wrapper, 0o755);
    stopWine();
    let run;
    try {
      run = await runUnderWindowsNode('electron/core/cli.ts', { args, env: { PATH: `${dir}:${process.env.PATH ?? ''}` } });
    } finally {
      stopWine();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(run.timedOut, false, run.stderr);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    return run.stdout;
  }

  it('list --json: the tun adapter carries all of IPv4 (0.0.0.0/1 + 128.0.0.0/1) and is the verdict, as ip route get says', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const support = tunnelSupport();
    if (!skipUnless(t, support.ok, support.reason)) return;
    const snapshot = JSON.parse(await linkwatchInClient(['list', '--json'])) as Snapshot;
    t.diagnostic(`Wine's verdict: ${JSON.stringify(snapshot.verdict)}`);
    const tun = snapshot.connections.find((c) => c.name === lab!.ifname || c.deviceName === lab!.ifname);
    assert.ok(tun, `the tun among ${JSON.stringify(snapshot.connections.map((c) => [c.id, c.name, c.deviceName]))}`);
    t.diagnostic(`routing: ${JSON.stringify(tun.routing)}`);
    assert.equal(tun.routing?.ipv4, 'all');
    assert.ok(tun.routing?.networks.includes('0.0.0.0/1') && tun.routing.networks.includes('128.0.0.0/1'), String(tun.routing?.networks));
    assert.equal(lab!.routeGet('198.51.100.1'), lab!.ifname);
    assert.equal(snapshot.verdict?.ipv4, tun.id);
    assert.equal(snapshot.verdict?.ipv4Interface, lab!.ifname);
    // DNS servers per adapter from GetAdaptersAddresses: Wine gives every adapter the namespace's resolv.conf
    // servers (its iphlpapi reads them there), so the LAN's copy makes the documented multi-homed leak.
    assert.equal(snapshot.verdict?.dnsSource, 'GetAdaptersAddresses');
    assert.ok(snapshot.verdict?.dnsServers.some((s) => s.address === '198.18.0.1' && s.via === null), JSON.stringify(snapshot.verdict?.dnsServers));
    assert.deepEqual(snapshot.verdict?.warnings, ['dns-outside-tunnel']);
  });
});
