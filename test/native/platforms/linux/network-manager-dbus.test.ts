/**
 * NetworkManager's saved profiles, activation and signals on a real D-Bus: a private bus started here, with
 * python-dbusmock's networkmanager template (extended in test/support/nm-bus.ts where it is thinner than
 * NetworkManager) playing NetworkManager. No system bus or NetworkManager is touched.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import dbus from 'dbus-next';
import { NetworkManagerReader, type MinimalBus } from '../../../../electron/core/platforms/linux/network-manager';
import { createCoreSource } from '../../../../electron/core/host/core-client';
import { forkCore } from '../../../../electron/core/host/fork-channel';
import { createLinuxSource } from '../../../../electron/core/platforms/linux/linux-source';
import type { ConnectionSource, DialProgress } from '../../../../electron/core/platforms/source';
import { networkManagerMockMissing, startNetworkManagerMock, type NetworkManagerMock } from '../../../support/nm-bus';
import { skipUnless } from '../../../support/skip';

const missing = networkManagerMockMissing();
let nm: NetworkManagerMock | null = null;
let source: ConnectionSource;

before(async () => {
  if (missing) return;
  nm = await startNetworkManagerMock();
  await nm.addProfile({ id: 'Office OpenVPN', type: 'vpn', uuid: 'u-office' });
  await nm.addProfile({ id: 'Home WireGuard', type: 'wireguard', uuid: 'u-home' });
  await nm.addProfile({ id: 'Wired', type: '802-3-ethernet', uuid: 'u-wired' });
  source = createLinuxSource();
});
after(async () => {
  source?.close();
  await nm?.stop();
});

/** Wait until `probe` holds (signals arrive asynchronously). */
async function until(what: string, probe: () => boolean | Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await probe())) {
    if (Date.now() > deadline) throw new Error(`timed out: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Start a dial and hand back its steps and its active connection's path, once NetworkManager has one. */
async function startDial(name: string) {
  const steps: DialProgress[] = [];
  const before = new Set(await nm!.activePaths());
  const done = source.connect!(name, (step) => steps.push(step));
  let path = '';
  await until('the active connection', async () => {
    path = (await nm!.activePaths()).find((p) => !before.has(p)) ?? '';
    return path !== '' && steps.length > 0;
  });
  return { steps, done, path };
}

describe('NetworkManager on a private D-Bus (dbusmock)', () => {
  it('lists the saved VPN and WireGuard profiles (Settings.ListConnections + GetSettings), not the others', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    assert.deepEqual(await source.listEntries!(), [
      { name: 'Office OpenVPN', scope: 'system', kind: 'vpn', phonebook: null },
      // NetworkManager's default autoconnect applies to a WireGuard profile (issue 26: Keep connected says so).
      { name: 'Home WireGuard', scope: 'system', kind: 'vpn', phonebook: null, systemReconnects: 'NetworkManager reconnects it itself (connection.autoconnect)' },
    ]);
  });

  it('connect: ActivateConnection, progress from StateChanged, connected at ACTIVATED; the VPN is then active', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const { steps, done, path } = await startDial('Office OpenVPN');
    assert.deepEqual(steps[0], { connectionId: 'nm:u-office', phase: 'dialling', detail: 'NetworkManager activating', error: null });
    await nm!.setState(path, 2, 1);
    assert.deepEqual(await done, { connectionId: 'nm:u-office', phase: 'connected', detail: 'NetworkManager activated', error: null });
    const reader = new NetworkManagerReader();
    try {
      assert.deepEqual(
        (await reader.read()).map((a) => [a.id, a.uuid, a.type, a.state]),
        [['Office OpenVPN', 'u-office', 'vpn', 2]],
      );
    } finally {
      reader.close();
    }
    await nm!.setState(path, 4, 2); // and down again, for the next test
  });

  it('a failed activation (DEACTIVATED, reason 9 no secrets): failed with NetworkManager\'s reason', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const { done, path } = await startDial('Home WireGuard');
    await nm!.setState(path, 4, 9);
    const last = await done;
    assert.deepEqual([last.phase, last.error?.code], ['failed', 'NM_REASON_NO_SECRETS']);
    assert.match(last.error!.message, /No password or key was available.*reason 9/);
    assert.deepEqual(await nm!.activePaths(), []);
  });

  it('cancel while activating: DeactivateConnection, and the dial ends cancelled, not failed', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const { steps, done } = await startDial('Office OpenVPN');
    await source.cancel!(steps[0]!.connectionId!);
    assert.deepEqual((await done).phase, 'cancelled');
    assert.equal(await nm!.calls('DeactivateConnection'), 1);
    assert.deepEqual(await nm!.activePaths(), []);
  });

  it('reads come from what the signals last said: NetworkManager is asked again only after it signals a change', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const real = dbus.systemBus();
    let proxies = 0;
    const counting: MinimalBus = {
      getProxyObject: (name, path) => {
        proxies += 1;
        return real.getProxyObject(name, path);
      },
      disconnect: () => real.disconnect(),
      call: (message) => real.call(message as never),
      on: (event, listener) => real.on(event as 'message', listener as never),
    };
    const reader = new NetworkManagerReader({ connectBus: async () => counting });
    let changes = 0;
    const off = reader.onChange(() => (changes += 1));
    try {
      assert.deepEqual(await reader.read(), []);
      const afterFirst = proxies;
      for (let i = 0; i < 5; i++) assert.deepEqual(await reader.read(), []);
      assert.equal(proxies, afterFirst, 'five reads, no question to NetworkManager');

      const { done, path } = await startDial('Office OpenVPN');
      await until('a change signal', () => changes > 0);
      await nm!.setState(path, 2, 1);
      await done;
      await until('the read to show it', async () => (await reader.read()).length === 1);
      assert.ok(proxies > afterFirst, 'asked again after the signal');
      assert.equal((await reader.read())[0]?.state, 2);
      await nm!.setState(path, 4, 2);
      await until('the read to drop it', async () => (await reader.read()).length === 0);
    } finally {
      off();
      reader.close();
    }
  });

  it('a name that is not a saved VPN/WireGuard profile is refused (ENOENT) before NetworkManager is asked', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const before = await nm!.calls('ActivateConnection');
    await assert.rejects(source.connect!('Wired', () => {}), (error: { code?: string }) => error.code === 'ENOENT');
    assert.equal(await nm!.calls('ActivateConnection'), before);
  });

  it('disconnect: a VPN NetworkManager owns (no tunnel link of its own: IPsec) is offered, and DeactivateConnection takes it down', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const { done, path } = await startDial('Office OpenVPN');
    await nm!.setState(path, 2, 1);
    await done;
    await until('the VPN listed', async () => (await source.read({ counters: false })).some((c) => c.id === 'nm:u-office'));
    const row = (await source.read({ counters: false })).find((c) => c.id === 'nm:u-office');
    assert.deepEqual([row?.name, row?.canDisconnect, row?.disconnectUnavailable], ['Office OpenVPN', true, null]);
    const before = await nm!.calls('DeactivateConnection');
    await source.hangUp!('nm:u-office');
    assert.equal(await nm!.calls('DeactivateConnection'), before + 1);
    assert.deepEqual(await nm!.activePaths(), []);
    await until('the VPN gone from the list', async () => !(await source.read({ counters: false })).some((c) => c.id === 'nm:u-office'));
  });

  it('disconnect refused by NetworkManager (ConnectionNotActive): the error carries its name and words', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const { done, path } = await startDial('Office OpenVPN');
    await nm!.setState(path, 2, 1);
    await done;
    await until('the VPN listed', async () => (await source.read({ counters: false })).some((c) => c.id === 'nm:u-office'));
    await nm!.setDeactivateMode('refuse');
    try {
      await assert.rejects(source.hangUp!('nm:u-office'), (error: { code?: string; message?: string }) => {
        assert.equal(error.code, 'org.freedesktop.NetworkManager.ConnectionNotActive');
        assert.match(error.message ?? '', /NetworkManager refused to deactivate it: The connection was not active/);
        return true;
      });
      assert.deepEqual(await nm!.activePaths(), [path], 'still up');
    } finally {
      await nm!.setDeactivateMode('normal');
      await nm!.setState(path, 4, 2);
    }
  });

  it('disconnect that NetworkManager accepts but never confirms: ETIMEDOUT, not a false "disconnected"', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const { done, path } = await startDial('Office OpenVPN');
    await nm!.setState(path, 2, 1);
    await done;
    const quick = createLinuxSource({ hangUpTimeoutMs: 300 });
    try {
      await until('the VPN listed', async () => (await quick.read({ counters: false })).some((c) => c.id === 'nm:u-office'));
      await nm!.setDeactivateMode('silent');
      await assert.rejects(quick.hangUp!('nm:u-office'), (error: { code?: string; message?: string }) => {
        assert.equal(error.code, 'ETIMEDOUT');
        assert.match(error.message ?? '', /did not say the connection was deactivated within 300 ms/);
        return true;
      });
    } finally {
      quick.close();
      await nm!.setDeactivateMode('normal');
      await nm!.setState(path, 4, 2);
    }
  });

  it('disconnect through the core process (as the app does): offered, taken down, and errors cross as data', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const core = createCoreSource({
      backend: 'netlink',
      spawn: forkCore({ entry: new URL('../../../../electron/core/host/core-process.ts', import.meta.url), execArgv: ['--import', 'tsx'] }),
      log: () => {},
    });
    const { done, path } = await startDial('Office OpenVPN');
    await nm!.setState(path, 2, 1);
    await done;
    try {
      await until('the VPN listed by the core', async () => (await core.read({ counters: false })).some((c) => c.id === 'nm:u-office' && c.canDisconnect));
      assert.equal(core.supports('hangUp'), true);
      await assert.rejects(core.hangUp!('netlink:999:nothing'), (error: { code?: string }) => error.code === 'ENOENT');
      await core.hangUp!('nm:u-office');
      assert.deepEqual(await nm!.activePaths(), []);
      await until('the VPN gone from the core\'s list', async () => !(await core.read({ counters: false })).some((c) => c.id === 'nm:u-office'));
    } finally {
      await core.shutdown();
    }
  });

  it('disconnect of an id nobody listed: ENOENT, and NetworkManager is not asked', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    const before = await nm!.calls('DeactivateConnection');
    await assert.rejects(source.hangUp!('nm:no-such-uuid'), (error: { code?: string }) => error.code === 'ENOENT');
    assert.equal(await nm!.calls('DeactivateConnection'), before);
  });

  it('without NetworkManager on the bus the saved section is simply absent (null, not an error)', async (t) => {
    if (!skipUnless(t, !missing, missing ?? '')) return;
    await nm!.stopNetworkManager();
    const fresh = createLinuxSource();
    try {
      assert.equal(await fresh.listEntries!(), null);
    } finally {
      fresh.close();
    }
  });
});
