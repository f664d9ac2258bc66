import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NetworkManagerReader, mapNetworkManager, type NmActiveConnection } from '../../../../electron/core/platforms/linux/network-manager';

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
