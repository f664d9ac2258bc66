/**
 * `linkwatch history`: what a script and a reader get from the recorded sessions, over a real file written by
 * the recorder; and, property-based, that no argument, date text or stored row can crash it.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../../../electron/core/cli/cli-app';
import { parseSince } from '../../../electron/core/cli/history-command';
import { cliHistoryPath } from '../../../electron/core/history/history-path';
import { HistoryRecorder } from '../../../electron/core/history/history-recorder';
import { decodeSessionRow } from '../../../electron/core/history/history-store';
import { CONNECTION_KINDS, CONNECTION_STATES, type Connection, type MonitorUpdate } from '../../../shared/connection';
import { SESSION_ENDS } from '../../../shared/history';
import { connection } from '../../support/connections';
import { ScriptedSource } from '../../support/scripted-source';

const folder = mkdtempSync(join(tmpdir(), 'linkwatch-history-cli-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const T0 = Date.parse('2026-12-01T08:00:00Z');
const NOW = T0 + 2 * 86_400_000;

function at(time: number, connections: Connection[]): MonitorUpdate {
  return { events: [], snapshot: { platform: 'win32', backend: 'rasapi32', connections, error: null, takenAt: time } };
}

/** A file with three sessions: Office dropped (error 628), Lab hung up, Office again and still open. */
function recordedFile(): string {
  const path = join(folder, `recorded-${Math.random().toString(16).slice(2)}.sqlite`);
  let time = T0;
  const history = HistoryRecorder.open(path, { now: () => time });
  const office = connection({ id: 'ras:1', name: 'Office VPN', connectedSince: T0, bytesIn: 2048, bytesOut: 1024 });
  const lab = connection({ id: 'ras:2', name: 'Lab', connectedSince: T0 + 3_600_000, deviceName: 'WAN Miniport (SSTP)' });
  history.record(at(T0, [office]));
  history.record(at(T0 + 1_800_000, [{ ...office, state: 'disconnected', connectedSince: null, lastError: { code: 628, message: 'The connection was terminated by the remote computer.' } }]));
  history.record(at(T0 + 1_800_500, []));
  history.record(at(T0 + 3_600_000, [lab]));
  time = T0 + 7_200_000;
  history.noteHangUp('ras:2', Promise.resolve());
  history.record(at(T0 + 7_200_500, []));
  history.record(at(T0 + 86_400_000, [connection({ id: 'ras:3', name: 'Office VPN', connectedSince: T0 + 86_400_000 })]));
  // The app is still running: nothing closes the open session. The CLI reads alongside.
  return path;
}

function run(argv: string[], historyPath: string) {
  let out = '';
  let err = '';
  const io = {
    stdout: (text: string) => void (out += text),
    stderr: (text: string) => void (err += text),
    interrupted: new Promise<void>(() => {}),
    createSource: () => new ScriptedSource(),
    now: () => NOW,
    historyPath,
  };
  return runCli(argv, io).then((status) => ({ status, out, err }));
}

describe('linkwatch history', () => {
  const file = recordedFile();

  it('--json prints the documented object: file, sessions (oldest first), error', async () => {
    const { status, out } = await run(['history', '--json'], file);
    assert.equal(status, 0);
    const printed = JSON.parse(out);
    assert.deepEqual(Object.keys(printed), ['file', 'sessions', 'error']);
    assert.equal(printed.file, file);
    assert.equal(printed.error, null);
    assert.deepEqual(
      Object.keys(printed.sessions[0]),
      ['id', 'connectionId', 'name', 'kind', 'deviceType', 'deviceName', 'adHoc', 'phoneNumber', 'addresses', 'connectedAt', 'endedAt', 'end', 'durationMs', 'lastState', 'lastStateDetail', 'lastError', 'bytesIn', 'bytesOut'],
    );
    assert.deepEqual(
      printed.sessions.map((s: Record<string, unknown>) => [s.name, s.end, s.durationMs, (s.lastError as { code?: number } | null)?.code ?? null]),
      [
        ['Office VPN', 'dropped', 1_800_000, 628],
        ['Lab', 'hung-up', 3_600_500, null],
        ['Office VPN', null, null, null],
      ],
    );
    assert.equal(printed.sessions[0].bytesIn, 2048);
  });

  it('--since and --name narrow it; dates are strict', async () => {
    const since = JSON.parse((await run(['history', '--json', '--since', '2026-12-01T09:30Z'], file)).out);
    assert.deepEqual(
      since.sessions.map((s: { name: string }) => s.name),
      ['Lab', 'Office VPN'],
    );
    const named = JSON.parse((await run(['history', '--json', '--name', 'office vpn'], file)).out);
    assert.equal(named.sessions.length, 2);
    for (const bad of ['2026-02-30', 'yesterdayish', '1', '2026-12-01T25:00', '']) {
      const { status, err, out } = await run(['history', '--since', bad], file);
      assert.equal(status, 2, bad);
      assert.match(err, /--since takes/);
      assert.equal(out, '');
    }
  });

  it('options of other commands are usage errors, both ways', async () => {
    assert.equal((await run(['history', '--stats'], file)).status, 2);
    assert.equal((await run(['list', '--since', 'today'], file)).status, 2);
    assert.equal((await run(['watch', '--name', 'Lab'], file)).status, 2);
  });

  it('the readable table: one line per session, how it ended and the last error', async () => {
    const { status, out } = await run(['history'], file);
    assert.equal(status, 0);
    const lines = out.trimEnd().split('\n');
    assert.match(lines[0] ?? '', /^CONNECTED\s+NAME\s+KIND\s+UP FOR\s+END\s+LAST ERROR\s+IN \/ OUT$/);
    assert.match(lines[1] ?? '', /Office VPN\s+vpn\s+30m 00s\s+dropped\s+628: The connection was terminated/);
    assert.match(lines[2] ?? '', /Lab\s+vpn\s+1h 00m\s+hung up/);
    assert.match(lines[3] ?? '', /Office VPN\s+vpn\s+1d 00h\+\s+up/);
  });

  it('no file yet is an empty history, and nothing is created', async () => {
    const missing = join(folder, 'never-written.sqlite');
    const { status, out } = await run(['history', '--json'], missing);
    assert.equal(status, 0);
    assert.deepEqual(JSON.parse(out), { file: missing, sessions: [], error: null });
    assert.equal(existsSync(missing), false);
    assert.match((await run(['history'], missing)).out, /No sessions recorded/);
  });

  it('a file that is not a database: exit 1, the JSON still printed with the error', async () => {
    const junk = join(folder, 'junk.sqlite');
    writeFileSync(junk, 'this is not an SQLite file, it is a note someone saved here by mistake\n'.repeat(100));
    const { status, out } = await run(['history', '--json'], junk);
    assert.equal(status, 1);
    const printed = JSON.parse(out);
    assert.deepEqual(printed.sessions, []);
    assert.match(printed.error.message, /not a database|file is not/i);
  });

  it('an SQLite file that is not a Linkwatch history: exit 1, valid JSON with the error', async () => {
    const other = join(folder, 'other.sqlite');
    const db = new DatabaseSync(other);
    db.exec('CREATE TABLE notes (text TEXT)');
    db.close();
    const { status, out } = await run(['history', '--json'], other);
    assert.equal(status, 1);
    assert.match(JSON.parse(out).error.message, /not a Linkwatch history/);
  });

  it('a name with control characters cannot drive the terminal', async () => {
    const path = join(folder, 'escape.sqlite');
    const history = HistoryRecorder.open(path, { now: () => T0 });
    history.record(at(T0, [connection({ id: 'x', name: 'Evil\u001b]0;pwned\u0007VPN', connectedSince: T0 })]));
    history.close();
    const { out } = await run(['history'], path);
    assert.ok(!out.includes('\u001b'), 'no escape character reaches the terminal');
    assert.match(out, /Evil\?\]0;pwned\?VPN/);
  });

  it('the default file is the app’s user-data folder per OS; LINKWATCH_HISTORY overrides it', () => {
    assert.equal(cliHistoryPath('win32', { APPDATA: 'C:\\Users\\ana\\AppData\\Roaming' }, 'C:\\Users\\ana'), 'C:\\Users\\ana\\AppData\\Roaming\\Linkwatch\\history.sqlite');
    assert.equal(cliHistoryPath('darwin', {}, '/Users/ana'), '/Users/ana/Library/Application Support/Linkwatch/history.sqlite');
    assert.equal(cliHistoryPath('linux', {}, '/home/ana'), '/home/ana/.config/Linkwatch/history.sqlite');
    assert.equal(cliHistoryPath('linux', { XDG_CONFIG_HOME: '/srv/conf' }, '/home/ana'), '/srv/conf/Linkwatch/history.sqlite');
    assert.equal(cliHistoryPath('linux', { LINKWATCH_HISTORY: '/tmp/h.sqlite' }, '/home/ana'), '/tmp/h.sqlite');
  });
});

describe('history: outside input, property-based (seeded, bounded)', () => {
  const options = { seed: 16, numRuns: 300 };

  it('parseSince never throws, and anything it accepts is a real instant', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const result = parseSince(text, NOW);
        assert.ok(result === null || (Number.isSafeInteger(result) && result >= 0), String(result));
      }),
      options,
    );
  });

  it('parseSince: a real calendar date is its local midnight; an impossible one is refused', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1970, max: 2400 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const real = new Date(Date.UTC(year, month, 0)).getUTCDate() >= day;
        assert.equal(parseSince(text, NOW), real ? new Date(year, month - 1, day).getTime() : null, text);
      }),
      options,
    );
  });

  it('parseSince: a UTC or offset time is that instant', () => {
    fc.assert(
      fc.property(fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -12 * 60, max: 14 * 60 }), (date, offsetMinutes) => {
        const instant = Math.floor(date.getTime() / 1000) * 1000;
        const shifted = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 19);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        assert.equal(parseSince(`${shifted}${zone}`, NOW), instant);
      }),
      options,
    );
  });

  it('any argument list: an exit status of 0, 1 or 2, never a throw; a bad --since is always 2', async () => {
    const file = recordedFile();
    const word = fc.oneof(fc.constantFrom('history', 'list', '--json', '--since', '--name', '--stats', '--interval', 'today', '7d', '-h', '--bogus'), fc.string({ maxLength: 12 }));
    await fc.assert(
      fc.asyncProperty(fc.array(word, { maxLength: 5 }), fc.string({ maxLength: 20 }), async (argv, since) => {
        // `watch` runs until interrupted: everything else must answer.
        const free = await run(argv.filter((a) => a.trim() !== 'watch'), file);
        assert.ok([0, 1, 2].includes(free.status), JSON.stringify(argv));
        const dated = await run(['history', '--json', '--since', since], file);
        assert.equal(dated.status, parseSince(since, NOW) === null ? 2 : 0, JSON.stringify(since));
      }),
      { seed: 16, numRuns: 60 },
    );
  });

  it('a stored row of any shape decodes to a valid session or to nothing, never a throw', () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.constant(null), fc.uint8Array({ maxLength: 8 }), fc.constantFrom('vpn', 'dropped', 'connected', '[]', '["10.0.0.1/32"]', '{"a":1}'));
    const columns = ['id', 'connection_id', 'name', 'kind', 'device_type', 'device_name', 'ad_hoc', 'phone_number', 'addresses', 'connected_at', 'ended_at', 'end_reason', 'last_state', 'last_state_detail', 'last_error_code', 'last_error_message', 'bytes_in', 'bytes_out'];
    fc.assert(
      fc.property(fc.record(Object.fromEntries(columns.map((column) => [column, value]))), (row) => {
        const session = decodeSessionRow(row);
        if (session === null) return;
        assert.ok(CONNECTION_KINDS.includes(session.kind));
        assert.ok(CONNECTION_STATES.includes(session.lastState));
        assert.ok(session.end === null || SESSION_ENDS.includes(session.end));
        assert.equal(session.end === null, session.endedAt === null);
        assert.ok(session.durationMs === null || session.durationMs >= 0);
        assert.ok(session.addresses.every((address) => typeof address === 'string'));
        assert.ok(session.bytesIn === null || session.bytesIn >= 0);
        JSON.stringify(session);
      }),
      options,
    );
  });
});
