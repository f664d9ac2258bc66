/**
 * The phone book and the dialler (ras-phonebook.ts) through the contract fake (fake-rasapi32-dial.c), one
 * documented behaviour per test. This file also runs under Windows Node in the Wine tier
 * (test/wine/ras-source.test.ts), over the DLL build of the same fake: RasDialFunc1 then arrives on a Windows
 * thread through koffi's Windows build.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import koffi from 'koffi';
import { rasDialParamsLayouts } from '../../../../electron/core/platforms/win32/ras-phonebook-structs';
import type { ConnectionSource, DialProgress } from '../../../../electron/core/platforms/source';
import { createRasSource } from '../../../../electron/core/platforms/win32/ras-source';
import { FAKE_ALL_USERS_PHONEBOOK, FAKE_SAVED_PASSWORD_PLACEHOLDER, FAKE_USER_PHONEBOOK, loadFakeRas } from '../../../support/fake-ras';
import { rejectsWith } from '../../../support/backend-errors';

const fake = loadFakeRas();
let source: ConnectionSource;

beforeEach(() => {
  fake.reset();
  source = createRasSource(fake.path);
});
afterEach(() => {
  source.close();
  fake.reset();
});

/** Dial `name` and collect every step reported on the way, the last one included. */
async function dial(name: string, s: ConnectionSource = source): Promise<{ steps: DialProgress[]; last: DialProgress }> {
  const steps: DialProgress[] = [];
  const last = await s.connect!(name, (step) => steps.push(step));
  return { steps: [...steps, last], last };
}

const live = async (s: ConnectionSource = source) => (await s.read({ counters: false })).map((c) => [c.name, c.state, c.phonebook]);

describe('RAS phone book: RasEnumEntriesW', () => {
  it('NULL phone book: the entries of the user\'s and the all-users\' books, each with its book', async () => {
    fake.addEntry({ name: 'Office VPN' });
    fake.addEntry({ name: 'Lab', allUsers: true });
    assert.deepEqual(await source.listEntries!(), [
      { name: 'Office VPN', scope: 'user', kind: 'vpn', phonebook: FAKE_USER_PHONEBOOK },
      { name: 'Lab', scope: 'allUsers', kind: 'vpn', phonebook: FAKE_ALL_USERS_PHONEBOOK },
    ]);
    assert.equal(fake.dialCalls('RasEnumEntriesW'), 2, 'the size probe, then the call');
  });

  it('no entries: the probe succeeds with a count of 0 and no second call is made', async () => {
    assert.deepEqual(await source.listEntries!(), []);
    assert.equal(fake.dialCalls('RasEnumEntriesW'), 1);
  });

  it('100 entries, in order, names intact (Unicode included)', async () => {
    for (let i = 0; i < 100; i++) fake.addEntry({ name: `VPN ${i} — Zürich ✓` });
    const entries = await source.listEntries!();
    assert.deepEqual(
      entries!.map((e) => e.name),
      Array.from({ length: 100 }, (_, i) => `VPN ${i} — Zürich ✓`),
    );
  });

  it('an older Windows (632 for RASENTRYNAMEW 0x500): falls back to 0x400, which has no book (the default one)', async () => {
    fake.addEntry({ name: 'Old' });
    fake.setEntriesMaxDwSize(520);
    assert.deepEqual(await source.listEntries!(), [{ name: 'Old', scope: 'user', kind: 'vpn', phonebook: null }]);
    const { last } = await dial('Old');
    assert.equal(last.phase, 'connected', 'and it still dials, from the default book');
  });

  it('an error from RasEnumEntriesW is a BackendError with its code and message', async () => {
    fake.dialFailNext('RasEnumEntriesW', 621);
    await rejectsWith(source.listEntries!(), 621, /RasEnumEntriesW failed: .*phone-book file cannot be opened.*621/);
  });

  it('the same name in both books: listed once, the user\'s entry (what rasdial dials)', async () => {
    fake.addEntry({ name: 'Twin', allUsers: true });
    fake.addEntry({ name: 'Twin' });
    assert.deepEqual(
      (await source.listEntries!())!.map((e) => [e.name, e.scope]),
      [['Twin', 'user']],
    );
  });
});

describe('RAS dialler: RasDialW with RasDialFunc1', () => {
  it('success after N states: every RASCS_* step in order, then connected, and the connection is in the live list', async () => {
    fake.addEntry({ name: 'Office VPN', states: 5, stepMs: 5 });
    await source.listEntries!();
    const { steps, last } = await dial('Office VPN');
    assert.deepEqual(
      steps.map((s) => [s.phase, s.detail]),
      [
        // RASCS_OpenPort as RasDialW returns (the notifier's own RASCS_OpenPort adds nothing new)
        ['dialling', 'RASCS_OpenPort'],
        ['dialling', 'RASCS_PortOpened'],
        ['dialling', 'RASCS_ConnectDevice'],
        ['dialling', 'RASCS_DeviceConnected'],
        ['dialling', 'RASCS_AllDevicesConnected'],
        ['connected', 'RASCS_Connected'],
      ],
    );
    assert.ok(steps.every((s) => s.connectionId === last.connectionId && /^ras:[0-9a-f]+$/.test(s.connectionId ?? '')));
    const connections = await source.read({ counters: false });
    assert.deepEqual(
      connections.map((c) => [c.id, c.name, c.state, c.phonebook]),
      [[last.connectionId, 'Office VPN', 'connected', FAKE_USER_PHONEBOOK]],
    );
  });

  it('the saved credentials are used: RasGetEntryDialParamsW before RasDialW, and its placeholder is accepted', async () => {
    fake.addEntry({ name: 'Office VPN', states: 6, stepMs: 1 });
    const { last } = await dial('Office VPN');
    assert.equal(last.phase, 'connected', 'past RASCS_Authenticate: the fake\'s server took the placeholder');
    // One while listing (issue 26: is a password saved, for Keep connected?), one to dial.
    assert.equal(fake.dialCalls('RasGetEntryDialParamsW'), 2);
    assert.equal(fake.dialCalls('RasDialW'), 1);
  });

  it('691 (the server rejects the saved credentials): failed with the RAS message and code, the handle hung up, Windows\' dialog named as unavailable', async () => {
    fake.addEntry({ name: 'Office VPN', outcome: 'fail', states: 6, error: 691, stepMs: 1 });
    const { steps, last } = await dial('Office VPN');
    assert.equal(last.phase, 'failed');
    assert.equal(last.error?.code, 691);
    assert.match(last.error!.message, /username or password is invalid.*Windows' connect dialog cannot be shown here \((rasdlg\.dll|Wine .*RasDialDlgW)/);
    assert.equal(steps.at(-2)?.phase, 'dialling');
    assert.equal(fake.calls('RasHangUpW'), 1, 'RasDial\'s docs: a failed dial\'s handle must be hung up');
    assert.deepEqual(await live(), [], 'and it is gone from the list');
  });

  it('633 (port busy) at RASCS_ConnectDevice: failed with code and message; the list stays as it was', async () => {
    const other = fake.add({ name: 'Already up' });
    fake.addEntry({ name: 'Modem', outcome: 'fail', states: 3, error: 633, stepMs: 1 });
    const { last } = await dial('Modem');
    assert.deepEqual([last.phase, last.detail, last.error?.code], ['failed', 'RASCS_ConnectDevice', 633]);
    assert.match(last.error!.message, /already in use or is not configured properly.*633/);
    assert.deepEqual(
      (await source.read({ counters: false })).map((c) => c.name),
      ['Already up'],
    );
    assert.ok(other);
  });

  it('623 (the entry was deleted since it was listed): a BackendError with the RAS code, nothing dialled', async () => {
    fake.addEntry({ name: 'Gone', outcome: 'gone' });
    await source.listEntries!();
    await rejectsWith(dial('Gone'), 623, /RasGetEntryDialParamsW for "Gone" failed: .*623/);
    assert.equal(fake.dialCalls('RasDialW'), 0);
    assert.deepEqual(await live(), []);
  });

  it('a name never listed is refused with 623, before any RAS call dials', async () => {
    fake.addEntry({ name: 'Office VPN' });
    await rejectsWith(dial('C:\\evil.pbk'), 623, /No phone-book entry named "C:\\evil\.pbk"/);
    assert.equal(fake.dialCalls('RasDialW'), 0);
  });

  it('a dial that hangs: cancel hangs up the handle RasDialW returned; no notification follows; it leaves the list', async () => {
    fake.addEntry({ name: 'Stuck', outcome: 'hang', states: 3, stepMs: 2 });
    const steps: DialProgress[] = [];
    let cancelled: Promise<void> | null = null;
    const last = await source.connect!('Stuck', (step) => {
      steps.push(step);
      if (step.detail === 'RASCS_ConnectDevice') cancelled ??= source.cancel!(step.connectionId!);
    });
    await cancelled;
    assert.deepEqual([last.phase, last.connectionId], ['cancelled', steps[0]!.connectionId]);
    const count = steps.length;
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.equal(steps.length, count, 'nothing after RasHangUpW');
    assert.deepEqual(await live(), []);
  });

  it('cancel of an id that is not a dial under way is EINVAL', async () => {
    await rejectsWith(source.cancel!('ras:1234'), 'EINVAL', /No dial under way/);
  });

  it('no saved password: Windows is asked through RasDialDlgW, and where rasdlg.dll is absent that is a clear error', async () => {
    fake.addEntry({ name: 'Ask me', saved: false });
    const { last } = await dial('Ask me');
    assert.deepEqual([last.phase, last.error?.code], ['failed', 'ENOCREDENTIALS']);
    assert.match(last.error!.message, /No password is saved for "Ask me"; Windows' connect dialog cannot be shown here/);
    assert.equal(fake.dialCalls('RasDialW'), 0, 'Linkwatch never dials without credentials');
  });

  it('an older Windows (632 for RASDIALPARAMSW 0x601): falls back to 0x401', async () => {
    fake.addEntry({ name: 'Office VPN' });
    fake.setEntriesMaxDwSize(0, process.arch === 'ia32' ? 2104 : 2108);
    const { last } = await dial('Office VPN');
    assert.equal(last.phase, 'connected');
  });

  it('RasDialW failing at once (633): failed, no handle to hang up', async () => {
    fake.addEntry({ name: 'Office VPN' });
    await source.listEntries!();
    fake.dialFailNext('RasDialW', 633);
    const { steps, last } = await dial('Office VPN');
    assert.deepEqual(
      steps.map((s) => [s.phase, s.error?.code ?? null]),
      [['failed', 633]],
    );
    assert.equal(last.connectionId, null);
  });

  it('no password, nor the placeholder standing in for one, ever appears in what the dialler reports', async () => {
    fake.addEntry({ name: 'A', states: 6, stepMs: 1 });
    fake.addEntry({ name: 'B', outcome: 'fail', states: 6, error: 691, stepMs: 1 });
    const reported = JSON.stringify([await dial('A'), await dial('B'), await source.listEntries!(), await source.read({ counters: false })]);
    assert.ok(!reported.includes(FAKE_SAVED_PASSWORD_PLACEHOLDER), reported);
  });
});

describe('the fake\'s RasDialW without a notifier (synchronous, as the docs describe it)', () => {
  /** RasDialW(NULL, NULL, params, 0, NULL, &h) for `name` with the saved placeholder, as a caller without a notifier. */
  function dialSync(name: string): { rc: number; handle: bigint } {
    const lib = koffi.load(fake.path);
    const rasDialW = lib.func('__stdcall', 'RasDialW', 'uint32', ['void *', 'str16', 'void *', 'uint32', 'void *', 'void *']);
    const layout = rasDialParamsLayouts()[0]!;
    const params = Buffer.alloc(layout.size);
    params.writeUInt32LE(layout.size, 0);
    Buffer.from(`${name}\0`, 'utf16le').copy(params, layout.offsets.szEntryName!);
    Buffer.from(`${FAKE_SAVED_PASSWORD_PLACEHOLDER}\0`, 'utf16le').copy(params, layout.offsets.szPassword!);
    const out = Buffer.alloc(8);
    const rc: number = rasDialW(null, null, params, 0, null, out);
    return { rc, handle: process.arch === 'ia32' ? BigInt(out.readUInt32LE(0)) : out.readBigUInt64LE(0) };
  }

  it('returns only when the dial has ended: 0 and a connected handle, or the error with a handle still to hang up', async () => {
    fake.addEntry({ name: 'Sync', states: 3, stepMs: 5 });
    fake.addEntry({ name: 'Busy', outcome: 'fail', states: 3, error: 633, stepMs: 1 });
    const ok = dialSync('Sync');
    assert.equal(ok.rc, 0);
    assert.ok(ok.handle !== 0n);
    const busy = dialSync('Busy');
    assert.equal(busy.rc, 633);
    assert.ok(busy.handle !== 0n, 'RasDial\'s docs: a failed dial still hands back a handle the caller must hang up');
    assert.deepEqual(
      (await source.read({ counters: false })).map((c) => [c.name, c.state, c.lastError?.code ?? null]),
      [
        ['Sync', 'connected', null],
        ['Busy', 'disconnected', 633],
      ],
    );
    assert.deepEqual(dialSync('Nowhere'), { rc: 623, handle: 0n });
  });
});
