/**
 * The adapter backend under Windows Node (Wine): the native test bodies over the DLL build of the fake
 * iphlpapi (its notification callbacks come from a thread it made with CreateThread, through koffi's
 * marshalling), and `linkwatch diagnose --json` over Wine's OWN iphlpapi, a real implementation nobody here
 * wrote: inside the client namespace of a real OpenVPN tunnel from the tunnel lab, the tun must show with its
 * addresses, and its counters must grow when the test sends traffic across it.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fakeRasWindowsEnv } from '../support/fake-ras';
import { fakeIphlpapiWindowsEnv } from '../support/fake-iphlpapi';
import { skipUnless } from '../support/skip';
import { TunnelLab, tunnelSupport } from '../support/tunnels';
import { runTestFileUnderWindowsNode, runUnderWindowsNode, setupWindowsNode, skipUnlessWindowsNode, stopWine, windowsNodeUnavailable } from '../support/windows-node';

after(stopWine);

describe('adapter tests under Windows Node (Wine), over fake-iphlpapi-lw.dll', () => {
  it('test/native/platforms/win32/adapter-source.test.ts', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const report = await runTestFileUnderWindowsNode('test/native/platforms/win32/adapter-source.test.ts', {
      env: { ...fakeRasWindowsEnv(), ...fakeIphlpapiWindowsEnv() },
      timeoutMs: 120_000,
    });
    const output = `${report.stdout}\n${report.stderr}`;
    assert.equal(report.timedOut, false, `timed out:\n${output}`);
    assert.deepEqual(report.failures, [], output);
    assert.equal(report.failed, 0, output);
    assert.ok(report.passed >= 15, `${report.passed} passed, expected at least 15:\n${output}`);
    assert.equal(report.status, 0, output);
  });
});

interface DiagnoseJson {
  platform: string;
  backend: string;
  interfaces: { name: string; type: string; addresses: string[]; listed: boolean; reason: string; connectionId: string | null }[];
}

interface ListJson {
  connections: { id: string; name: string; addresses: string[]; bytesIn: number | null; bytesOut: number | null }[];
}

describe("Wine's own iphlpapi, inside a real tunnel's namespace", () => {
  let lab: TunnelLab | null = null;
  before(async () => {
    if (windowsNodeUnavailable() !== null || !tunnelSupport().ok) return;
    setupWindowsNode();
    lab = new TunnelLab();
    lab.setup();
    await lab.openvpnUp();
  });
  after(() => lab?.teardown());

  /**
   * `linkwatch <args>` with Windows Node under Wine, inside the client namespace: `wine` on the PATH is a
   * wrapper that runs the real one through `ip netns exec`. Wine's iphlpapi asks its nsiproxy driver, which
   * runs in the prefix's winedevice process: the prefix's Wine is stopped first, so that the wineserver and
   * its driver process start inside the namespace too (and stopped after, so the next run starts outside).
   */
  async function linkwatchInClient(args: string[]): Promise<string> {
    const dir = mkdtempSync(join(tmpdir(), 'linkwatch-wine-netns-'));
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

  it('diagnose --json lists the OpenVPN tun with its address; the veth is not listed; list --stats counts traffic across it', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const support = tunnelSupport();
    if (!skipUnless(t, support.ok, support.reason)) return;
    const ifname = lab!.openvpn.ifname;
    const diagnosis = JSON.parse(await linkwatchInClient(['diagnose', '--json'])) as DiagnoseJson;
    assert.equal(diagnosis.platform, 'win32');
    assert.equal(diagnosis.backend, 'rasapi32+iphlpapi');
    t.diagnostic(`Wine reported: ${JSON.stringify(diagnosis.interfaces)}`);
    const tun = diagnosis.interfaces.find((i) => i.name === ifname);
    assert.ok(tun, `the tun ${ifname} among ${JSON.stringify(diagnosis.interfaces.map((i) => i.name))}`);
    assert.equal(tun.listed, true, tun.reason);
    assert.ok(tun.addresses.includes(`${lab!.openvpn.clientAddress}/${lab!.openvpn.prefix}`), `addresses: ${tun.addresses.join(' ')}`);
    const wire = diagnosis.interfaces.find((i) => i.name === 'wire');
    assert.equal(wire?.listed, false, 'the veth (Ethernet to Wine) is not a VPN');
    assert.equal(diagnosis.interfaces.find((i) => i.name === 'lo')?.reason, 'loopback');

    const counters = async () => {
      const listed = JSON.parse(await linkwatchInClient(['list', '--json', '--stats'])) as ListJson;
      const connection = listed.connections.find((c) => c.id === tun.connectionId);
      assert.ok(connection, `${tun.connectionId} in ${JSON.stringify(listed.connections.map((c) => c.id))}`);
      return connection;
    };
    const before = await counters();
    assert.equal(typeof before.bytesIn, 'number');
    // Traffic only inside the lab: ping the server end of the tunnel from the client namespace.
    assert.ok(lab!.ping(lab!.openvpn, 10), 'the tunnel carries pings');
    const afterPing = await counters();
    assert.ok(afterPing.bytesOut! - before.bytesOut! >= 10 * 1000, `bytesOut ${before.bytesOut} → ${afterPing.bytesOut}`);
    assert.ok(afterPing.bytesIn! - before.bytesIn! >= 10 * 1000, `bytesIn ${before.bytesIn} → ${afterPing.bytesIn}`);
    t.diagnostic(`counters: in ${before.bytesIn} → ${afterPing.bytesIn}, out ${before.bytesOut} → ${afterPing.bytesOut}`);
  });
});
