import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkManagerReader, mapNetworkManager, type MinimalBus, type NmActiveConnection } from '../../../../electron/core/platforms/linux/network-manager';

const wg: NmActiveConnection = { id: 'Home WG', uuid: 'u-wg', type: 'wireguard', state: 2, interfaces: ['wg0'] };
const vpn: NmActiveConnection = { id: 'Office', uuid: 'u-vpn', type: 'vpn', state: 1, interfaces: ['eth0'] };
const eth: NmActiveConnection = { id: 'Wired', uuid: 'u-eth', type: '802-3-ethernet', state: 2, interfaces: ['eth0'] };

describe('NetworkManager active connections onto links', () => {
  it('a WireGuard profile names its own interface; ethernet profiles are ignored', () => {
    const m = mapNetworkManager([wg, eth], []);
    assert.deepEqual(Object.fromEntries(m.byInterface), { wg0: { name: 'Home WG', state: 'connected', stateDetail: 'NetworkManager activated' } });
    assert.deepEqual(m.withoutInterface, []);
  });
  it('one plugin VPN and one unnamed tun: the tun is that VPN', () => {
    const m = mapNetworkManager([vpn], ['tun0']);
    assert.equal(m.byInterface.get('tun0')?.name, 'Office');
    assert.equal(m.byInterface.get('tun0')?.state, 'connecting');
  });
  it('a plugin VPN with no tunnel link (policy-based IPsec) is a connection of its own', () => {
    const m = mapNetworkManager([vpn], []);
    assert.equal(m.withoutInterface.length, 1);
    assert.equal(m.withoutInterface[0]?.id, 'nm:u-vpn');
    assert.equal(m.withoutInterface[0]?.kind, 'vpn');
    assert.equal(m.withoutInterface[0]?.deviceName, 'eth0');
  });
  it('ambiguous (two tuns, one VPN): no guess, no duplicate', () => {
    const m = mapNetworkManager([vpn], ['tun0', 'tun1']);
    assert.equal(m.byInterface.size, 0);
    assert.equal(m.withoutInterface.length, 0);
  });
  it('without a system bus the reader answers [] quietly', async (t) => {
    if (process.env.DBUS_SYSTEM_BUS_ADDRESS) return t.skip('a system bus address is set');
    const reader = new NetworkManagerReader();
    try {
      assert.ok(Array.isArray(await reader.read()));
    } finally {
      reader.close();
    }
  });
});

/**
 * A system bus with NetworkManager's objects (the properties the reader asks for), or one whose
 * NetworkManager never answers, as a hung service does: D-Bus then waits up to 25 s per call.
 */
function fakeBus(options: { hung: () => boolean }) {
  const objects: Record<string, Record<string, unknown>> = {
    '/org/freedesktop/NetworkManager': { ActiveConnections: ['/org/freedesktop/NetworkManager/ActiveConnection/1'] },
    '/org/freedesktop/NetworkManager/ActiveConnection/1': { Id: 'Office WireGuard', Uuid: 'u-1', Type: 'wireguard', State: 2, Devices: ['/org/freedesktop/NetworkManager/Devices/7'] },
    '/org/freedesktop/NetworkManager/Devices/7': { Interface: 'wg0' },
  };
  let calls = 0;
  const bus: MinimalBus = {
    async getProxyObject(_name, path) {
      return {
        getInterface: () => ({
          Get: (_iface: string, prop: string) => {
            calls += 1;
            if (options.hung()) return new Promise(() => {});
            return Promise.resolve({ value: objects[path]?.[prop] });
          },
        }),
      };
    },
    disconnect() {},
  };
  return { bus, calls: () => calls };
}

describe('NetworkManagerReader over the bus', () => {
  const office: NmActiveConnection = { id: 'Office WireGuard', uuid: 'u-1', type: 'wireguard', state: 2, interfaces: ['wg0'] };

  it('reads the active connections and the interfaces of their devices', async () => {
    const { bus } = fakeBus({ hung: () => false });
    const reader = new NetworkManagerReader({ connectBus: async () => bus });
    assert.deepEqual(await reader.read(), [office]);
  });

  it('a NetworkManager that does not answer holds a read back no longer than the timeout, keeps the last names, and is left alone for a while', { timeout: 10_000 }, async () => {
    let hung = false;
    let clock = 1_000;
    const fake = fakeBus({ hung: () => hung });
    const reader = new NetworkManagerReader({ connectBus: async () => fake.bus, timeoutMs: 50, backoffMs: 30_000, now: () => clock });
    assert.deepEqual(await reader.read(), [office]);

    hung = true;
    const started = performance.now();
    assert.deepEqual(await reader.read(), [office], 'the names of the last answer');
    const waited = performance.now() - started;
    assert.ok(waited < 5_000, `read waited ${waited.toFixed(0)} ms for a hung NetworkManager`);

    const callsAfterTimeout = fake.calls();
    clock += 10_000;
    assert.deepEqual(await reader.read(), [office]);
    assert.equal(fake.calls(), callsAfterTimeout, 'not asked again during the back-off');

    hung = false;
    clock += 30_000;
    assert.deepEqual(await reader.read(), [office]);
    assert.ok(fake.calls() > callsAfterTimeout, 'asked again once the back-off is over');
  });
});

