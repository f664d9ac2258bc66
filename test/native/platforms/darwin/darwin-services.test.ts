/**
 * The macOS backend with the system configuration: the fake libSystem (interfaces, kernel events) and the fake
 * scutil (network services; test/fixtures/fake-scutil.ts, formats from configd's scutil), as a Mac with
 * WireGuard (a Network Extension service on a utun), Tunnelblick (its own utun, no service), an L2TP service on
 * ppp0 and Cisco IPSec would show them: names, the service id as identity across utun numbers, saved VPNs,
 * Connect with progress and the system's reason on failure, Cancel and Disconnect; then the same through the
 * CLI in a child process (the contract the popup, the tray and `linkwatch connect` share).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MonitorUpdate, Snapshot } from '../../../../shared/connection';
import type { DialProgress } from '../../../../electron/core/platforms/source';
import { ConnectionMonitor } from '../../../../electron/core/monitor';
import { createDarwinSource } from '../../../../electron/core/platforms/darwin/darwin-source';
import { rejectsWith } from '../../../support/backend-errors';
import { DARWIN, loadFakeLibSystem, typicalMac, writeFakeLibSystemState, type FakeInterface } from '../../../support/fake-libsystem';
import { fakeScutilPath, writeFakeScutilState, type FakeService } from '../../../support/fake-scutil';

const notLinux = process.platform !== 'linux' ? `the fake libSystem builds on Linux only (this is ${process.platform})` : false;
const fake = notLinux ? (null as unknown as ReturnType<typeof loadFakeLibSystem>) : loadFakeLibSystem();
const scutil = notLinux ? '' : fakeScutilPath();
const dir = mkdtempSync(join(tmpdir(), 'linkwatch-darwin-sc-'));
const scState = join(dir, 'scutil.json');
process.env.FAKE_SCUTIL_STATE = scState; // the fake scutil reads it from the environment it inherits
after(() => rmSync(dir, { recursive: true, force: true }));

const WG_ID = '6E3A9B7C-2222-4F00-8A11-FEDCBA987654';
const L2TP_ID = 'A5F0C1D2-1111-4C3B-9D1E-0123456789AB';
const CISCO_ID = '0B1C2D3E-3333-4444-5555-666677778888';
const WIREGUARD: FakeService = {
  id: WG_ID,
  name: 'wg-home',
  display: 'VPN (com.wireguard.macos)',
  type: 'VPN',
  subtype: 'com.wireguard.macos',
  status: 'Connected',
  interface: 'utun5',
  addresses: ['10.6.0.2'],
  setup: false, // a Network Extension configuration: not in the preferences
};
const L2TP: FakeService = { id: L2TP_ID, name: 'Office L2TP', display: 'L2TP', type: 'PPP', subtype: 'L2TP', status: 'Connected', interface: 'ppp0' };
const CISCO: FakeService = { id: CISCO_ID, name: 'Cisco at work', display: 'IPSec', type: 'IPSec', status: 'Disconnected' };

const wgUtun = (name: string, index: number): FakeInterface => ({ name, index, addresses: [{ address: '10.6.0.2', prefix: 32, peer: '10.6.0.2' }] });
const TUNNELBLICK: FakeInterface = { name: 'utun6', index: 31, addresses: [{ address: '10.8.0.6', prefix: 24, peer: '10.8.0.5' }] };
const PPP0: FakeInterface = { name: 'ppp0', index: 32, type: DARWIN.IFT_PPP, addresses: [{ address: '192.168.50.10', prefix: 32, peer: '192.168.50.1' }] };

function setUp(interfaces: FakeInterface[], services: FakeService[]): void {
  fake.reset();
  for (const i of interfaces) fake.addInterface(i);
  writeFakeScutilState(scState, { services });
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, ms = 3000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(10);
  }
}

beforeEach(() => {
  if (!notLinux) setUp([], []);
});

describe('macOS: tunnels named and identified by their network service', { skip: notLinux }, () => {
  it('WireGuard-app, Tunnelblick and built-in L2TP side by side: what each row says', async () => {
    setUp([...typicalMac(), wgUtun('utun5', 30), TUNNELBLICK, PPP0], [WIREGUARD, L2TP, CISCO]);
    const list = await createDarwinSource(fake.path, scutil).read({ counters: false });
    assert.deepEqual(
      list.map((c) => [c.id, c.name, c.kind, c.deviceName, c.owner, c.canDisconnect]),
      [
        [`sc:${WG_ID}`, 'wg-home', 'vpn', 'utun5', 'WireGuard', true],
        ['getifaddrs:utun6', 'VPN tunnel (utun6)', 'vpn', 'utun6', null, false],
        [`sc:${L2TP_ID}`, 'Office L2TP', 'vpn', 'ppp0', null, true],
      ],
    );
  });

  it('built-in IKEv2 (a Network Extension configuration of Apple\'s own IKEv2 provider) on ipsec0: its name, owner IKEv2, Disconnect offered', async () => {
    const IKEV2: FakeService = { id: '9A8B7C6D-4444-4E5F-8A9B-112233445566', name: 'Work IKEv2', display: 'VPN (com.apple.neplugin.IKEv2)', type: 'VPN', subtype: 'com.apple.neplugin.IKEv2', status: 'Connected', interface: 'ipsec0', setup: false };
    setUp([...typicalMac(), { name: 'ipsec0', index: 34, mtu: 1280, addresses: [{ address: '10.20.0.7', prefix: 32 }] }], [IKEV2]);
    const [row] = await createDarwinSource(fake.path, scutil).read({ counters: false });
    assert.deepEqual([row!.id, row!.name, row!.kind, row!.deviceType, row!.owner, row!.canDisconnect], [`sc:${IKEV2.id}`, 'Work IKEv2', 'vpn', 'ipsec', 'IKEv2', true]);
  });

  it('the same VPN keeps its id and connected time when macOS gives it another utun number', async () => {
    setUp([...typicalMac(), wgUtun('utun5', 30)], [WIREGUARD]);
    let now = 1_800_000_000_000;
    const monitor = new ConnectionMonitor(createDarwinSource(fake.path, scutil), { platform: 'darwin', now: () => now, pollIntervalMs: 60_000, safetyPollMs: 60_000 });
    const updates: MonitorUpdate[] = [];
    const stop = monitor.subscribe((u) => updates.push(u));
    try {
      await until(() => monitor.snapshot.connections.length === 1);
      assert.equal(monitor.snapshot.connections[0]!.connectedSince, 1_800_000_000_000);
      // The tunnel comes back on utun7 (a reconnect after sleep): a new interface, the same service.
      now += 60_000;
      fake.removeInterface('utun5');
      fake.addInterface(wgUtun('utun7', 33));
      writeFakeScutilState(scState, { services: [{ ...WIREGUARD, interface: 'utun7' }] });
      await until(() => monitor.snapshot.connections[0]?.deviceName === 'utun7');
      const [c] = monitor.snapshot.connections;
      assert.deepEqual([c!.id, c!.name, c!.connectedSince], [`sc:${WG_ID}`, 'wg-home', 1_800_000_000_000]);
      const events = updates.flatMap((u) => u.events);
      assert.equal(events.filter((e) => e.type === 'removed').length, 0, 'never removed and added again under a new id');
    } finally {
      stop();
      monitor.close();
    }
  });

  it('a service that publishes its interface after the address came (the dynamic store is later than the kernel) is named once it does', async () => {
    setUp([...typicalMac(), wgUtun('utun5', 30)], [{ ...WIREGUARD, status: 'Connecting' }]);
    const monitor = new ConnectionMonitor(createDarwinSource(fake.path, scutil), { pollIntervalMs: 60_000, safetyPollMs: 60_000 });
    let snapshot: Snapshot | null = null;
    const stop = monitor.subscribe((u) => (snapshot = u.snapshot));
    try {
      await until(() => snapshot?.connections.length === 1);
      assert.equal(snapshot!.connections[0]!.id, 'getifaddrs:utun5');
      await sleep(300); // the store watcher (scutil n.watch) is up
      writeFakeScutilState(scState, { services: [WIREGUARD] });
      await until(() => snapshot!.connections[0]?.id === `sc:${WG_ID}`);
      assert.equal(snapshot!.connections[0]!.name, 'wg-home');
    } finally {
      stop();
      monitor.close();
    }
  });

  it('diagnose names the service of each tunnel, and the Tunnelblick hint where there is none', async () => {
    setUp([wgUtun('utun5', 30), TUNNELBLICK], [WIREGUARD]);
    const d = await createDarwinSource(fake.path, scutil).diagnose!();
    const byName = new Map(d.interfaces.map((i) => [i.name, i]));
    assert.match(byName.get('utun5')!.reason, /network service "wg-home" \(VPN:com\.wireguard\.macos, id 6E3A9B7C/);
    assert.equal(byName.get('utun5')!.connectionId, `sc:${WG_ID}`);
    assert.match(byName.get('utun6')!.reason, /Tunnelblick/);
    assert.deepEqual(d.parts.map((p) => [p.name, p.lastError]), [['libSystem', null], ['SystemConfiguration', null]]);
  });

  it('without scutil (or when it fails) the interfaces are still listed, by name, and diagnose says why', async () => {
    setUp([wgUtun('utun5', 30)], [WIREGUARD]);
    const source = createDarwinSource(fake.path, join(dir, 'no-such-scutil'));
    assert.deepEqual((await source.read({ counters: false })).map((c) => c.id), ['getifaddrs:utun5']);
    assert.equal((await source.diagnose!()).parts[1]!.lastError?.code, 'ENOENT');
  });
});

describe('macOS: saved VPNs, Connect, Cancel, Disconnect (scutil --nc)', { skip: notLinux }, () => {
  it('listEntries: every VPN service, L2TP as vpn, with its full name', async () => {
    setUp([], [WIREGUARD, L2TP, CISCO, { ...CISCO, id: 'PPPOE-ID', name: 'Home DSL', display: 'PPPoE', type: 'PPP', subtype: 'PPPoE' }]);
    const entries = await createDarwinSource(fake.path, scutil).listEntries!();
    assert.deepEqual(
      entries!.map((e) => [e.name, e.kind, e.scope]),
      [['wg-home', 'vpn', 'service'], ['Office L2TP', 'vpn', 'service'], ['Cisco at work', 'vpn', 'service'], ['Home DSL', 'broadband', 'service']],
    );
  });

  it('connect: Starting, Connecting, then connected with the service\'s id', async () => {
    setUp([], [{ ...CISCO, dial: [{ afterMs: 100, status: 'Connecting' }, { afterMs: 350, status: 'Connected', interface: 'utun9' }] }]);
    const steps: DialProgress[] = [];
    const last = await createDarwinSource(fake.path, scutil).connect!('Cisco at work', (p) => steps.push(p));
    assert.deepEqual(steps.map((s) => s.detail), ['Starting', 'Connecting']);
    assert.deepEqual(last, { connectionId: `sc:${CISCO_ID}`, phase: 'connected', detail: 'Connected', error: null });
  });

  it('connect fails with the reason: scutil\'s start refusal, or the LastCause of a service that dropped while connecting', async () => {
    setUp([], [{ ...CISCO, startError: 'Invalid service' }, { ...L2TP, status: 'Disconnected', dial: [{ afterMs: 50, status: 'Connecting' }, { afterMs: 200, status: 'Disconnected', lastCause: 19 }] }]);
    const source = createDarwinSource(fake.path, scutil);
    const refused = await source.connect!('Cisco at work', () => {});
    assert.deepEqual([refused.phase, refused.error], ['failed', { code: 'ESTART', message: 'Could not start connection: Invalid service' }]);
    const dropped = await source.connect!('Office L2TP', () => {});
    assert.deepEqual([dropped.phase, dropped.error?.code], ['failed', 19]);
    await rejectsWith(source.connect!('No such VPN', () => {}), 'ENOENT');
  });

  it('cancel stops a Connect under way (scutil --nc stop): it ends cancelled', async () => {
    setUp([], [{ ...CISCO, dial: [{ afterMs: 50, status: 'Connecting' }] }]);
    const source = createDarwinSource(fake.path, scutil);
    const steps: DialProgress[] = [];
    const done = source.connect!('Cisco at work', (p) => steps.push(p));
    await until(() => steps.some((s) => s.detail === 'Connecting'));
    await source.cancel!(`sc:${CISCO_ID}`);
    assert.deepEqual(await done, { connectionId: `sc:${CISCO_ID}`, phase: 'cancelled', detail: 'Disconnected', error: null });
  });

  it('hangUp stops a service; a tunnel without one belongs to its app: ENOTSUP', async () => {
    setUp([wgUtun('utun5', 30), TUNNELBLICK], [WIREGUARD]);
    const source = createDarwinSource(fake.path, scutil);
    await source.hangUp!(`sc:${WG_ID}`);
    await sleep(100); // the fake takes 50 ms from Disconnecting to Disconnected
    const status = await new Promise<string>((resolve) => execFile(scutil, ['--nc', 'status', WG_ID], (_e, stdout) => resolve(stdout.split('\n')[0]!)));
    assert.equal(status, 'Disconnected');
    await rejectsWith(source.hangUp!('getifaddrs:utun6'), 'ENOTSUP');
  });
});

describe('linkwatch entries / connect / list over the fakes (a child process: the CLI\'s contract)', { skip: notLinux }, () => {
  const CLI = fileURLToPath(new URL('../../../../bin/linkwatch.js', import.meta.url));
  const state = join(dir, 'libsystem-state');
  const env = () => ({ ...process.env, LINKWATCH_LIBSYSTEM: fake.path, FAKE_LIBSYSTEM_STATE: state, LINKWATCH_SCUTIL: scutil, FAKE_SCUTIL_STATE: scState });
  async function cli(args: string[]): Promise<{ status: number; stdout: string }> {
    try {
      const { stdout } = await promisify(execFile)(process.execPath, [CLI, ...args], { env: env(), timeout: 30_000 });
      return { status: 0, stdout };
    } catch (error) {
      const failed = error as { code?: number; stdout: string };
      return { status: failed.code ?? -1, stdout: failed.stdout };
    }
  }

  it('list --json names the WireGuard tunnel by its service; entries --json lists the services with the active one matched', async () => {
    writeFakeLibSystemState(state, [...typicalMac(), wgUtun('utun5', 30)]);
    writeFakeScutilState(scState, { services: [WIREGUARD, CISCO] });
    const list = JSON.parse((await cli(['list', '--json'])).stdout) as Snapshot;
    assert.deepEqual(list.connections.map((c) => [c.id, c.name]), [[`sc:${WG_ID}`, 'wg-home']]);
    const entries = JSON.parse((await cli(['entries', '--json'])).stdout) as { available: boolean; entries: { name: string; connectionId: string | null }[] };
    assert.equal(entries.available, true);
    assert.deepEqual(entries.entries.map((e) => [e.name, e.connectionId]), [['wg-home', `sc:${WG_ID}`], ['Cisco at work', null]]);
  });

  it('connect --json prints each step and exits 0 once connected; a refused start exits 1 with the reason', async () => {
    writeFakeLibSystemState(state, typicalMac());
    writeFakeScutilState(scState, { services: [{ ...CISCO, dial: [{ afterMs: 50, status: 'Connecting' }, { afterMs: 250, status: 'Connected', interface: 'utun9' }] }] });
    const ok = await cli(['connect', '--json', 'Cisco at work']);
    const steps = ok.stdout.trim().split('\n').map((l) => JSON.parse(l) as { phase: string; detail: string });
    assert.equal(ok.status, 0);
    assert.deepEqual(steps.at(-1), { ...steps.at(-1), phase: 'connected', detail: 'Connected' });
    writeFakeScutilState(scState, { services: [{ ...CISCO, startError: 'No service' }] });
    const refused = await cli(['connect', '--json', 'Cisco at work']);
    assert.equal(refused.status, 1);
    assert.match(refused.stdout, /"phase":"failed".*Could not start connection: No service/);
  });
});

describe("the Electron tier's macOS backend fixture (test/electron/backend-fixture.ts), driven through the CLI here", { skip: notLinux }, () => {
  it('rows carry the services\' names, and a rewritten state reaches watch --json as a kernel event (within 3 s; the safety read is every 5 s)', async () => {
    const fixtureDir = mkdtempSync(join(tmpdir(), 'linkwatch-darwin-fixture-'));
    const { backendFixture } = await import('../../../electron/backend-fixture');
    const fixture = backendFixture(fixtureDir, 'darwin');
    fixture.write([{ name: 'Office VPN' }]);
    const CLI = fileURLToPath(new URL('../../../../bin/linkwatch.js', import.meta.url));
    const child = execFile(process.execPath, [CLI, 'watch', '--json'], { env: { ...process.env, ...fixture.env }, timeout: 20_000 });
    const lines: { type: string; connection: { id: string; name: string } }[] = [];
    let pending = '';
    child.stdout!.on('data', (chunk: string) => {
      pending += chunk;
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(pending.slice(0, nl)));
        pending = pending.slice(nl + 1);
      }
    });
    try {
      await until(() => lines.some((l) => l.connection?.name === 'Office VPN'), 10_000);
      await sleep(300);
      fixture.write([{ name: 'Office VPN' }, { name: 'Branch office' }]);
      await until(() => lines.some((l) => l.type === 'added' && l.connection.name === 'Branch office'), 3000);
      assert.match(lines.find((l) => l.connection?.name === 'Branch office')!.connection.id, /^sc:00000000-0000-4000-8000-000000000002$/);
    } finally {
      child.kill('SIGINT');
      rmSync(fixtureDir, { recursive: true, force: true });
    }
  });
});
