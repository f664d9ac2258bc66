import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_HINTS, assignedAddresses, linkState, toConnection, type LinkHints } from '../../../../electron/core/platforms/linux/classify';
import { AF_INET, AF_INET6, ARPHRD, IFA_F_DADFAILED, IFF, TUN_TYPE_TAP, type AddressMessage, type LinkMessage } from '../../../../electron/core/platforms/linux/rtnetlink';

const UP = IFF.UP | IFF.POINTOPOINT | IFF.LOWER_UP | IFF.RUNNING;

function link(over: Partial<LinkMessage>): LinkMessage {
  return { index: 5, type: ARPHRD.NONE, flags: UP, name: 'tun0', mtu: 1500, operstate: 'UNKNOWN', carrier: true, kind: 'tun', tunType: 1, rxBytes: 10, txBytes: 20, ...over };
}
const v4 = (address: string, prefixlen = 24): AddressMessage => ({ family: AF_INET, prefixlen, flags: 0, scope: 0, index: 5, address });
const v6 = (address: string, prefixlen = 64, flags = 0): AddressMessage => ({ family: AF_INET6, prefixlen, flags, scope: 0, index: 5, address });
function hints(over: Partial<LinkHints>): LinkHints {
  return { ...NO_HINTS, ...over };
}

describe('which links are connections', () => {
  it('ethernet, veth, bridge and loopback are not', () => {
    assert.equal(toConnection(link({ kind: 'veth', type: ARPHRD.ETHER, flags: IFF.UP | IFF.BROADCAST }), [], NO_HINTS, false), null);
    assert.equal(toConnection(link({ kind: null, type: ARPHRD.ETHER, flags: IFF.UP | IFF.BROADCAST, name: 'eth0' }), [], NO_HINTS, false), null);
    assert.equal(toConnection(link({ kind: null, type: 772, flags: IFF.UP | IFF.LOOPBACK, name: 'lo' }), [], NO_HINTS, false), null);
  });

  it('the tunnel modules\' fallback devices (gre0, tunl0, sit0…) are not', () => {
    for (const name of ['gre0', 'tunl0', 'sit0', 'ip6tnl0', 'ip_vti0']) {
      assert.equal(toConnection(link({ name, kind: 'gre', type: ARPHRD.IPGRE, flags: 0 }), [], NO_HINTS, false), null);
    }
  });

  it('a tap device is a VPN only when OpenVPN (or another VPN program) owns it; else a VM NIC', () => {
    const tap = link({ type: ARPHRD.ETHER, tunType: TUN_TYPE_TAP, name: 'tap0' });
    assert.equal(toConnection(tap, [], NO_HINTS, false), null);
    const owned = toConnection(tap, [], hints({ owners: new Map([['tap0', { pid: 1, comm: 'openvpn', sameNetns: true }]]) }), false);
    assert.equal(owned?.deviceType, 'tap');
    assert.equal(owned?.name, 'OpenVPN (tap0)');
  });

  it('GRE, VTI, XFRM, kernel WireGuard are VPNs with the link kind as device type', () => {
    for (const kind of ['gre', 'vti', 'xfrm', 'wireguard', 'ip6tnl']) {
      const c = toConnection(link({ kind, name: `x-${kind}`, tunType: null }), [v4('10.1.0.1')], NO_HINTS, false);
      assert.equal(c?.kind, 'vpn');
      assert.equal(c?.deviceType, kind);
    }
    assert.equal(toConnection(link({ kind: 'wireguard', name: 'wg0' }), [], NO_HINTS, false)?.name, 'WireGuard (wg0)');
  });

  it('a tunnel without IFLA_INFO_KIND is named by its ARPHRD type', () => {
    assert.equal(toConnection(link({ kind: null, type: ARPHRD.IPGRE, name: 'gre1' }), [], NO_HINTS, false)?.deviceType, 'gre');
  });

  it('an unknown point-to-point link is kind other', () => {
    const c = toConnection(link({ kind: null, type: 519, name: 'wwan0' }), [], NO_HINTS, false);
    assert.equal(c?.kind, 'other');
    assert.equal(c?.deviceType, 'ptp');
  });
});

describe('tun devices are named by their owner', () => {
  it('OpenVPN owns tun0 → "OpenVPN (tun0)", owner "OpenVPN"', () => {
    const c = toConnection(link({}), [v4('10.8.0.2')], hints({ owners: new Map([['tun0', { pid: 42, comm: 'openvpn', sameNetns: true }]]) }), true);
    assert.equal(c?.name, 'OpenVPN (tun0)');
    assert.equal(c?.owner, 'OpenVPN');
    assert.equal(c?.deviceType, 'tun');
    assert.equal(c?.kind, 'vpn');
    assert.equal(c?.id, 'netlink:5:tun0');
    assert.equal(c?.bytesIn, 10);
    assert.equal(c?.bytesOut, 20);
    assert.equal(c?.canDisconnect, false);
    assert.equal(c?.upSince, null);
  });

  it('a wireguard-go tun is recognised by its control socket, even with the owner unreadable', () => {
    const c = toConnection(link({ name: 'wg-cli' }), [], hints({ wireguardSockets: new Set(['wg-cli']) }), false);
    assert.equal(c?.deviceType, 'wireguard');
    assert.equal(c?.name, 'WireGuard (wg-cli)');
    assert.equal(c?.owner, null);
  });

  it('…or by its owner process', () => {
    const c = toConnection(link({ name: 'wg1' }), [], hints({ owners: new Map([['wg1', { pid: 3, comm: 'wireguard-go', sameNetns: true }]]) }), false);
    assert.equal(c?.deviceType, 'wireguard');
    assert.equal(c?.owner, 'wireguard-go');
  });

  it('an unknown owner keeps its comm; no owner at all says "Tunnel"', () => {
    assert.equal(toConnection(link({}), [], hints({ owners: new Map([['tun0', { pid: 3, comm: 'myvpn', sameNetns: true }]]) }), false)?.name, 'myvpn (tun0)');
    assert.equal(toConnection(link({}), [], NO_HINTS, false)?.name, 'Tunnel (tun0)');
  });

  // Issue 12: a plain-object lookup of these names gave a function or an object as the owner.
  for (const comm of ['constructor', 'toString', 'valueOf', 'hasOwnProperty', '__proto__']) {
    it(`a process named ${comm} is just a name: "${comm} (tun0)", a string owner that can be cloned`, () => {
      const c = toConnection(link({}), [], hints({ owners: new Map([['tun0', { pid: 3, comm, sameNetns: true }]]) }), false);
      assert.equal(c?.name, `${comm} (tun0)`);
      assert.equal(c?.owner, comm);
      assert.deepEqual(structuredClone(c), c, 'crosses a worker thread as it is');
    });
  }

  it('a link kind named like an Object.prototype member stays text', () => {
    for (const kind of ['constructor', 'toString', '__proto__']) {
      const c = toConnection(link({ kind, type: 519, name: 'x0', tunType: null }), [], NO_HINTS, false);
      assert.deepEqual([c?.name, c?.deviceType, c?.kind], ['Point-to-point link (x0)', kind, 'other']);
    }
  });

  it('counters stay null unless asked for', () => {
    const c = toConnection(link({}), [], NO_HINTS, false);
    assert.equal(c?.bytesIn, null);
    assert.equal(c?.bytesOut, null);
  });

  it('a NetworkManager profile name wins', () => {
    const c = toConnection(link({}), [], hints({ networkManager: new Map([['tun0', { name: 'Office', state: 'connected', stateDetail: 'x', activePath: null }]]) }), false);
    assert.equal(c?.name, 'Office');
  });
});

describe('ppp links by what carries them', () => {
  const ppp = (carrier: 'pppoe' | 'l2tp' | 'serial' | 'unknown') =>
    toConnection(link({ kind: 'ppp', type: ARPHRD.PPP, name: 'ppp0' }), [], hints({ ppp: new Map([['ppp0', carrier]]) }), false);
  it('PPPoE → broadband, L2TP → vpn, modem → dialup, unsure → other', () => {
    assert.deepEqual([ppp('pppoe')?.kind, ppp('l2tp')?.kind, ppp('serial')?.kind, ppp('unknown')?.kind], ['broadband', 'vpn', 'dialup', 'other']);
    assert.equal(ppp('pppoe')?.name, 'PPPoE (ppp0)');
    assert.equal(ppp('serial')?.deviceType, 'ppp');
  });
});

describe('addresses', () => {
  it('keeps IPv4 and global IPv6 as CIDR, drops link-local and DAD-failed', () => {
    assert.deepEqual(assignedAddresses([v4('10.8.0.2'), v6('fe80::1'), v6('fd00::2'), v6('fd00::3', 64, IFA_F_DADFAILED)]), ['10.8.0.2/24', 'fd00::2/64']);
  });
});

describe('state', () => {
  it('up with carrier and an address → connected', () => {
    assert.equal(linkState(link({}), 1), 'connected');
    assert.equal(linkState(link({ operstate: 'UP' }), 1), 'connected');
  });
  it('up without an address yet → connecting; up without carrier → connecting', () => {
    assert.equal(linkState(link({}), 0), 'connecting');
    assert.equal(linkState(link({ operstate: 'DOWN', flags: IFF.UP | IFF.POINTOPOINT }), 1), 'connecting');
    assert.equal(linkState(link({ operstate: 'LOWERLAYERDOWN', flags: IFF.UP }), 1), 'connecting');
  });
  it('administratively down → disconnected; dormant → paused', () => {
    assert.equal(linkState(link({ flags: IFF.POINTOPOINT }), 1), 'disconnected');
    assert.equal(linkState(link({ operstate: 'DORMANT' }), 1), 'paused');
  });
  it('stateDetail carries the flags and operstate', () => {
    assert.equal(toConnection(link({}), [], NO_HINTS, false)?.stateDetail, 'UP,LOWER_UP state UNKNOWN');
  });
});
