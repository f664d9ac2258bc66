/**
 * Keep connected over NetworkManager (python-dbusmock on a private bus, test/support/nm-bus.ts): the real Linux
 * source, monitor and saved connections, the back-off clock faked. A kept VPN profile that NetworkManager
 * deactivates with a reason (4: the VPN service stopped) is activated again (ActivateConnection); a user's
 * Disconnect (reason 2 after Linkwatch's own DeactivateConnection) is not redialled; a WireGuard profile with
 * NetworkManager's autoconnect is left to NetworkManager, and says so; so is a VPN that is another profile's
 * secondary.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReconnectEvent } from '../../../shared/reconnect';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { KeepConnected } from '../../../electron/core/reconnect/keep-connected';
import { SavedConnections } from '../../../electron/core/saved';
import { createLinuxSource } from '../../../electron/core/platforms/linux/linux-source';
import type { ConnectionSource } from '../../../electron/core/platforms/source';
import { FakeClock } from '../../support/fake-clock';
import { networkManagerMockMissing, startNetworkManagerMock, type NetworkManagerMock } from '../../support/nm-bus';
import { skipUnless } from '../../support/skip';

const missing = networkManagerMockMissing();
let nm: NetworkManagerMock | null = null;
let source: ConnectionSource;
let monitor: ConnectionMonitor;
let saved: SavedConnections;

before(async () => {
  if (missing) return;
  nm = await startNetworkManagerMock();
  await nm.addProfile({ id: 'Office OpenVPN', type: 'vpn', uuid: 'u-office' });
  await nm.addProfile({ id: 'Home WireGuard', type: 'wireguard', uuid: 'u-home' });
  await nm.addProfile({ id: 'Lab WireGuard', type: 'wireguard', uuid: 'u-lab', autoconnect: false });
  await nm.addProfile({ id: 'Branch VPN', type: 'vpn', uuid: 'u-branch' });
  await nm.addProfile({ id: 'Wired', type: '802-3-ethernet', uuid: 'u-wired', secondaries: ['u-branch'] });
  source = createLinuxSource();
  monitor = new ConnectionMonitor(source, { pollIntervalMs: 50, safetyPollMs: 50 });
  saved = new SavedConnections(source, monitor);
});
after(async () => {
  monitor?.close();
  await nm?.stop();
});

async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await sleep(20);
  }
}

/** Bring `name` up as NetworkManager would (ACTIVATING, then ACTIVATED), returning its active path. */
async function activate(name: string): Promise<string> {
  const before = new Set(await nm!.activePaths());
  const done = saved.connect(name);
  let path = '';
  await until('the active connection', async () => Boolean((path = (await nm!.activePaths()).find((p) => !before.has(p)) ?? '')));
  await nm!.setState(path, 2, 1);
  assert.equal((await done).phase, 'connected');
  return path;
}

describe('keep connected over NetworkManager (dbusmock)', () => {
  it('a deactivation with a reason (4, VPN service stopped): ActivateConnection again after 5 s', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const clock = new FakeClock();
    const events: ReconnectEvent[] = [];
    const keep = new KeepConnected((name) => saved.connect(name), { clock });
    keep.onEvent((event) => events.push(event));
    const off = monitor.subscribe((update) => keep.observe(update.snapshot.connections, saved.state.entries));
    try {
      await saved.refresh();
      const path = await activate('Office OpenVPN');
      keep.setKept(['Office OpenVPN']);
      await until('seen up', () => monitor.snapshot.connections.some((c) => c.name === 'Office OpenVPN' && c.state === 'connected'));
      keep.observe(monitor.snapshot.connections, saved.state.entries);
      const activationsBefore = await nm!.calls('ActivateConnection');
      await nm!.setState(path, 4, 4);
      await until('the drop seen', () => keep.status('Office OpenVPN')?.phase === 'waiting');
      clock.advance(4999);
      await sleep(200);
      assert.equal(await nm!.calls('ActivateConnection'), activationsBefore, 'not before 5 s');
      const paths = new Set(await nm!.activePaths());
      clock.advance(1);
      await until('ActivateConnection again', async () => (await nm!.calls('ActivateConnection')) === activationsBefore + 1);
      let again = '';
      await until('the new active connection', async () => Boolean((again = (await nm!.activePaths()).find((p) => !paths.has(p)) ?? '')));
      await nm!.setState(again, 2, 1);
      await until('reconnected', () => events.some((e) => e.step === 'connected'));
      assert.deepEqual(events.map((e) => e.step), ['scheduled', 'dialling', 'connected']);
      await nm!.setState(again, 4, 2);
    } finally {
      off();
      keep.dispose();
    }
  });

  it('NetworkManager\'s own autoconnect (WireGuard, a VPN as secondary): said, and never fought', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const state = await saved.refresh();
    const by = (name: string) => state.entries.find((e) => e.name === name);
    assert.equal(by('Home WireGuard')?.systemReconnects, 'NetworkManager reconnects it itself (connection.autoconnect)');
    assert.equal(by('Lab WireGuard')?.systemReconnects, undefined, 'autoconnect=false: Linkwatch may keep it');
    assert.equal(by('Branch VPN')?.systemReconnects, 'NetworkManager brings it up with "Wired" (connection.secondaries)');
    assert.equal(by('Office OpenVPN')?.systemReconnects, undefined, 'NetworkManager does not autoconnect VPN profiles');
    const clock = new FakeClock();
    const keep = new KeepConnected((name) => saved.connect(name), { clock });
    try {
      const activations = await nm!.calls('ActivateConnection');
      const path = await activate('Home WireGuard');
      keep.setKept(['Home WireGuard']);
      keep.observe(monitor.snapshot.connections, saved.state.entries);
      assert.equal(keep.status('Home WireGuard')?.phase, 'system');
      await nm!.setState(path, 4, 4);
      await monitor.refresh();
      keep.observe(monitor.snapshot.connections, saved.state.entries);
      clock.advance(3_600_000);
      await sleep(200);
      assert.equal(await nm!.calls('ActivateConnection'), activations + 1, 'only the test\'s own activation');
    } finally {
      keep.dispose();
    }
  });
});
