/**
 * The Windows probe (IcmpSendEcho2Ex, health/win32-icmp.ts) under Windows Node with Wine's OWN iphlpapi,
 * inside the client namespace of a real OpenVPN tunnel from the tunnel lab: Wine's iphlpapi lists the tun as
 * an adapter, and its ICMP API sends through the Linux stack of that namespace. The echo goes to the
 * server's tunnel address only; a target outside the tunnel is refused before anything is sent; with the
 * server frozen (SIGSTOP) the echo times out.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { ProbeResult } from '../../shared/health';
import { skipUnless } from '../support/skip';
import { TunnelLab, tunnelSupport } from '../support/tunnels';
import { runUnderWindowsNode, setupWindowsNode, skipUnlessWindowsNode, stopWine, windowsNodeUnavailable } from '../support/windows-node';

after(stopWine);

interface ProbeOutput {
  backend: string;
  id: string;
  addresses: string[];
  request: { target: string; localAddress: string };
  inside: ProbeResult;
  outside: ProbeResult;
  request6: { target: string; localAddress: string } | null;
  inside6: ProbeResult | null;
}

describe('the Windows probe under Wine, inside a real tunnel\'s namespace', { timeout: 300_000 }, () => {
  let lab: TunnelLab | null = null;
  before(async () => {
    if (windowsNodeUnavailable() !== null || !tunnelSupport().ok) return;
    setupWindowsNode();
    lab = new TunnelLab({ openvpnPingRestart: 300, openvpnIpv6: true });
    lab.setup();
    await lab.openvpnUp();
  });
  after(() => lab?.teardown());

  /** The probe child with Windows Node under Wine, inside the client namespace (as adapter-wine.test.ts). */
  async function probeInClient(): Promise<ProbeOutput> {
    const dir = mkdtempSync(join(tmpdir(), 'linkwatch-wine-probe-'));
    const wrapper = join(dir, 'wine');
    writeFileSync(wrapper, `#!/bin/sh\nexec ip netns exec ${lab!.client} /usr/bin/wine "$@"\n`);
    chmodSync(wrapper, 0o755);
    stopWine();
    let run;
    try {
      run = await runUnderWindowsNode('test/fixtures/wine/probe-child.ts', { args: [`${lab!.openvpn.clientAddress}/${lab!.openvpn.prefix}`], env: { PATH: `${dir}:${process.env.PATH ?? ''}` } });
    } finally {
      stopWine();
      rmSync(dir, { recursive: true, force: true });
    }
    assert.equal(run.timedOut, false, run.stderr);
    assert.equal(run.status, 0, `${run.stdout}\n${run.stderr}`);
    return JSON.parse(run.stdout.trim().split('\n').at(-1)!) as ProbeOutput;
  }

  it('IcmpSendEcho2Ex from the tunnel address: a reply with a round-trip time; outside the tunnel: refused; server frozen: timed out', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const support = tunnelSupport();
    if (!skipUnless(t, support.ok, support.reason)) return;
    const replied = await probeInClient();
    t.diagnostic(JSON.stringify(replied));
    assert.equal(replied.backend, 'rasapi32+iphlpapi');
    assert.deepEqual([replied.request.localAddress, replied.request.target], [lab!.openvpn.clientAddress, lab!.openvpn.serverAddress]);
    assert.equal(replied.inside.error, null, JSON.stringify(replied.inside));
    assert.ok(typeof replied.inside.rttMs === 'number' && replied.inside.rttMs >= 0 && replied.inside.rttMs < 2000);
    assert.equal(replied.outside.error?.code, 'EOUTSIDE');
    // IPv6 in the same tunnel: the request is built for fd77::1 from fd77::2; Wine 8's Icmp6CreateFile is a stub
    // (FIXME, INVALID_HANDLE_VALUE), so what this proves is the call path and that it degrades to a clear
    // error, not a reply (the Linux namespace test has the IPv6 reply).
    assert.deepEqual([replied.request6?.localAddress, replied.request6?.target], ['fd77::2', 'fd77::1']);
    assert.equal(replied.inside6?.rttMs, null);
    assert.match(replied.inside6?.error?.message ?? '', /Icmp6CreateFile failed/);
    lab!.signalOpenvpnServer('SIGSTOP');
    let frozen: ProbeOutput;
    try {
      frozen = await probeInClient();
    } finally {
      lab!.signalOpenvpnServer('SIGCONT');
    }
    assert.equal(frozen.inside.rttMs, null);
    assert.equal(frozen.inside.error?.code, 'ETIMEDOUT', JSON.stringify(frozen.inside));
  });
});
