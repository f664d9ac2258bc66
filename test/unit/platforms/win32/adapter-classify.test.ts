import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  VPN_ADAPTER_RULES,
  adapterAddresses,
  adapterConnection,
  classifyAdapter,
  type AdapterVerdict,
} from '../../../../electron/core/platforms/win32/adapter-classify';
import type { AdapterRecord } from '../../../../electron/core/platforms/win32/iphlpapi-decode';

function adapter(overrides: Partial<AdapterRecord>): AdapterRecord {
  return {
    ifIndex: 12,
    luid: 0x35000002000000n,
    description: 'WireGuard Tunnel',
    friendlyName: 'office',
    ifType: 53,
    operStatus: 1,
    mtu: 1420,
    physicalAddress: '',
    tunnelType: 0,
    connectionType: 1,
    addresses: [{ family: 'ipv4', address: '10.6.0.2', prefixLength: 32, dadState: 4 }],
    ...overrides,
  };
}

const verdict = (overrides: Partial<AdapterRecord>): AdapterVerdict => classifyAdapter(adapter(overrides));

describe('classifyAdapter: the VPN drivers of the table', () => {
  // Descriptions as these drivers set them (Device Manager / Get-NetAdapter InterfaceDescription), with IfType.
  const cases: [string, number, string, string | null, string][] = [
    ['Wintun Userspace Tunnel', 53, 'Wintun', null, 'wintun'],
    ['WireGuard Tunnel #2', 53, 'WireGuard Tunnel', 'WireGuard', 'wireguard'],
    ['Tailscale Tunnel', 53, 'Tailscale Tunnel', 'Tailscale', 'wintun'],
    ['TAP-Windows Adapter V9', 6, 'TAP-Windows Adapter V9', 'OpenVPN', 'tap'],
    ['TAP-Windows Adapter V9 for OpenVPN Connect', 6, 'TAP-Windows Adapter V9', 'OpenVPN', 'tap'],
    ['OpenVPN Data Channel Offload', 53, 'OpenVPN Data Channel Offload', 'OpenVPN', 'ovpn-dco'],
    ['ZeroTier Virtual Port', 6, 'ZeroTier Virtual Port', 'ZeroTier', 'tap'],
    ['Cisco AnyConnect Secure Mobility Client Virtual Miniport Adapter for Windows x64', 6, 'Cisco AnyConnect / Secure Client', 'Cisco Secure Client', 'vpn'],
    ['Cisco Secure Client Virtual Miniport Adapter for Windows x64', 6, 'Cisco AnyConnect / Secure Client', 'Cisco Secure Client', 'vpn'],
    ['PANGP Virtual Ethernet Adapter Secure', 6, 'PANGP Virtual Ethernet Adapter', 'GlobalProtect', 'vpn'],
    ['Fortinet SSL VPN Virtual Ethernet Adapter', 6, 'Fortinet SSL VPN Virtual Ethernet Adapter', 'FortiClient', 'vpn'],
    ['Juniper Networks Virtual Adapter', 6, 'Juniper Networks Virtual Adapter', 'Ivanti Secure Access', 'vpn'],
    ['Check Point Virtual Network Adapter For Endpoint VPN Client', 6, 'Check Point Virtual Network Adapter', 'Check Point', 'vpn'],
    ['SonicWall NetExtender Adapter', 6, 'SonicWall NetExtender', 'SonicWall NetExtender', 'vpn'],
  ];
  for (const [description, ifType, driver, owner, deviceType] of cases) {
    it(`"${description}" (IfType ${ifType}) is listed: ${driver}, owner ${owner ?? 'unknown'}`, () => {
      const v = verdict({ description, ifType });
      assert.equal(v.listed, true);
      assert.equal(v.owner, owner);
      assert.equal(v.deviceType, deviceType);
      assert.match(v.reason, new RegExp(`^IfType ${ifType}\\b.*description matches ${driver.replace(/[()/]/g, '.')}$`));
    });
  }

  it('says the issue\'s own example reason', () => {
    assert.equal(verdict({ description: 'Wintun Userspace Tunnel' }).reason, 'IfType 53 (virtual), description matches Wintun');
  });

  it('every rule in the table is reached by a description above (no dead rows)', () => {
    const reached = new Set(cases.map(([description]) => VPN_ADAPTER_RULES.find((r) => r.description.test(description))?.driver));
    const untested = VPN_ADAPTER_RULES.map((r) => r.driver).filter((d) => !reached.has(d));
    assert.deepEqual(untested, []);
  });
});

describe('classifyAdapter: what is never listed', () => {
  const never: [Partial<AdapterRecord>, RegExp][] = [
    [{ ifType: 6, description: 'Intel(R) Ethernet Connection (7) I219-V', friendlyName: 'Ethernet' }, /^physical Ethernet$/],
    [{ ifType: 71, description: 'Intel(R) Wi-Fi 6 AX201 160MHz', friendlyName: 'Wi-Fi' }, /^physical Wi-Fi$/],
    [{ ifType: 24, description: 'Software Loopback Interface 1', friendlyName: 'Loopback Pseudo-Interface 1' }, /^loopback$/],
    [{ ifType: 6, description: 'Hyper-V Virtual Ethernet Adapter', friendlyName: 'vEthernet (Default Switch)' }, /vEthernet/],
    [{ ifType: 6, description: 'Hyper-V Virtual Ethernet Adapter #2', friendlyName: 'vEthernet (WSL (Hyper-V firewall))' }, /vEthernet/],
    [{ ifType: 6, description: 'Bluetooth Device (Personal Area Network)', friendlyName: 'Bluetooth Network Connection' }, /Bluetooth PAN/],
    [{ ifType: 131, tunnelType: 14, description: 'Teredo Tunneling Pseudo-Interface', friendlyName: 'Teredo Tunneling Pseudo-Interface' }, /Teredo/],
    [{ ifType: 131, tunnelType: 13, description: 'Microsoft ISATAP Adapter #2', friendlyName: 'isatap.{…}' }, /ISATAP/],
  ];
  for (const [overrides, reason] of never) {
    it(`${overrides.friendlyName} (${overrides.description}) is not listed: ${reason.source}`, () => {
      const v = verdict(overrides);
      assert.equal(v.listed, false);
      assert.match(v.reason, reason);
    });
  }

  it('a VPN driver\'s adapter that is down (TAP-Windows without OpenVPN connected) is no connection, and says why', () => {
    const v = verdict({ ifType: 6, description: 'TAP-Windows Adapter V9', operStatus: 2 });
    assert.equal(v.listed, false);
    assert.equal(v.reason, 'IfType 6 (Ethernet), description matches TAP-Windows Adapter V9, but IfOperStatusDown: no connection up');
  });

  it("a RAS connection's own adapter (PPP, named after the entry) is left to RAS: listed once", () => {
    const v = classifyAdapter(adapter({ ifType: 23, friendlyName: 'office vpn', description: 'WAN Miniport (IKEv2)' }), [{ name: 'Office VPN', addresses: [] }]);
    assert.deepEqual(v, { listed: false, reason: 'the adapter of the RAS connection "Office VPN" (IfType 23 (PPP), named after the entry): listed by RAS' });
  });

  it('a PPP adapter with the address RAS projected is RAS\'s even under another name; name and address together pair any IfType', () => {
    const ras = [{ name: 'Office VPN', addresses: ['10.6.0.2'] }];
    assert.match(classifyAdapter(adapter({ ifType: 23, friendlyName: 'PPP 2' }), ras).reason, /the address RAS projected/);
    assert.match(classifyAdapter(adapter({ ifType: 53, friendlyName: 'Office VPN' }), ras).reason, /named after the entry and with the address RAS projected/);
  });

  it('a name alone or an address alone on a non-PPP adapter pairs nothing: a WireGuard tunnel stays listed', () => {
    assert.equal(classifyAdapter(adapter({ friendlyName: 'Office VPN' }), [{ name: 'Office VPN', addresses: ['10.9.9.9'] }]).listed, true);
    assert.equal(classifyAdapter(adapter({ friendlyName: 'office' }), [{ name: 'Office VPN', addresses: ['10.6.0.2'] }]).listed, true);
  });
});

describe('classifyAdapter: by IfType when the description is not in the table', () => {
  it('IfType 53 with an unknown description is listed, and the reason says the description did not match', () => {
    const v = verdict({ description: 'Acme SuperVPN Adapter' });
    assert.equal(v.listed, true);
    assert.equal(v.reason, 'IfType 53 (virtual), description "Acme SuperVPN Adapter" is not in the table');
    assert.equal(v.owner, null);
  });

  it('IfType 131 (tunnel, not a transition tunnel) and IfType 23 (PPP, not RAS\'s) are listed', () => {
    assert.equal(verdict({ ifType: 131, description: 'Acme IPsec', tunnelType: 2 }).listed, true);
    assert.equal(verdict({ ifType: 23, description: 'Acme PPP' }).listed, true);
  });

  it("IfType 1 (other) is listed: it is how Wine reports a Linux tun device", () => {
    const v = verdict({ ifType: 1, description: 'tun0', friendlyName: 'tun0' });
    assert.equal(v.listed, true);
    assert.equal(v.deviceType, 'tun');
  });

  it('an unknown physical type is not listed and names the type', () => {
    assert.deepEqual(verdict({ ifType: 144, description: '1394 Net Adapter' }), { listed: false, reason: 'IfType 144 (FireWire): not a tunnel type' });
  });
});

describe('adapterConnection', () => {
  it('a WireGuard adapter as the monitor wants it: kind vpn, owner, CIDR addresses, counters, canDisconnect false', () => {
    const a = adapter({
      addresses: [
        { family: 'ipv4', address: '10.6.0.2', prefixLength: 32, dadState: 4 },
        { family: 'ipv6', address: 'fe80::1', prefixLength: 64, dadState: 4 },
        { family: 'ipv6', address: 'fd00:6::2', prefixLength: 128, dadState: 4 },
      ],
    });
    const c = adapterConnection(a, classifyAdapter(a), { bytesIn: 5_000_000_000, bytesOut: 10 });
    assert.deepEqual(
      { id: c.id, name: c.name, kind: c.kind, state: c.state, owner: c.owner, addresses: c.addresses, deviceType: c.deviceType, deviceName: c.deviceName, bytesIn: c.bytesIn, canDisconnect: c.canDisconnect },
      { id: 'adapter:35000002000000', name: 'office', kind: 'vpn', state: 'connected', owner: 'WireGuard', addresses: ['10.6.0.2/32', 'fd00:6::2/128'], deviceType: 'wireguard', deviceName: 'WireGuard Tunnel', bytesIn: 5_000_000_000, canDisconnect: false },
    );
  });

  it('up without an address yet is connecting; dormant is paused; counters not read are null', () => {
    const bare = adapter({ addresses: [] });
    assert.equal(adapterConnection(bare, classifyAdapter(bare), null).state, 'connecting');
    const dormant = adapter({ operStatus: 5 });
    const c = adapterConnection(dormant, classifyAdapter(dormant), null);
    assert.equal(c.state, 'paused');
    assert.equal(c.bytesIn, null);
  });

  it('adapterAddresses drops link-local IPv6 and duplicates, keeps an address without a known prefix as is', () => {
    assert.deepEqual(
      adapterAddresses([
        { family: 'ipv6', address: 'fe80::5', prefixLength: 64, dadState: 4 },
        { family: 'ipv4', address: '10.0.0.9', prefixLength: 24, dadState: 2 },
        { family: 'ipv4', address: '10.0.0.10', prefixLength: null, dadState: 4 },
      ]),
      ['10.0.0.10'],
    );
  });
});
