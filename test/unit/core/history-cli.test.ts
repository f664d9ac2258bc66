/**
 * `linkwatch history`: what a script and a reader get from the recorded sessions, over a real file written by
 * the recorder (its outside input, property-based, in history.property.test.ts).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { cliHistoryPath } from '../../../electron/core/history/history-path';
import { HistoryRecorder } from '../../../electron/core/history/history-recorder';
import { connection } from '../../support/connections';
import { at, recordedHistory, runHistoryCli, T0 } from '../../support/history-fixture';

const folder = mkdtempSync(join(tmpdir(), 'linkwatch-history-cli-'));
after(() => rmSync(folder, { recursive: true, force: true }));

const NOW = T0 + 2 * 86_400_000;
const run = (argv: string[], historyPath: string) => runHistoryCli(argv, historyPath, NOW);
const recordedFile = () => recordedHistory(folder);

describe('linkwatch history', () => {
  const file = recordedFile();

  it('--json prints the documented object: file, sessions (oldest first), error', async () => {
    const { status, out } = await run(['history', '--json'], file);
    assert.equal(status, 0);
    const printed = JSON.parse(out);
    assert.deepEqual(Object.keys(printed), ['file', 'sessions', 'events', 'error']);
    assert.deepEqual(printed.events, [], 'no stall or reconnect recorded in this file');
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
    assert.deepEqual(JSON.parse(out), { file: missing, sessions: [], events: [], error: null });
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
