/**
 * `linkwatch diagnose` on macOS, over the contract fake libSystem (on Linux; a Mac runs real-mac.test.ts):
 * every interface getifaddrs lists, the utun/ipsec/ppp ones with the verdict of the list's own rules.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { createDarwinSource } from '../../../../electron/core/platforms/darwin/darwin-source';
import { loadFakeLibSystem, typicalMac } from '../../../support/fake-libsystem';

it("a Mac's usual interfaces and a VPN: each with its verdict and reason, and the backend's part", async (t) => {
  if (process.platform !== 'linux') {
    t.skip('the fake libSystem builds on Linux only (real-mac.test.ts covers a Mac)');
    return;
  }
  const fake = loadFakeLibSystem();
  fake.reset();
  for (const i of [...typicalMac(), { name: 'utun4', index: 20, addresses: [{ address: '10.8.0.6', prefix: 24 }] }]) fake.addInterface(i);
  const source = createDarwinSource(fake.path);
  try {
    const d = await source.diagnose!();
    assert.deepEqual(
      d.interfaces.map((i) => [i.name, i.listed, i.reason]),
      [
        ['lo0', false, 'not a utun, ipsec or ppp interface'],
        ['en0', false, 'not a utun, ipsec or ppp interface'],
        ['utun0', false, 'a utun without an address other than link-local: a system service, not a VPN'],
        ['utun1', false, 'a utun without an address other than link-local: a system service, not a VPN'],
        ['utun2', false, 'a utun without an address other than link-local: a system service, not a VPN'],
        ['utun4', true, 'utun with an address'],
      ],
    );
    const listed = await source.read({ counters: false });
    assert.deepEqual(d.interfaces.filter((i) => i.listed).map((i) => i.connectionId), listed.map((c) => c.id));
    assert.deepEqual(d.parts, [{ name: 'libSystem', detail: fake.path, lastError: null }]);
    fake.failNext('getifaddrs', 12);
    assert.equal((await source.diagnose!()).parts[0]!.lastError?.code, 'ENOMEM');
  } finally {
    source.close();
    fake.reset();
  }
});
