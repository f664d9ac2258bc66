/**
 * The RAS backend through the contract fake (test/fixtures/fake-rasapi32.c), one documented behaviour per test;
 * and over the fake's lying mode (outside the contract): the counterexamples of issue 12's fuzzing.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, beforeEach, describe, it } from 'node:test';
import { createSource } from '../../../../electron/core/platforms/index';
import type { ConnectionSource, SourceConnection } from '../../../../electron/core/platforms/source';
import { ConnectionMonitor } from '../../../../electron/core/monitor';
import { MAX_ENUM_RETRIES, MAX_RAS_ENUM_ITEMS, maxEnumBytes } from '../../../../electron/core/platforms/win32/ras-enum-bounds';
import { createRasSource } from '../../../../electron/core/platforms/win32/ras-source';
import { MISSED_SIGNAL_GRACE_MS } from '../../../../electron/core/platforms/win32/ras-notify';
import { rasConnLayouts } from '../../../../electron/core/platforms/win32/ras-structs';
import { RASCONNSTATE_NAMES } from '../../../../electron/core/platforms/win32/ras-states';
import { RASCS, fakeRasConnectionId, loadFakeRas, writeFakeRasState } from '../../../support/fake-ras';
import { rejectsWith } from '../../../support/backend-errors';

const fake = loadFakeRas();
const OPTIONS = { counters: false };
// This file also runs under Windows Node in the Wine tier (test/wine/ras-source.test.ts), over the DLL build of
// the same fake: the few platform facts differ, the bodies do not.
const windows = process.platform === 'win32';
const MISSING_LIBRARY = windows ? 'C:\\nonexistent\\rasapi32.dll' : '/nonexistent/rasapi32.so';
const NOT_RASAPI = windows ? 'kernel32.dll' : 'libm.so.6';
const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
let source: ConnectionSource;

beforeEach(() => {
  fake.reset();
  source = createRasSource(fake.path);
});
afterEach(() => {
  source.close();
  fake.reset();
});

const read = (s: ConnectionSource = source): Promise<SourceConnection[]> => s.read(OPTIONS);

describe('RAS source: loading', () => {
  it('a library that cannot be loaded is a BackendError ELOAD naming the path, on read, not on creation', async () => {
    const missing = createRasSource(MISSING_LIBRARY);
    await rejectsWith(read(missing), 'ELOAD', new RegExp(escape(MISSING_LIBRARY)));
    missing.close();
  });

  it('a library without RasEnumConnectionsW is ELOAD too', async () => {
    const wrong = createRasSource(NOT_RASAPI);
    await rejectsWith(read(wrong), 'ELOAD', new RegExp(`${escape(NOT_RASAPI)} lacks a required function`));
    wrong.close();
  });

  it('LINKWATCH_RASAPI picks this backend on any OS, and the test and the core share one fake instance', async () => {
    const handle = fake.add({ name: 'Shared' });
    const picked = createSource({ LINKWATCH_RASAPI: fake.path }, 'linux');
    assert.equal(picked.backend, 'rasapi32');
    assert.deepEqual(
      (await read(picked)).map((c) => c.id),
      [fakeRasConnectionId(handle)],
    );
    picked.close();
  });
});

describe('RAS source: RasEnumConnectionsW', () => {
  it('probes the size with a NULL buffer and *lpcb = 0, allocates, sets the first dwSize, calls again', async () => {
    fake.add({ name: 'Office VPN' });
    const connections = await read();
    assert.equal(connections.length, 1);
    assert.deepEqual(fake.enumLog(), [
      { hadBuffer: false, cbIn: 0, dwSize: 0, result: 603, cbOut: 1388, countOut: 1 },
      { hadBuffer: true, cbIn: fake.enumLog()[1]!.cbIn, dwSize: 1388, result: 0, cbOut: 1388, countOut: 1 },
    ]);
    assert.ok(fake.enumLog()[1]!.cbIn >= 1388);
    assert.equal(fake.calls('RasGetConnectStatusW'), 1);
  });

  it('zero connections: the probe succeeds with a count of 0 and no second call is made', async () => {
    assert.deepEqual(await read(), []);
    assert.deepEqual(fake.enumLog(), [{ hadBuffer: false, cbIn: 0, dwSize: 0, result: 0, cbOut: 0, countOut: 0 }]);
    assert.equal(fake.calls('RasGetConnectStatusW'), 0);
  });

  it('256 connections, each with its own stable id', async () => {
    const handles = Array.from({ length: 256 }, (_, i) => fake.add({ name: `VPN ${i + 1}` }));
    const first = await read();
    assert.equal(first.length, 256);
    assert.deepEqual(
      first.map((c) => c.id),
      handles.map(fakeRasConnectionId),
    );
    assert.deepEqual(
      first.map((c) => c.name),
      handles.map((_, i) => `VPN ${i + 1}`),
    );
    assert.deepEqual(
      (await read()).map((c) => c.id),
      first.map((c) => c.id),
    );
  });

  it('a connection appearing between the probe and the call (603 again): retries with the new size', async () => {
    fake.add({ name: 'First' });
    fake.growBetweenCalls(1);
    const connections = await read();
    assert.equal(connections.length, 2);
    assert.deepEqual(
      fake.enumLog().map((call) => call.result),
      [603, 603, 0],
    );
  });

  it(`connections that keep appearing: gives up after ${MAX_ENUM_RETRIES} retries with a 603 BackendError, never loops`, async () => {
    fake.add({ name: 'First' });
    fake.growBetweenCalls(1000);
    await rejectsWith(read(), 603, /RasEnumConnectionsW.*ERROR_BUFFER_TOO_SMALL/);
    assert.equal(fake.calls('RasEnumConnectionsW'), 1 + 1 + MAX_ENUM_RETRIES);
  });

  for (const [max, sizes] of [
    [1372, [1388, 1372]],
    [1360, [1388, 1372, 1360]],
  ] as const) {
    it(`an older Windows answering 632 ERROR_INVALID_SIZE: falls back ${sizes.join(' → ')}, and remembers it`, async () => {
      fake.setMaxDwSize(max);
      fake.add({ name: 'Old VPN', phonebook: 'C:\\pbk\\a.pbk' });
      fake.add({ name: 'Old modem', deviceType: 'modem' });
      const connections = await read();
      assert.deepEqual(
        connections.map((c) => [c.name, c.phonebook, c.kind]),
        [
          ['Old VPN', 'C:\\pbk\\a.pbk', 'vpn'],
          ['Old modem', null, 'dialup'],
        ],
      );
      const calls = fake.enumLog();
      assert.deepEqual(
        calls.filter((c) => c.hadBuffer).map((c) => [c.dwSize, c.result]),
        sizes.map((size) => [size, size === max ? 0 : 632]),
      );
      assert.equal(calls[0]!.cbOut, 2 * max, 'the probe answers with the newest size this Windows knows');

      fake.reset();
      fake.setMaxDwSize(max);
      fake.add({ name: 'Old VPN' });
      await read();
      assert.deepEqual(
        fake.enumLog().map((c) => [c.dwSize, c.result]),
        [
          [0, 603],
          [max, 0],
        ],
      );
    });
  }

  it('no RASCONNW size accepted at all: a 632 BackendError', async () => {
    fake.setMaxDwSize(1000);
    fake.add({ name: 'x' });
    await rejectsWith(read(), 632, /ERROR_INVALID_SIZE/);
  });

  it('any other error is a BackendError with the code and the library\'s message (RasGetErrorStringW)', async () => {
    fake.add({ name: 'x' });
    fake.failNext('RasEnumConnectionsW', 668);
    await rejectsWith(read(), 668, /^RasEnumConnectionsW failed: The connection was terminated \(fake rasapi32\)\. \(ERROR_NO_CONNECTION, 668\)$/);
    assert.equal((await read()).length, 1, 'the next read works again');
  });

  it('a code the library cannot describe gets the built-in message', async () => {
    fake.add({ name: 'x' });
    fake.failNext('RasEnumConnectionsW', 5);
    await rejectsWith(read(), 5, /Access is denied\. \(ERROR_ACCESS_DENIED, 5\)/);
  });
});

describe('RAS source: strings', () => {
  it('dialled without a phone-book entry: "." + number → adHoc, phoneNumber, shown by the number', async () => {
    fake.add({ name: '.0800123456', deviceType: 'modem', deviceName: 'Standard 56000 bps Modem' });
    const [c] = await read();
    assert.equal(c!.adHoc, true);
    assert.equal(c!.phoneNumber, '0800123456');
    assert.equal(c!.name, '.0800123456');
    assert.equal(c!.kind, 'dialup');
  });

  it('strings filling their whole field (no NUL) decode exactly the field: the next field does not leak in', async () => {
    fake.add({ name: 'N'.repeat(300), deviceType: 'T'.repeat(40), deviceName: 'D'.repeat(200), phonebook: 'P'.repeat(400) });
    const [c] = await read();
    assert.equal(c!.name, 'N'.repeat(257));
    assert.equal(c!.deviceType, 'T'.repeat(17));
    assert.equal(c!.deviceName, 'D'.repeat(129));
    assert.equal(c!.phonebook, 'P'.repeat(260));
  });

  it('non-ASCII names survive the round trip', async () => {
    fake.add({ name: 'Büro 東京 🔒', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)' });
    const [c] = await read();
    assert.equal(c!.name, 'Büro 東京 🔒');
    assert.equal(c!.kind, 'broadband');
  });
});

describe('RAS source: RasGetConnectStatusW', () => {
  it('maps every RASCONNSTATE value to the state, with the RASCS_ name as detail', async () => {
    const values = [...RASCONNSTATE_NAMES.keys()];
    for (const value of values) fake.add({ name: `s${value}`, state: value });
    const connections = await read();
    const expected = (value: number) => (value === 0x2000 ? 'connected' : value === 0x2001 ? 'disconnected' : value >= 0x1000 ? 'paused' : 'connecting');
    assert.deepEqual(
      connections.map((c) => [c.state, c.stateDetail]),
      values.map((value) => [expected(value), RASCONNSTATE_NAMES.get(value)]),
    );
  });

  it('an unknown state is connecting, named by its number', async () => {
    fake.add({ name: 'future', state: 0x3000 });
    const [c] = await read();
    assert.deepEqual([c!.state, c!.stateDetail], ['connecting', 'RASCONNSTATE 0x3000 (12288)']);
  });

  it('dwError is kept as lastError {code, message}; 0 is null', async () => {
    fake.add({ name: 'failing', state: RASCS.Disconnected, error: 691 });
    fake.add({ name: 'fine' });
    const [failing, fine] = await read();
    assert.deepEqual(failing!.lastError, {
      code: 691,
      message: 'Access was denied because the username or password is invalid (fake rasapi32). (ERROR_AUTHENTICATION_FAILURE, 691)',
    });
    assert.equal(fine!.lastError, null);
  });

  it('a handle that vanished between enumerate and status (6) drops that connection, without an error', async () => {
    const a = fake.add({ name: 'a' });
    const b = fake.add({ name: 'b' });
    const c = fake.add({ name: 'c' });
    fake.vanishOnStatus(b);
    assert.deepEqual(
      (await read()).map((x) => x.id),
      [a, c].map(fakeRasConnectionId),
    );
  });

  it('RASCONNSTATUSW falls back 608 → 564 on 632 too', async () => {
    fake.setMaxDwSize(0, 564);
    fake.add({ name: 'old status' });
    const [c] = await read();
    assert.equal(c!.state, 'connected');
    assert.equal(fake.calls('RasGetConnectStatusW'), 2);
    await read();
    assert.equal(fake.calls('RasGetConnectStatusW'), 3, 'remembers 564');
  });

  it('another status error is a BackendError with its code', async () => {
    fake.add({ name: 'x' });
    fake.failNext('RasGetConnectStatusW', 8);
    await rejectsWith(read(), 8, /^RasGetConnectStatusW failed: .*ERROR_NOT_ENOUGH_MEMORY, 8/);
  });
});

describe('RAS source: RasHangUpW', () => {
  it('canDisconnect is true; hangUp returns once RasGetConnectStatusW says ERROR_INVALID_HANDLE; the connection is gone', async () => {
    const keep = fake.add({ name: 'keep' });
    const drop = fake.add({ name: 'drop' });
    const connections = await read();
    assert.ok(connections.every((c) => c.canDisconnect));
    fake.setHangUpPolls(3);
    const statusBefore = fake.calls('RasGetConnectStatusW');
    await source.hangUp!(fakeRasConnectionId(drop));
    assert.equal(fake.calls('RasHangUpW'), 1);
    assert.equal(fake.calls('RasGetConnectStatusW') - statusBefore, 4, 'polled until the handle was invalid');
    assert.deepEqual(
      (await read()).map((c) => c.id),
      [fakeRasConnectionId(keep)],
    );
  });

  it('hanging up a connection that is already gone succeeds; a malformed id is EINVAL; a failure is a BackendError', async () => {
    await source.hangUp!(fakeRasConnectionId(0xc0de0000deadbeefn));
    await rejectsWith(source.hangUp!('nl:3'), 'EINVAL');
    const h = fake.add({ name: 'x' });
    fake.failNext('RasHangUpW', 5);
    await rejectsWith(source.hangUp!(fakeRasConnectionId(h)), 5, /RasHangUpW failed/);
  });
});

describe('RAS source: a library without RasGetErrorStringW and RasHangUpW', () => {
  const minimal = loadFakeRas('minimal');

  it('degrades: canDisconnect false, built-in error messages, hangUp refused with ENOTSUP, no push, counters or addresses', async () => {
    minimal.reset();
    const h = minimal.add({ name: 'x', state: RASCS.Disconnected, error: 691 });
    minimal.add({ name: 'y' });
    const degraded = createRasSource(minimal.path);
    try {
      const [c, d] = await degraded.read({ counters: true });
      assert.equal(c!.canDisconnect, false);
      assert.match(c!.lastError!.message, /user name or password.*\(ERROR_AUTHENTICATION_FAILURE, 691\)/);
      assert.deepEqual([d!.bytesIn, d!.addresses], [null, []]);
      await rejectsWith(degraded.hangUp!(fakeRasConnectionId(h)), 'ENOTSUP', /no RasHangUpW/);
      assert.throws(() => degraded.watch!(() => {}), /no RasConnectionNotificationW/);
    } finally {
      degraded.close();
      minimal.reset();
    }
  });
});

describe('RAS source: FAKE_RAS_STATE (cross-process control)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-ras-state-'));
  const file = join(dir, 'state.tsv');
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('the fake re-reads the file when it changes; ids follow the handles in the file', async () => {
    process.env.FAKE_RAS_STATE = file;
    try {
      fake.reset();
      writeFakeRasState(file, [
        { handle: 0x10, name: 'From file', phonebook: 'C:\\pbk\\x.pbk' },
        { handle: 0x20, name: '.5551234', deviceType: 'modem', state: RASCS.Authenticate, error: 691 },
      ]);
      const first = await read();
      assert.deepEqual(
        first.map((c) => [c.id, c.name, c.state, c.adHoc]),
        [
          ['ras:10', 'From file', 'connected', false],
          ['ras:20', '.5551234', 'connecting', true],
        ],
      );
      writeFakeRasState(file, [{ handle: 0x20, name: '.5551234', deviceType: 'modem' }], { maxDwSize: [1360, 564] });
      assert.deepEqual(
        (await read()).map((c) => [c.id, c.state]),
        [['ras:20', 'connected']],
      );
      rmSync(file);
      assert.deepEqual(await read(), [], 'a missing file means no connections');
    } finally {
      delete process.env.FAKE_RAS_STATE;
      fake.reset();
    }
  });

  // Under Wine the other process is the CLI, run end to end by test/wine/cli-wine.test.ts.
  it('another process sees the connections written to the file', { skip: windows && 'under Wine: test/wine/cli-wine.test.ts' }, () => {
    writeFakeRasState(file, [{ handle: 0xabc, name: 'Other process' }]);
    const script = `
      import { createSource } from ${JSON.stringify(join(process.cwd(), 'electron/core/platforms/index.ts'))};
      const s = createSource();
      console.log(JSON.stringify((await s.read({ counters: false })).map((c) => [c.id, c.name])));
      s.close();`;
    const out = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '-e', script], {
      env: { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: file },
      encoding: 'utf8',
    });
    assert.deepEqual(JSON.parse(out), [['ras:abc', 'Other process']]);
  });
});

/** Resolves once `condition` holds; throws after `timeoutMs` (these machines are noisy: no fixed sleeps). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

describe('RAS source: RasConnectionNotificationW (push)', () => {
  it('registers once for every connection, is signalled on connect and disconnect, not on dialling progress, and stops', async () => {
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      assert.equal(fake.calls('RasConnectionNotificationW'), 1);
      const h = fake.add({ name: 'Office VPN', state: RASCS.ConnectDevice });
      fake.setState(h, RASCS.Authenticate);
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(changes, 0, 'RASCS_* progress is not a RASCN_ event');
      fake.setState(h, RASCS.Connected);
      await eventually(() => changes === 1, 'the RASCN_Connection signal');
      fake.remove(h);
      await eventually(() => changes === 2, 'the RASCN_Disconnection signal');
    } finally {
      unwatch();
    }
    fake.add({ name: 'After stop' });
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(changes, 2, 'nothing after the stop');
  });

  it('the wait blocks until RAS signals or the watch stops: no periodic wake-up while nothing changes (issue 23)', async (t) => {
    if (process.platform === 'win32') return t.skip('the DLL waits with Windows\' own WaitForMultipleObjects, which the fake cannot count');
    const before = fake.calls('WaitForMultipleObjects');
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      await new Promise((resolve) => setTimeout(resolve, 2500));
      assert.equal(fake.calls('WaitForMultipleObjects') - before, 1, 'one wait for 2.5 s of nothing (1 s slices made 3)');
      fake.add({ name: 'Office VPN' });
      await eventually(() => changes === 1, 'the signal');
      assert.equal(fake.calls('WaitForMultipleObjects') - before, 2, 'one more wait per signal');
    } finally {
      unwatch();
    }
  });

  it('where RasMan keeps every registration (Windows 10): ten changes, each signalled, and still one registration', async () => {
    let changes = 0;
    const unwatch = source.watch!(() => {
      changes++;
      void source.read({ counters: false }); // as the monitor does on each signal
    });
    try {
      for (let i = 1; i <= 10; i++) {
        const h = fake.add({ name: `VPN ${i}` });
        await eventually(() => changes === 2 * i - 1, `connection ${i}`);
        fake.remove(h);
        await eventually(() => changes === 2 * i, `disconnection ${i}`);
      }
      await new Promise((resolve) => setTimeout(resolve, MISSED_SIGNAL_GRACE_MS + 200));
      assert.equal(fake.calls('RasConnectionNotificationW'), 1, 'never registered again: each registration would stay in RasMan for good');
      assert.equal(fake.registrations(), 1);
    } finally {
      unwatch();
    }
  });

  it('where a registration fires only once (Windows 11): the change no signal announced is seen by a read, the registration is renewed, and every later change is signalled', async () => {
    fake.setNotifyOnce(true);
    let changes = 0;
    const unwatch = source.watch!(() => {
      changes++;
      void source.read({ counters: false });
    });
    try {
      await read();
      fake.add({ name: 'VPN 1' });
      await eventually(() => changes === 1, 'the first signal');
      assert.equal(fake.registrations(), 0, 'used up by its firing');
      fake.add({ name: 'VPN 2' });
      await new Promise((resolve) => setTimeout(resolve, 100));
      assert.equal(changes, 1, 'no signal for the second change');
      // A read (the adapters' push, the safety read) sees what RAS did not signal: after the grace, register again.
      assert.equal((await read()).length, 2);
      await eventually(() => fake.registrations() === 1, 'the registration renewed', MISSED_SIGNAL_GRACE_MS + 2000);
      for (let i = 3; i <= 6; i++) {
        fake.add({ name: `VPN ${i}` });
        await eventually(() => changes === i - 1, `signal ${i}`);
        await eventually(() => fake.registrations() === 1, `registration renewed after signal ${i}`);
      }
      assert.equal(fake.calls('RasConnectionNotificationW'), 6, 'once at the start, once on learning, then one per signal');
    } finally {
      unwatch();
    }
  });

  it('signals when another process rewrites FAKE_RAS_STATE (the library watches the file on its own thread)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'linkwatch-ras-push-'));
    const file = join(dir, 'state.tsv');
    process.env.FAKE_RAS_STATE = file;
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      writeFakeRasState(file, [{ handle: 0x77, name: 'From file' }]);
      await eventually(() => changes >= 1, 'the signal of a connection written to the file');
      assert.deepEqual(
        (await read()).map((c) => c.id),
        ['ras:77'],
      );
      writeFakeRasState(file, []);
      await eventually(() => changes >= 2, 'the signal of its removal');
    } finally {
      unwatch();
      delete process.env.FAKE_RAS_STATE;
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a refused registration throws the RAS error, so that the monitor polls', () => {
    fake.failNext('RasConnectionNotificationW', 1);
    assert.throws(() => source.watch!(() => {}), (error: Error & { code?: unknown }) => error.code === 1 && /RasConnectionNotificationW failed/.test(error.message));
  });

  it('a re-registration refused later calls onUnavailable once, after one last change', async () => {
    fake.setNotifyOnce(true);
    let changes = 0;
    const failures: unknown[] = [];
    source.watch!(
      () => changes++,
      (error) => failures.push(error.code),
    );
    await read();
    fake.add({ name: 'x' });
    await eventually(() => changes === 1, 'the first signal');
    await read();
    fake.add({ name: 'y' }); // not signalled: the registration was used up
    fake.failNext('RasConnectionNotificationW', 5);
    await read();
    await eventually(() => failures.length === 1, 'onUnavailable', MISSED_SIGNAL_GRACE_MS + 2000);
    assert.deepEqual(failures, [5]);
    assert.equal(changes, 2, 'one last change before giving up');
  });
});

describe('RAS source: RasGetConnectionStatistics (counters)', () => {
  it('counters and connectedSince only when asked; bytes from the 32-bit counters; connectedSince from dwConnectDuration, stable', async () => {
    const h = fake.add({ name: 'Office VPN', traffic: { bytesIn: 5000, bytesOut: 700, connectedMs: 60_000 } });
    const [quiet] = await read();
    assert.deepEqual([quiet!.bytesIn, quiet!.bytesOut, quiet!.upSince ?? null], [null, null, null]);
    assert.equal(fake.calls('RasGetConnectionStatistics'), 0, 'nobody wants counters: no call');
    const before = Date.now();
    const [loud] = await source.read({ counters: true });
    assert.deepEqual([loud!.bytesIn, loud!.bytesOut], [5000, 700]);
    assert.ok(Math.abs(loud!.upSince! - (before - 60_000)) < 2000, `upSince ${loud!.upSince} vs ${before - 60_000}`);
    fake.setTraffic(h, { bytesIn: 9000, bytesOut: 800, connectedMs: 60_050 });
    const [again] = await source.read({ counters: true });
    assert.equal(again!.upSince, loud!.upSince, 'the same moment, not a jitter of a few ms');
    assert.equal(again!.bytesIn, 9000);
  });

  it('a counter wrapping past 4 GiB keeps counting up, neither negative nor a jump', async () => {
    const h = fake.add({ name: 'Big', traffic: { bytesIn: 2 ** 32 - 1000, bytesOut: 0 } });
    assert.equal((await source.read({ counters: true }))[0]!.bytesIn, 2 ** 32 - 1000);
    fake.setTraffic(h, { bytesIn: 2 ** 32 + 5000, bytesOut: 0 }); // the fake reports 5000
    assert.equal((await source.read({ counters: true }))[0]!.bytesIn, 2 ** 32 + 5000);
  });

  it('a failure (635, as Wine answers) leaves that connection\'s counters null and the list without error', async () => {
    fake.add({ name: 'a', traffic: { bytesIn: 1, bytesOut: 2 } });
    fake.failNext('RasGetConnectionStatistics', 635);
    const [c] = await source.read({ counters: true });
    assert.deepEqual([c!.name, c!.bytesIn, c!.bytesOut], ['a', null, null]);
  });
});

describe('RAS source: addresses (RasGetProjectionInfoEx, RasGetProjectionInfoW)', () => {
  it('IKEv2: IPv4 and IPv6 with its prefix, from RasGetProjectionInfoEx, read once per connection', async () => {
    fake.add({ name: 'IKEv2', projection: { kind: 'ikev2', ipv4: '10.8.0.2', ipv6: 'fd00:1::2', prefixLength: 64 } });
    assert.deepEqual((await read())[0]!.addresses, ['10.8.0.2/32', 'fd00:1::2/64']);
    await read();
    assert.equal(fake.calls('RasGetProjectionInfoEx'), 1, 'addresses do not change for the life of a RAS connection');
  });

  it('IKEv2 with server addresses: 603 with the size needed, retried with that size, and the addresses read', async () => {
    fake.add({ name: 'IKEv2', projection: { kind: 'ikev2', ipv4: '10.8.0.2', ipv6: 'fd00:1::2', prefixLength: 64, serverAddresses: 4 } });
    assert.deepEqual((await read())[0]!.addresses, ['10.8.0.2/32', 'fd00:1::2/64']);
    assert.equal(fake.calls('RasGetProjectionInfoEx'), 2, 'the call, then the retry with the size it asked for');
    await read();
    assert.equal(fake.calls('RasGetProjectionInfoEx'), 2, 'kept once read');
  });

  it('a failed RasGetProjectionInfoEx is not kept as "no addresses": the next read asks again', async () => {
    fake.add({ name: 'IKEv2', projection: { kind: 'ikev2', ipv4: '10.8.0.2' } });
    fake.failNext('RasGetProjectionInfoEx', 1722);
    assert.deepEqual((await read())[0]!.addresses, []);
    assert.deepEqual((await read())[0]!.addresses, ['10.8.0.2/32']);
  });

  it('PPP: IPv4 and the IPv6CP link-local address; a failed IPv6 negotiation gives IPv4 only', async () => {
    fake.add({ name: 'PPP', projection: { kind: 'ppp', ipv4: '192.0.2.7', ipv6: '::1234:5678:9abc:def0' } });
    fake.add({ name: 'PPP v4', projection: { kind: 'ppp', ipv4: '192.0.2.8', ipv6: '::1', ipv6Error: 733 } });
    assert.deepEqual(
      (await read()).map((c) => c.addresses),
      [['192.0.2.7/32', 'fe80::1234:5678:9abc:def0/64'], ['192.0.2.8/32']],
    );
  });

  it('none while dialling (730) or when nothing was negotiated (731); read once it is connected', async () => {
    const h = fake.add({ name: 'Dialling', state: RASCS.Authenticate, projection: { kind: 'ikev2', ipv4: '10.0.0.9' } });
    fake.add({ name: 'Nothing' });
    assert.deepEqual(
      (await read()).map((c) => c.addresses),
      [[], []],
    );
    fake.setState(h, RASCS.Connected);
    assert.deepEqual((await read())[0]!.addresses, ['10.0.0.9/32']);
  });

  it('where RasGetProjectionInfoEx is missing (before Windows 7, Wine): RasGetProjectionInfoW RASP_PppIp and RASP_PppIpv6', async () => {
    const legacy = loadFakeRas('legacy');
    legacy.reset();
    legacy.add({ name: 'Old PPP', projection: { kind: 'ppp', ipv4: '198.51.100.4', ipv6: '::a:b:c:d' } });
    const old = createRasSource(legacy.path);
    try {
      assert.deepEqual((await read(old))[0]!.addresses, ['198.51.100.4/32', 'fe80::a:b:c:d/64']);
      assert.equal(legacy.calls('RasGetProjectionInfoEx'), 0);
      assert.equal(legacy.calls('RasGetProjectionInfoW'), 2);
    } finally {
      old.close();
      legacy.reset();
    }
  });
});

describe('RAS source: RasHangUpW that does not finish', () => {
  it('a handle still valid when the wait ends is "still closing" (ECLOSING), not a success', async () => {
    const h = fake.add({ name: 'Stuck' });
    fake.setHangUpPolls(1_000_000);
    const quick = createRasSource(fake.path, { hangUpWaitMs: 150 });
    try {
      await rejectsWith(quick.hangUp!(fakeRasConnectionId(h)), 'ECLOSING', /still closing after 150 ms/);
      assert.equal(fake.calls('RasHangUpW'), 1);
    } finally {
      quick.close();
    }
  });
});

describe('RAS source: a library that lies about sizes and counts (issue 12)', () => {
  const STRIDE = rasConnLayouts()[0]!.size;

  it('a successful call reporting more connections than the buffer holds is EPROTO, not a RangeError', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ okCount: 2 });
    await rejectsWith(read(), 'EPROTO', new RegExp(`reported 2 connections, but the ${STRIDE}-byte buffer it filled holds at most 1 of ${STRIDE} bytes`));
  });

  it('a successful call reporting 2^32-1 connections is EPROTO, not ERR_OUT_OF_RANGE', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ okCount: 0xffffffff });
    await rejectsWith(read(), 'EPROTO', /reported 4294967295 connections/);
  });

  it('a probe answering *lpcb = 0xFFFFFFFF is EPROTO before anything is allocated: no second call is made', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ probeCb: 0xffffffff });
    const before = process.memoryUsage().arrayBuffers;
    await rejectsWith(read(), 'EPROTO', new RegExp(`asked for a 4294967295-byte buffer, more than the ${maxEnumBytes(STRIDE)} bytes`));
    assert.deepEqual(
      fake.enumLog().map((call) => call.hadBuffer),
      [false],
      'only the NULL-buffer probe',
    );
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, 'no 4 GiB buffer');
  });

  it('a probe answering a count of 2^32-1 is EPROTO', async () => {
    fake.add({ name: 'Office VPN' });
    fake.lie({ probeCount: 0xffffffff });
    await rejectsWith(read(), 'EPROTO', new RegExp(`reported 4294967295 connections, more than the ${MAX_RAS_ENUM_ITEMS}`));
    assert.equal(fake.enumLog().length, 1);
  });

  it(`${MAX_RAS_ENUM_ITEMS} connections are read; one more is EPROTO (the documented bound)`, async () => {
    for (let i = 0; i < MAX_RAS_ENUM_ITEMS; i++) fake.add({ name: `VPN ${i}` });
    assert.equal((await read()).length, MAX_RAS_ENUM_ITEMS);
    fake.add({ name: 'one too many' });
    await rejectsWith(read(), 'EPROTO', new RegExp(`reported ${MAX_RAS_ENUM_ITEMS + 1} connections`));
  });

  it('the monitor shows the error as data, keeps the last good list, and recovers when the library stops lying', async () => {
    const handle = fake.add({ name: 'Office VPN' });
    const monitor = new ConnectionMonitor(source, { platform: 'win32' });
    try {
      const good = await monitor.refresh();
      assert.deepEqual(
        good.connections.map((c) => c.id),
        [fakeRasConnectionId(handle)],
      );
      for (const lie of [{ okCount: 7 }, { probeCb: 0xffffffff }, { probeCount: 0xffffffff }, { okCount: 0xffffffff }]) {
        fake.lie(lie);
        const bad = await monitor.refresh();
        assert.equal(bad.error?.code, 'EPROTO', JSON.stringify(lie));
        assert.match(bad.error.message, /RasEnumConnectionsW .*not believable/);
        assert.deepEqual(
          bad.connections.map((c) => c.name),
          ['Office VPN'],
          'the last good list is kept',
        );
      }
      fake.lie({});
      const recovered = await monitor.refresh();
      assert.equal(recovered.error, null);
      assert.deepEqual(
        recovered.connections.map((c) => c.name),
        ['Office VPN'],
      );
    } finally {
      monitor.close();
      source = createRasSource(fake.path); // monitor.close() closed the source; afterEach closes this one
    }
  });
});
