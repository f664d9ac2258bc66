import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import { describe, it } from 'node:test';
import {
  BusUnreachableError,
  NetworkManagerReader,
  mapNetworkManager,
  waitForBus,
  type MinimalBus,
  type NmActiveConnection,
} from '../../../../electron/core/platforms/linux/network-manager';

const AC = '/org/freedesktop/NetworkManager/ActiveConnection';
const wg: NmActiveConnection = { id: 'Home WG', uuid: 'u-wg', type: 'wireguard', state: 2, interfaces: ['wg0'], path: `${AC}/1`, ipInterface: null };
const vpn: NmActiveConnection = { id: 'Office', uuid: 'u-vpn', type: 'vpn', state: 1, interfaces: ['eth0'], path: `${AC}/2`, ipInterface: null };
const eth: NmActiveConnection = { id: 'Wired', uuid: 'u-eth', type: '802-3-ethernet', state: 2, interfaces: ['eth0'], path: `${AC}/3`, ipInterface: null };

describe('NetworkManager active connections onto links', () => {
  it('a WireGuard profile names its own interface; ethernet profiles are ignored', () => {
    const m = mapNetworkManager([wg, eth], []);
    assert.deepEqual(Object.fromEntries(m.byInterface), { wg0: { name: 'Home WG', state: 'connected', stateDetail: 'NetworkManager activated', activePath: `${AC}/1` } });
    assert.deepEqual(m.withoutInterface, []);
  });
  it('one plugin VPN and one unnamed tun: the tun is named after that VPN, but not offered for Disconnect (a guess)', () => {
    const m = mapNetworkManager([vpn], ['tun0']);
    assert.equal(m.byInterface.get('tun0')?.name, 'Office');
    assert.equal(m.byInterface.get('tun0')?.state, 'connecting');
    assert.equal(m.byInterface.get('tun0')?.activePath, null);
  });
  it('a plugin VPN whose IP configuration is a tun\'s (its ipInterface): that tun is the VPN\'s, among others', () => {
    const m = mapNetworkManager([{ ...vpn, state: 2, ipInterface: 'tun1' }], ['tun0', 'tun1', 'lwo1']);
    assert.deepEqual(Object.fromEntries(m.byInterface), { tun1: { name: 'Office', state: 'connected', stateDetail: 'NetworkManager activated', activePath: `${AC}/2` } });
    assert.deepEqual(m.withoutInterface, []);
  });
  it('a VPN without a tunnel link of its own (policy-based IPsec) is NetworkManager\'s to take down', () => {
    const m = mapNetworkManager([vpn], []);
    assert.equal(m.withoutInterface[0]?.canDisconnect, true);
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
  const office: NmActiveConnection = { id: 'Office WireGuard', uuid: 'u-1', type: 'wireguard', state: 2, interfaces: ['wg0'], path: '/org/freedesktop/NetworkManager/ActiveConnection/1', ipInterface: null };

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


/**
 * A bus as dbus-next's MessageBus behaves when its socket fails (lib/bus.js): the connection's errors come as
 * an `error` event only, `connect` follows a successful Hello, and calls made meanwhile never settle.
 */
class EmittingBus extends EventEmitter {
  disconnected = 0;
  getProxyObject(): Promise<never> {
    return new Promise(() => {});
  }
  disconnect(): void {
    this.disconnected += 1;
  }
}

describe('a system bus that cannot be reached (issue 28)', () => {
  it('waitForBus: an error event (ECONNREFUSED) rejects with the address and the reason, and the bus is let go', async () => {
    const bus = new EmittingBus();
    const waiting = waitForBus(bus as unknown as MinimalBus, 'unix:path=/run/dbus/system_bus_socket', 1000);
    bus.emit('error', Object.assign(new Error('connect ECONNREFUSED /run/dbus/system_bus_socket'), { code: 'ECONNREFUSED' }));
    await assert.rejects(waiting, (error: Error) => error instanceof BusUnreachableError && /unix:path=\/run\/dbus\/system_bus_socket cannot be reached \(connect ECONNREFUSED/.test(error.message));
    assert.equal(bus.disconnected, 1);
    assert.doesNotThrow(() => bus.emit('error', new Error('a second error after giving up')), 'a later error is still handled');
  });

  it('waitForBus: resolves on connect; a bus that never answers is given up after the timeout', async () => {
    const good = new EmittingBus();
    const waiting = waitForBus(good as unknown as MinimalBus, 'unix:path=/x', 1000);
    good.emit('connect');
    assert.equal(await waiting, good);
    const silent = new EmittingBus();
    await assert.rejects(waitForBus(silent as unknown as MinimalBus, 'unix:path=/x', 20), /cannot be reached \(no answer within 20 ms\)/);
    assert.equal(silent.disconnected, 1);
  });

  it('the reader: no names, ENOBUS for diagnose, not asked again during the back-off, then tried again', async () => {
    let clock = 0;
    let attempts = 0;
    const reader = new NetworkManagerReader({
      connectBus: async () => {
        attempts += 1;
        throw new BusUnreachableError('unix:path=/run/dbus/system_bus_socket', 'connect ECONNREFUSED /run/dbus/system_bus_socket');
      },
      backoffMs: 30_000,
      now: () => clock,
    });
    assert.deepEqual(await reader.read(), []);
    assert.equal(reader.lastError?.code, 'ENOBUS');
    assert.match(reader.lastError!.message, /cannot be reached \(connect ECONNREFUSED .*NetworkManager's names and profiles are not read/);
    assert.equal(await reader.listProfiles(), null, 'the saved section is absent, not an error');
    assert.equal(attempts, 1);
    clock += 29_000;
    await reader.read();
    assert.equal(attempts, 1, 'not tried again during the back-off');
    clock += 2_000;
    await reader.read();
    assert.equal(attempts, 2, 'tried again after it');
  });

  it('the reader: a bus that fails after connecting (the daemon stopped) is dropped and a new one connected on a later read', async () => {
    const { bus: inner } = fakeBus({ hung: () => false });
    const buses: EmittingBus[] = [];
    const reader = new NetworkManagerReader({
      connectBus: async () => {
        const bus = Object.assign(new EmittingBus(), { getProxyObject: inner.getProxyObject });
        buses.push(bus);
        return bus as unknown as MinimalBus;
      },
    });
    assert.equal((await reader.read()).length, 1);
    assert.doesNotThrow(() => buses[0]!.emit('error', new Error('read ECONNRESET')));
    assert.equal(reader.lastError?.code, 'ENOBUS');
    assert.equal(buses[0]!.disconnected, 1);
    assert.equal((await reader.read()).length, 1);
    assert.equal(buses.length, 2, 'a new connection');
    assert.equal(reader.lastError, null, 'and the problem is gone with a good answer');
  });
});
