/**
 * `linkwatch diagnose` on macOS, over the contract fake libSystem (on Linux; a Mac runs real-mac.test.ts):
 * every interface getifaddrs lists, the utun/ipsec/ppp ones with the verdict of the list's own rules.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createDarwinSource } from '../../../../electron/core/platforms/darwin/darwin-source';
import { DARWIN, loadFakeLibSystem, typicalMac } from '../../../support/fake-libsystem';

it("a Mac's usual interfaces and a VPN: each with its verdict and reason, and the backend's part", async (t) => {
  if (process.platform !== 'linux') {
    t.skip('the fake libSystem builds on Linux only (real-mac.test.ts covers a Mac)');
    return;
  }
  const fake = loadFakeLibSystem();
  fake.reset();
  for (const i of [
    ...typicalMac(),
    { name: 'utun4', index: 20, addresses: [{ address: '10.8.0.6', prefix: 24 }] },
    // tuntaposx (Tunnelblick's kext mode), ZeroTier's feth pair (one end addressed), GlobalProtect's gpd0
    { name: 'tun0', index: 21, addresses: [{ address: '10.9.0.6', prefix: 24, peer: '10.9.0.5' }] },
    { name: 'feth3100', index: 22, type: DARWIN.IFT_ETHER, addresses: [{ address: '172.27.0.4', prefix: 16 }] },
    { name: 'feth8100', index: 23, type: DARWIN.IFT_ETHER },
    { name: 'gpd0', index: 24, addresses: [{ address: '10.200.0.9', prefix: 32 }] },
    { name: 'ppp0', index: 25, type: DARWIN.IFT_PPP, addresses: [{ address: '192.168.50.10', prefix: 32, peer: '192.168.50.1' }] },
  ]) fake.addInterface(i);
  const source = createDarwinSource(fake.path);
  try {
    const d = await source.diagnose!();
    assert.deepEqual(
      d.interfaces.map((i) => [i.name, i.listed, i.reason]),
      [
        ['lo0', false, 'not a tunnel interface (utun, ipsec, ppp, tun, tap, feth, gpd)'],
        ['en0', false, 'not a tunnel interface (utun, ipsec, ppp, tun, tap, feth, gpd)'],
        ['utun0', false, 'a utun without an address other than link-local: a system service, not a VPN'],
        ['utun1', false, 'a utun without an address other than link-local: a system service, not a VPN'],
        ['utun2', false, 'a utun without an address other than link-local: a system service, not a VPN'],
        ['utun4', true, 'utun with an address; no network service owns it: a VPN app that manages its own tunnel (Tunnelblick, OpenVPN, Tailscale standalone), named by interface'],
        ['tun0', true, 'tun with an address; no network service owns it: a VPN app that manages its own tunnel (Tunnelblick, OpenVPN, Tailscale standalone), named by interface'],
        ['feth3100', true, 'feth with an address; ZeroTier uses feth pairs'],
        ['feth8100', false, 'a feth (fake Ethernet) end without an address other than link-local: nothing routes through it yet'],
        ['gpd0', true, "gpd with an address; GlobalProtect's interface"],
        ['ppp0', true, 'PPP interface; no network service known for it: kind unknown'],
      ],
    );
    const listed = await source.read({ counters: false });
    assert.deepEqual(d.interfaces.filter((i) => i.listed).map((i) => i.connectionId), listed.map((c) => c.id));
    assert.deepEqual(d.parts, [{ name: 'libSystem', detail: fake.path, lastError: null }]);
    assert.deepEqual(
      listed.map((c) => [c.deviceName, c.kind, c.owner]),
      [['utun4', 'vpn', null], ['tun0', 'vpn', null], ['feth3100', 'vpn', null], ['gpd0', 'vpn', 'GlobalProtect'], ['ppp0', 'other', null]],
    );
    fake.failNext('getifaddrs', 12);
    assert.equal((await source.diagnose!()).parts[0]!.lastError?.code, 'ENOMEM');
  } finally {
    source.close();
    fake.reset();
  }
});
