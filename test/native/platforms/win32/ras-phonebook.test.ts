/**
 * The phone book and the dialler (ras-phonebook.ts) through the contract fake (fake-rasapi32-dial.c), one
 * documented behaviour per test. This file also runs under Windows Node in the Wine tier
 * (test/wine/ras-source.test.ts), over the DLL build of the same fake: RasDialFunc1 then arrives on a Windows
 * thread through koffi's Windows build.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import koffi from 'koffi';
import { rasDialParamsLayouts, rasEntryNameLayouts } from '../../../../electron/core/platforms/win32/ras-phonebook-structs';
import { MAX_RAS_ENUM_ITEMS, maxEnumBytes } from '../../../../electron/core/platforms/win32/ras-enum-bounds';
import type { ConnectionSource, DialProgress } from '../../../../electron/core/platforms/source';
import { createRasSource } from '../../../../electron/core/platforms/win32/ras-source';
import { rasphoneDialer } from '../../../../electron/core/platforms/win32/ras-phonebook';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FAKE_ALL_USERS_PHONEBOOK, FAKE_SAVED_PASSWORD_PLACEHOLDER, FAKE_USER_PHONEBOOK, RASCS, fakeRasConnectionId, loadFakeRas, writeFakeRasState } from '../../../support/fake-ras';
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

/** RasDialW(NULL, NULL, params, 0, NULL, &h) for `name` with the saved placeholder: a caller without a notifier. */
function dialRaw(name: string): { rc: number; handle: bigint } {
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

describe('RAS phone book: a library that lies (issue 28: the same bounds and errors as for connections)', () => {
  const STRIDE = rasEntryNameLayouts()[0]!.size;

  it('a successful call reporting more entries than its buffer holds is EPROTO, not a decoding error', async () => {
    fake.addEntry({ name: 'Office VPN' });
    fake.entriesLie({ okCount: 2 });
    await rejectsWith(source.listEntries!(), 'EPROTO', new RegExp(`RasEnumEntriesW reported 2 entries, but the ${STRIDE}-byte buffer it filled holds at most 1`));
  });

  it('a probe answering *lpcb = 2^32-1 is EPROTO before anything is allocated', async () => {
    fake.addEntry({ name: 'Office VPN' });
    fake.entriesLie({ probeCb: 0xffffffff });
    const before = process.memoryUsage().arrayBuffers;
    await rejectsWith(source.listEntries!(), 'EPROTO', new RegExp(`RasEnumEntriesW asked for a 4294967295-byte buffer, more than the ${maxEnumBytes(STRIDE)} bytes`));
    assert.equal(fake.dialCalls('RasEnumEntriesW'), 1, 'only the probe');
    assert.ok(process.memoryUsage().arrayBuffers - before < 64 * 1024 * 1024, 'no 4 GiB buffer');
  });

  it('a count of 2^32-1 (probe or success) is EPROTO, not "Array buffer allocation failed"', async () => {
    fake.addEntry({ name: 'Office VPN' });
    fake.entriesLie({ probeCount: 0xffffffff });
    await rejectsWith(source.listEntries!(), 'EPROTO', new RegExp(`RasEnumEntriesW reported 4294967295 entries, more than the ${MAX_RAS_ENUM_ITEMS}`));
    fake.entriesLie({ okCount: 0xffffffff });
    await rejectsWith(source.listEntries!(), 'EPROTO', /RasEnumEntriesW reported 4294967295 entries/);
  });

  it('after the lies, the truth is listed again', async () => {
    fake.addEntry({ name: 'Office VPN' });
    fake.entriesLie({ okCount: 9 });
    await rejectsWith(source.listEntries!(), 'EPROTO', /not believable/);
    fake.entriesLie({});
    assert.deepEqual((await source.listEntries!())!.map((e) => e.name), ['Office VPN']);
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
    assert.match(last.error!.message, /username or password is invalid.*Windows' connect dialog cannot be shown here \((no rasphone\.exe on this system|Wine .* has no rasphone\.exe)\)/);
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

  it("no saved password: Windows' own dialler is asked, and where there is none (off Windows, Wine) that is a clear error", async () => {
    fake.addEntry({ name: 'Ask me', saved: false });
    const { last } = await dial('Ask me');
    assert.deepEqual([last.phase, last.error?.code], ['failed', 'ENOCREDENTIALS']);
    assert.match(last.error!.message, /No password is saved for "Ask me"; Windows' connect dialog cannot be shown here \((no rasphone\.exe on this system|Wine .* has no rasphone\.exe)\)/);
    assert.equal(fake.dialCalls('RasDialW'), 0, 'Linkwatch never dials without credentials');
  });

  it("no saved password: Windows' dialler (rasphone.exe -f <book> -d <entry>) asks; when it closes with the entry connected, connect says connected", async (t) => {
    const dir = mkdtempSync(join(tmpdir(), 'linkwatch-rasphone-'));
    const stateFile = join(dir, 'state.tsv');
    const staged = join(dir, 'staged.tsv');
    const argsFile = join(dir, 'args.json');
    fake.addEntry({ name: 'Ask me', saved: false });
    // The stand-in for rasphone.exe: records its arguments, then "the user typed the password and it
    // connected" (another process's change to the fake's connections, through FAKE_RAS_STATE).
    writeFakeRasState(staged, [{ handle: 0x4242, name: 'Ask me', phonebook: FAKE_USER_PHONEBOOK }]);
    const script = `const fs = require('fs'); fs.writeFileSync(${JSON.stringify(argsFile)}, JSON.stringify(process.argv.slice(1))); fs.renameSync(${JSON.stringify(staged)}, ${JSON.stringify(stateFile)});`;
    const real = rasphoneDialer({ SystemRoot: 'C:\\Windows' }, 'win32', () => true)!;
    const asked = createRasSource(fake.path, { windowsDialer: { command: process.execPath, args: (entry, book) => ['-e', script, '--', ...real.args(entry, book)] } });
    process.env.FAKE_RAS_STATE = stateFile;
    t.after(() => {
      delete process.env.FAKE_RAS_STATE;
      asked.close();
      rmSync(dir, { recursive: true, force: true });
    });
    const { steps, last } = await dial('Ask me', asked);
    assert.deepEqual(steps.map((s) => [s.phase, s.detail]), [
      ['dialling', "Windows' dialog (rasphone)"],
      ['connected', 'RASCS_Connected'],
    ]);
    assert.equal(last.connectionId, fakeRasConnectionId(0x4242));
    assert.deepEqual(JSON.parse(readFileSync(argsFile, 'utf8')), ['-f', FAKE_USER_PHONEBOOK, '-d', 'Ask me']);
    assert.equal(real.command, 'C:\\Windows\\System32\\rasphone.exe');
    assert.equal(fake.dialCalls('RasDialW'), 0, 'the dial is rasphone\'s, not Linkwatch\'s');
  });

  it("Windows' dialler closed without connecting: cancelled (rasphone showed any error itself)", async () => {
    fake.addEntry({ name: 'Ask me', saved: false });
    const asked = createRasSource(fake.path, { windowsDialer: { command: process.execPath, args: () => ['-e', ''] } });
    try {
      const { last } = await dial('Ask me', asked);
      assert.deepEqual([last.phase, last.detail, last.error], ['cancelled', "Windows' dialog closed without connecting", null]);
    } finally {
      asked.close();
    }
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

  it('RasDialW failing at once with a handle: hung up, and the handle waited for, before the failure is reported (a retry finds the port free)', async () => {
    fake.addEntry({ name: 'Busy', outcome: 'refuse', error: 633 });
    const { last } = await dial('Busy');
    assert.deepEqual([last.phase, last.error?.code], ['failed', 633]);
    assert.equal(fake.calls('RasHangUpW'), 1);
    assert.deepEqual(await live(), [], 'the handle is gone when connect answers');
  });

  it('RASCS_Disconnected without an error code ends the dial: failed, said so, the handle hung up', async () => {
    fake.addEntry({ name: 'Dropped', outcome: 'drop', states: 2, stepMs: 1 });
    const { last } = await dial('Dropped');
    assert.deepEqual([last.phase, last.detail, last.error?.code], ['failed', 'RASCS_Disconnected', 'EDISCONNECTED']);
    assert.match(last.error!.message, /RAS ended the dial at RASCS_Disconnected without an error code/);
    assert.equal(fake.calls('RasHangUpW'), 1);
    assert.deepEqual(await live(), []);
  });

  it('a RasDialW that reports success without a handle (a broken library): EPROTO at once, nothing left waiting', async () => {
    fake.addEntry({ name: 'Liar', outcome: 'no-handle' });
    await rejectsWith(dial('Liar'), 'EPROTO', /RasDialW reported success for "Liar" but gave no connection handle/);
  });

  it('no password, nor the placeholder standing in for one, ever appears in what the dialler reports', async () => {
    fake.addEntry({ name: 'A', states: 6, stepMs: 1 });
    fake.addEntry({ name: 'B', outcome: 'fail', states: 6, error: 691, stepMs: 1 });
    const reported = JSON.stringify([await dial('A'), await dial('B'), await source.listEntries!(), await source.read({ counters: false })]);
    assert.ok(!reported.includes(FAKE_SAVED_PASSWORD_PLACEHOLDER), reported);
  });
});

describe('RAS dialler: an entry already connected or being dialled is answered from the live list', () => {
  it('connected: the connection is the answer, no second RasDialW (its extra reference would outlive one Disconnect); one hang-up ends it', async () => {
    const quick = createRasSource(fake.path, { hangUpWaitMs: 300 });
    try {
      fake.addEntry({ name: 'Office VPN', states: 2, stepMs: 1 });
      const first = await dial('Office VPN', quick);
      assert.equal(first.last.phase, 'connected');
      const again = await dial('Office VPN', quick);
      assert.deepEqual(again.steps, [{ connectionId: first.last.connectionId, phase: 'connected', detail: 'already connected', error: null }]);
      assert.equal(fake.dialCalls('RasDialW'), 1);
      await quick.hangUp!(first.last.connectionId!);
      assert.deepEqual(await live(quick), []);
    } finally {
      quick.close();
    }
  });

  it("being dialled by another program (rasphone): 756 with the connection's step, and Linkwatch does not dial", async () => {
    fake.addEntry({ name: 'Office VPN' });
    fake.add({ name: 'Office VPN', phonebook: FAKE_USER_PHONEBOOK, state: RASCS.Authenticate });
    const { steps, last } = await dial('Office VPN');
    assert.equal(steps.length, 1);
    assert.deepEqual([last.phase, last.detail, last.error?.code], ['failed', 'RASCS_Authenticate', 756]);
    assert.match(last.error!.message, /already being dialled.*: "Office VPN" is at RASCS_Authenticate, dialled by another program$/);
    assert.equal(fake.dialCalls('RasDialW'), 0);
  });

  it('being dialled by Linkwatch: a second connect follows the same dial (its steps, its outcome), one RasDialW', async () => {
    fake.addEntry({ name: 'Office VPN', states: 3, stepMs: 15 });
    const [a, b] = await Promise.all([dial('Office VPN'), dial('Office VPN')]);
    assert.equal(a.last.phase, 'connected');
    assert.deepEqual(b.last, a.last);
    assert.equal(fake.dialCalls('RasDialW'), 1);
  });

  it("the fake models RasDial's references: dialled twice (bypassing the live list), one hang-up leaves it up", async () => {
    fake.addEntry({ name: 'Office VPN', states: 1, stepMs: 1 });
    const first = await dial('Office VPN');
    const { handle } = dialRaw('Office VPN');
    assert.equal(fakeRasConnectionId(handle), first.last.connectionId, 'the same connection handed back');
    const quick = createRasSource(fake.path, { hangUpWaitMs: 100 });
    try {
      await rejectsWith(quick.hangUp!(first.last.connectionId!), 'ECLOSING', /still closing/);
      assert.deepEqual(await live(quick), [['Office VPN', 'connected', FAKE_USER_PHONEBOOK]]);
      await quick.hangUp!(first.last.connectionId!);
      assert.deepEqual(await live(quick), []);
    } finally {
      quick.close();
    }
  });
});

describe('RAS dialler: quitting during a dial (the dial machine runs on a thread of this process)', () => {
  /** Start dialling each name; resolves once every dial has its handle (its first step), with the outcomes. */
  async function dialling(s: ConnectionSource, names: string[]): Promise<Promise<DialProgress>[]> {
    const resolvers: (() => void)[] = [];
    const started = names.map(() => new Promise<void>((resolve) => resolvers.push(resolve)));
    const outcomes = names.map((name, i) => s.connect!(name, () => resolvers[i]!()));
    await Promise.all(started);
    return outcomes;
  }

  it('shutdown hangs up every dial in progress and returns once RAS has released each handle', async () => {
    fake.addEntry({ name: 'Stuck A', outcome: 'hang', states: 2, stepMs: 2 });
    fake.addEntry({ name: 'Stuck B', outcome: 'hang', states: 2, stepMs: 2 });
    fake.setHangUpPolls(3);
    const outcomes = await dialling(source, ['Stuck A', 'Stuck B']);
    assert.equal(fake.count(), 2);
    await source.shutdown!();
    assert.equal(fake.calls('RasHangUpW'), 2, 'each dial hung up');
    assert.equal(fake.count(), 0, 'both handles gone before shutdown returned');
    assert.deepEqual((await Promise.all(outcomes)).map((o) => o.phase), ['cancelled', 'cancelled']);
  });

  it('a handle RAS does not release: shutdown gives up after the hang-up wait, it never hangs the quit', async () => {
    const bounded = createRasSource(fake.path, { hangUpWaitMs: 150 });
    try {
      fake.addEntry({ name: 'Stuck', outcome: 'hang', states: 2, stepMs: 2 });
      fake.setHangUpPolls(1_000_000);
      const [outcome] = await dialling(bounded, ['Stuck']);
      const started = Date.now();
      await bounded.shutdown!();
      const took = Date.now() - started;
      assert.ok(took >= 140 && took < 2000, `shutdown took ${took} ms`);
      assert.equal(fake.calls('RasHangUpW'), 1);
      assert.equal((await outcome!).phase, 'cancelled');
    } finally {
      bounded.close();
    }
  });
});

describe('the fake\'s RasDialW without a notifier (synchronous, as the docs describe it)', () => {
  it('returns only when the dial has ended: 0 and a connected handle, or the error with a handle still to hang up', async () => {
    fake.addEntry({ name: 'Sync', states: 3, stepMs: 5 });
    fake.addEntry({ name: 'Busy', outcome: 'fail', states: 3, error: 633, stepMs: 1 });
    const ok = dialRaw('Sync');
    assert.equal(ok.rc, 0);
    assert.ok(ok.handle !== 0n);
    const busy = dialRaw('Busy');
    assert.equal(busy.rc, 633);
    assert.ok(busy.handle !== 0n, 'RasDial\'s docs: a failed dial still hands back a handle the caller must hang up');
    assert.deepEqual(
      (await source.read({ counters: false })).map((c) => [c.name, c.state, c.lastError?.code ?? null]),
      [
        ['Sync', 'connected', null],
        ['Busy', 'disconnected', 633],
      ],
    );
    assert.deepEqual(dialRaw('Nowhere'), { rc: 623, handle: 0n });
  });
});
