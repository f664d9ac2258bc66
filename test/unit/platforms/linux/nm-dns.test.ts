/**
 * NetworkManager's per-connection DNS (issue 25): the three shapes its IP configs carry servers in, and which
 * Linkwatch connection they belong to (a WireGuard profile by its interface; a plugin VPN by the rule
 * mapNetworkManager follows; always `nm:<uuid>` too).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ipv4Nameservers, ipv6Nameservers, nameserverData, nmSupplied } from '../../../../electron/core/platforms/linux/nm-dns';

describe('NetworkManager DNS', () => {
  it('reads NameserverData (aa{sv}), the older Nameservers (au, network byte order) and IP6Config.Nameservers (aay)', () => {
    assert.deepEqual(nameserverData([{ address: { value: '10.8.0.1' } }, { other: { value: 1 } }, null]), ['10.8.0.1']);
    // 10.8.0.1 stored as the bytes 0a 08 00 01: a little-endian u32 of 0x0100080a.
    assert.deepEqual(ipv4Nameservers([0x0100080a, 'x']), ['10.8.0.1']);
    assert.deepEqual(ipv6Nameservers([Buffer.from('fd000000000000000000000000000053', 'hex'), [1, 2]]), ['fd00::53']);
    assert.deepEqual(nameserverData('junk'), []);
  });

  it('pairs a WireGuard profile by interface, one plugin VPN with the one unnamed tun, and always nm:<uuid>', () => {
    const ids = new Map([['wg0', 'netlink:9:wg0'], ['tun0', 'netlink:7:tun0']]);
    const supplied = nmSupplied(
      [
        { uuid: 'u-wg', type: 'wireguard', interfaces: ['wg0'], servers: ['10.6.0.1'] },
        { uuid: 'u-vpn', type: 'vpn', interfaces: ['eth0'], servers: ['10.8.0.1'] },
        { uuid: 'u-eth', type: '802-3-ethernet', interfaces: ['eth0'], servers: [] },
      ],
      (ifname) => ids.get(ifname) ?? null,
      new Map([['wg0', 'netlink:9:wg0'], ['tun0', 'netlink:7:tun0']]),
    );
    assert.deepEqual(supplied, [
      { connectionId: 'nm:u-wg', addresses: ['10.6.0.1'] },
      { connectionId: 'netlink:9:wg0', addresses: ['10.6.0.1'] },
      { connectionId: 'nm:u-vpn', addresses: ['10.8.0.1'] },
      { connectionId: 'netlink:7:tun0', addresses: ['10.8.0.1'] },
    ]);
  });

  it('does not guess when two tunnels could be the one plugin VPN', () => {
    const supplied = nmSupplied([{ uuid: 'u-vpn', type: 'vpn', interfaces: ['eth0'], servers: ['10.8.0.1'] }], () => null, new Map([['tun0', 'a'], ['tun1', 'b']]));
    assert.deepEqual(supplied, [{ connectionId: 'nm:u-vpn', addresses: ['10.8.0.1'] }]);
  });
});
