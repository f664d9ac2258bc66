/**
 * The adapter backend through the contract fake (test/fixtures/fake-iphlpapi.c), one documented behaviour per
 * test. This file also runs under Windows Node in the Wine tier (test/wine/adapter-wine.test.ts), over the DLL
 * build of the same fake: there the notification callbacks come from a Windows thread the fake started with
 * CreateThread, through koffi's marshalling to the JS thread.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { MonitorUpdate } from '../../../../shared/connection';
import { ConnectionMonitor } from '../../../../electron/core/monitor';
import { createSource } from '../../../../electron/core/platforms/index';
import { MAX_ADAPTER_RETRIES, createAdapterSource, type AdapterSource } from '../../../../electron/core/platforms/win32/adapter-source';
import { createWin32Source } from '../../../../electron/core/platforms/win32/win32-source';
import { rejectsWith } from '../../../support/backend-errors';
import { RASCS, loadFakeRas } from '../../../support/fake-ras';
import { loadFakeIphlpapi, rasConnectionAdapter, type FakeAdapter } from '../../../support/fake-iphlpapi';

const fake = loadFakeIphlpapi();
const windows = process.platform === 'win32';
const MISSING_LIBRARY = windows ? 'C:\\nonexistent\\iphlpapi.dll' : '/nonexistent/iphlpapi.so';
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function waitFor(what: string, check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(5);
  }
}

const ethernet: FakeAdapter = {
  ifIndex: 3,
  luid: 0x0006_0000_0100_0000n,
  ifType: 6,
  mtu: 1500,
  friendlyName: 'Ethernet',
  description: 'Intel(R) Ethernet Connection (7) I219-V',
  addresses: ['192.168.1.20/24', 'fe80::1c2a:3bff:fe4d:5e6f/64'],
};
const wireguard: FakeAdapter = {
  ifIndex: 17,
  luid: 0x0035_0000_0200_0000n,
  friendlyName: 'Büro 東京',
  description: 'WireGuard Tunnel',
  addresses: ['10.6.0.2/32', 'fd00:6::2/128', 'fe80::6/64'],
  inOctets: 5_000_000_000n,
  outOctets: 1234,
};
const tap: FakeAdapter = {
  ifIndex: 21,
  luid: 0x0006_0000_0300_0000n,
  ifType: 6,
  mtu: 1500,
  friendlyName: 'OpenVPN TAP-Windows6',
  description: 'TAP-Windows Adapter V9',
  addresses: ['10.8.0.6/24'],
};

let source: AdapterSource;
beforeEach(() => {
  fake.reset();
  source = createAdapterSource(fake.path);
});
afterEach(() => {
  source.close();
  fake.reset();
});

describe('adapter source: GetAdaptersAddresses', () => {
  it('a library that cannot be loaded is ELOAD naming the path, on read', async () => {
    const missing = createAdapterSource(MISSING_LIBRARY);
    await rejectsWith(missing.read({ counters: false }), 'ELOAD', /nonexistent/);
    missing.close();
  });

  it('lists the VPN adapters, with nested IPv4 + IPv6 address lists, never the physical one', async () => {
    fake.setState([ethernet, wireguard, tap]);
    const connections = await source.read({ counters: false });
    assert.deepEqual(
      connections.map((c) => [c.id, c.name, c.kind, c.state, c.owner, c.deviceType, c.deviceName, c.addresses, c.canDisconnect]),
      [
        ['adapter:35000002000000', 'Büro 東京', 'vpn', 'connected', 'WireGuard', 'wireguard', 'WireGuard Tunnel', ['10.6.0.2/32', 'fd00:6::2/128'], false],
        ['adapter:6000003000000', 'OpenVPN TAP-Windows6', 'vpn', 'connected', 'OpenVPN', 'tap', 'TAP-Windows Adapter V9', ['10.8.0.6/24'], false],
      ],
    );
  });

  it('GAA_FLAG_INCLUDE_ALL_INTERFACES stays off: a hidden adapter (a WAN miniport) is never seen', async () => {
    fake.setState([{ ...wireguard, hidden: true, description: 'WireGuard Tunnel (hidden)' }, tap]);
    const reading = await source.readAdapters({ counters: false });
    assert.deepEqual(reading.records.map((r) => r.friendlyName), ['OpenVPN TAP-Windows6']);
  });

  it('the documented loop: a buffer too small is ERROR_BUFFER_OVERFLOW with the size, then the call again', async () => {
    const small = createAdapterSource(fake.path, { initialBufferBytes: 64 });
    fake.setState([ethernet, wireguard, tap]);
    assert.equal((await small.read({ counters: false })).length, 2);
    assert.equal(fake.calls('GetAdaptersAddresses'), 2);
    // The buffer is kept: the next read needs one call.
    assert.equal((await small.read({ counters: false })).length, 2);
    assert.equal(fake.calls('GetAdaptersAddresses'), 3);
    small.close();
  });

  it('an adapter that appears between the size call and the data call: ERROR_BUFFER_OVERFLOW again, retried, and it is listed', async () => {
    const probe = createAdapterSource(fake.path, { initialBufferBytes: 0 });
    // Eight adapters per call: more than the slack the source allocates beyond the size it was told.
    fake.setState([wireguard], { grow: 2, growPerCall: 8 });
    const connections = await probe.read({ counters: false });
    assert.equal(fake.calls('GetAdaptersAddresses'), 4, 'the size call, two data calls too small again (8 adapters outgrow the slack), the data call');
    assert.deepEqual(connections.map((c) => c.name), ['Büro 東京', ...Array.from({ length: 16 }, (_, i) => `Grown ${i + 1}`)]);
    probe.close();
  });

  it('adapters that keep appearing: the loop gives up with ERROR_BUFFER_OVERFLOW (111), it does not spin', async () => {
    const probe = createAdapterSource(fake.path, { initialBufferBytes: 0 });
    fake.setState([wireguard], { grow: 50, growPerCall: 8 });
    await rejectsWith(probe.read({ counters: false }), 111, /kept appearing/);
    assert.equal(fake.calls('GetAdaptersAddresses'), MAX_ADAPTER_RETRIES + 1);
    probe.close();
  });

  it('zero adapters is ERROR_NO_DATA: an empty list, not an error', async () => {
    fake.setState([]);
    assert.deepEqual(await source.read({ counters: false }), []);
  });

  it('a description without a match: IfType 53 is listed and says so; an unknown Ethernet adapter is not', async () => {
    fake.setState([
      { ...wireguard, description: 'Acme SuperVPN Adapter' },
      { ...ethernet, description: 'Acme Gigabit NIC', ifIndex: 4, luid: 0x6000004000000n },
    ]);
    const reading = await source.readAdapters({ counters: false });
    assert.deepEqual(
      reading.verdicts.map((v) => [v.listed, v.reason]),
      [
        [true, 'IfType 53 (virtual), description "Acme SuperVPN Adapter" is not in the table'],
        [false, 'physical Ethernet'],
      ],
    );
  });

  it('a VPN driver with its adapter down (TAP-Windows without OpenVPN connected) is not a connection', async () => {
    fake.setState([{ ...tap, operStatus: 2 }]);
    assert.deepEqual(await source.read({ counters: false }), []);
  });
});

describe('adapter source: counters (GetIfEntry2)', () => {
  it('only while counters are wanted: none read without, 64-bit figures with', async () => {
    fake.setState([ethernet, wireguard]);
    const [plain] = await source.read({ counters: false });
    assert.equal(plain!.bytesIn, null);
    assert.equal(fake.calls('GetIfEntry2'), 0);
    const [counted] = await source.read({ counters: true });
    assert.deepEqual([counted!.bytesIn, counted!.bytesOut], [5_000_000_000, 1234]);
    assert.equal(fake.calls('GetIfEntry2'), 1, 'one call per listed adapter, none for the Ethernet one');
  });
});

describe('adapter source: live (NotifyIpInterfaceChange, NotifyUnicastIpAddressChange)', () => {
  it("the fake's own thread calls back; the source says 'changed' on this thread", async () => {
    fake.setState([ethernet]);
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    assert.equal(fake.registrations(), 2);
    fake.setState([ethernet, wireguard]); // an interface and three addresses: four callbacks
    await waitFor('a change', () => changes > 0);
    await sleep(100);
    assert.ok(changes <= 4, `at most one change per callback, got ${changes}`);
    const afterFirst = changes;
    fake.setState([ethernet]);
    await waitFor('a second change', () => changes > afterFirst);
    unwatch();
    await waitFor('CancelMibChangeNotify2 for both registrations', () => fake.registrations() === 0);
    const before = changes;
    fake.setState([ethernet, tap]);
    await sleep(100);
    assert.equal(changes, before, 'nothing after unsubscribing');
  });

  it('an adapter coming up reaches a monitor subscriber as an added event through push alone (polling off)', async () => {
    fake.setState([ethernet]);
    const monitor = new ConnectionMonitor(createAdapterSource(fake.path), { pollIntervalMs: 3_600_000, safetyPollMs: 3_600_000 });
    const updates: MonitorUpdate[] = [];
    const unsubscribe = monitor.subscribe((update) => updates.push(update));
    await waitFor('the first read', () => updates.length > 0);
    assert.equal(monitor.snapshot.updates, 'push');
    fake.setState([ethernet, wireguard]);
    await waitFor('the added event', () => updates.some((u) => u.events.some((e) => e.type === 'added')));
    const added = updates.flatMap((u) => u.events).find((e) => e.type === 'added');
    assert.equal(added?.type === 'added' && added.connection.name, 'Büro 東京');
    unsubscribe();
    monitor.close();
    await waitFor('the registrations to go', () => fake.registrations() === 0);
  });

  it('closing while the fake is calling back does not crash and leaves no registration', async () => {
    fake.setState([ethernet]);
    for (let i = 0; i < 5; i++) {
      const s = createAdapterSource(fake.path);
      await s.read({ counters: false });
      const unwatch = s.watch!(() => {});
      fake.setState(i % 2 ? [ethernet] : [ethernet, wireguard, tap]);
      await sleep(i * 3);
      unwatch();
      s.close();
    }
    await waitFor('the registrations to go', () => fake.registrations() === 0);
  });
});

describe('Windows backend: RAS + adapters in one list', () => {
  it('one IKEv2 and one SSTP RAS connection beside their own adapters and a WireGuard adapter: exactly three rows', async () => {
    // As Windows has it: RASCONNW.luid is the logon session (the same for both connections, no adapter's),
    // each RAS adapter is IfType 23 named after its entry with the projected address, its NET_LUID its own.
    const ras = loadFakeRas();
    ras.reset();
    const ikev2 = { name: 'Office VPN', deviceName: 'WAN Miniport (IKEv2)', projection: { kind: 'ikev2' as const, ipv4: '10.10.0.5' } };
    const sstp = { name: 'Lab SSTP', deviceName: 'WAN Miniport (SSTP)', projection: { kind: 'ppp' as const, ipv4: '172.16.4.9' } };
    ras.add(ikev2);
    ras.add(sstp);
    fake.setState([ethernet, rasConnectionAdapter(ikev2, 30, 1), rasConnectionAdapter(sstp, 31, 2), wireguard]);
    const both = createSource({ LINKWATCH_RASAPI: ras.path, LINKWATCH_IPHLPAPI: fake.path }, 'linux');
    try {
      assert.equal(both.backend, 'rasapi32+iphlpapi');
      const connections = await both.read({ counters: false });
      assert.deepEqual(
        connections.map((c) => [c.id.split(':')[0], c.name, c.addresses, c.canDisconnect]),
        [
          ['ras', 'Office VPN', ['10.10.0.5/32'], true],
          ['ras', 'Lab SSTP', ['172.16.4.9/32'], true],
          ['adapter', 'Büro 東京', ['10.6.0.2/32', 'fd00:6::2/128'], false],
        ],
      );
      const diagnosis = await both.diagnose!();
      assert.deepEqual(
        diagnosis.interfaces.map((i) => [i.name, i.listed, i.reason]),
        [
          ['Ethernet', false, 'physical Ethernet'],
          ['Office VPN', false, 'the adapter of the RAS connection "Office VPN" (IfType 23 (PPP), named after the entry): listed by RAS'],
          ['Lab SSTP', false, 'the adapter of the RAS connection "Lab SSTP" (IfType 23 (PPP), named after the entry): listed by RAS'],
          ['Büro 東京', true, 'IfType 53 (virtual), description matches WireGuard Tunnel'],
        ],
      );
      assert.deepEqual(diagnosis.parts.map((p) => [p.name, p.lastError]), [['rasapi32', null], ['iphlpapi', null]]);
      await rejectsWith(both.hangUp!('adapter:35000002000000'), 'ENOTSUP', /third-party adapter/);
    } finally {
      both.close();
      ras.reset();
    }
  });

  it("a RAS connection still connecting (no address yet) already owns its adapter by name; a WireGuard tunnel named like an entry stays listed", async () => {
    const ras = loadFakeRas();
    ras.reset();
    const dialling = { name: 'Office VPN', deviceName: 'WAN Miniport (IKEv2)' };
    ras.add({ ...dialling, state: RASCS.Authenticate });
    // The user named a WireGuard tunnel like the RAS entry: a name alone on a non-PPP adapter proves nothing.
    const lookalike: FakeAdapter = { ...wireguard, friendlyName: 'Office VPN' };
    fake.setState([rasConnectionAdapter(dialling, 30, 1), lookalike]);
    const both = createSource({ LINKWATCH_RASAPI: ras.path, LINKWATCH_IPHLPAPI: fake.path }, 'linux');
    try {
      const connections = await both.read({ counters: false });
      assert.deepEqual(
        connections.map((c) => [c.id.split(':')[0], c.name, c.state]),
        [
          ['ras', 'Office VPN', 'connecting'],
          ['adapter', 'Office VPN', 'connected'],
        ],
      );
    } finally {
      both.close();
      ras.reset();
    }
  });

  it('a RAS adapter whose name is not the entry\'s (a connection dialled without one) is paired by the address RAS projected', async () => {
    const ras = loadFakeRas();
    ras.reset();
    const modem = { name: '.5551234', deviceType: 'modem', deviceName: 'USR 56k', projection: { kind: 'ppp' as const, ipv4: '192.0.2.77' } };
    ras.add(modem);
    fake.setState([{ ...rasConnectionAdapter(modem, 30, 1), friendlyName: 'Dial-up Connection' }, wireguard]);
    const both = createSource({ LINKWATCH_RASAPI: ras.path, LINKWATCH_IPHLPAPI: fake.path }, 'linux');
    try {
      const connections = await both.read({ counters: false });
      assert.deepEqual(connections.map((c) => c.id.split(':')[0]), ['ras', 'adapter']);
      const diagnosis = await both.diagnose!();
      assert.equal(diagnosis.interfaces[0]!.reason, 'the adapter of the RAS connection ".5551234" (IfType 23 (PPP), the address RAS projected): listed by RAS');
    } finally {
      both.close();
      ras.reset();
    }
  });

  it('both parts push: an adapter coming up is an added event with polling off, and the snapshot says push', async () => {
    const ras = loadFakeRas();
    ras.reset();
    fake.setState([ethernet]);
    const monitor = new ConnectionMonitor(createSource({ LINKWATCH_RASAPI: ras.path, LINKWATCH_IPHLPAPI: fake.path }, 'linux'), {
      pollIntervalMs: 3_600_000,
      safetyPollMs: 3_600_000,
    });
    const updates: MonitorUpdate[] = [];
    const unsubscribe = monitor.subscribe((update) => updates.push(update));
    try {
      await waitFor('the first read', () => updates.length > 0);
      assert.equal(monitor.snapshot.updates, 'push');
      fake.setState([ethernet, tap]);
      await waitFor('the added event', () => updates.some((u) => u.events.some((e) => e.type === 'added' && e.connection.name === tap.friendlyName)));
    } finally {
      unsubscribe();
      monitor.close();
      ras.reset();
    }
    await waitFor('the registrations to go', () => fake.registrations() === 0);
  });

  it('the Windows backend offers RAS\'s saved entries and dials them: Connect works beside the adapters', async () => {
    const ras = loadFakeRas();
    ras.reset();
    ras.addEntry({ name: 'Office VPN', states: 2 });
    fake.setState([wireguard]);
    const source = createWin32Source({ rasLibrary: ras.path, iphlpapiLibrary: fake.path });
    try {
      assert.deepEqual((await source.listEntries!())?.map((e) => e.name), ['Office VPN']);
      const steps: string[] = [];
      const last = await source.connect!('Office VPN', (step) => steps.push(step.phase));
      assert.equal(last.phase, 'connected', JSON.stringify(last));
      assert.ok(steps.includes('dialling'), 'the dial reported progress before it ended');
      assert.ok((await source.read({ counters: false })).some((c) => c.name === 'Office VPN' && c.state === 'connected'));
    } finally {
      source.close();
      ras.reset();
    }
  });

  it('a part that cannot be loaded leaves the other serving, its error kept for diagnose', async () => {
    fake.setState([wireguard]);
    const noRas = createWin32Source({ rasLibrary: MISSING_LIBRARY, iphlpapiLibrary: fake.path });
    try {
      assert.deepEqual((await noRas.read({ counters: false })).map((c) => c.name), ['Büro 東京']);
      const diagnosis = await noRas.diagnose!();
      assert.equal(diagnosis.parts[0]!.lastError?.code, 'ELOAD');
      assert.equal(diagnosis.parts[1]!.lastError, null);
    } finally {
      noRas.close();
    }
    const neither = createWin32Source({ rasLibrary: MISSING_LIBRARY, iphlpapiLibrary: MISSING_LIBRARY });
    await rejectsWith(neither.read({ counters: false }), 'ELOAD');
    neither.close();
  });
});
