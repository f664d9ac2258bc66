/**
 * The history records stalls, recoveries and Keep connected's attempts (schema 2), readable back from the
 * file; a schema-1 file (an older Linkwatch) is migrated by the app and read without events by the CLI.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { test } from 'node:test';
import { DatabaseSync } from 'node:sqlite';
import type { MonitorUpdate } from '../../../shared/connection';
import { EventHistory } from '../../../electron/core/history/event-history';
import { HistoryStore } from '../../../electron/core/history/history-store';
import { connection } from '../../support/connections';

function tempFile(t: { after(fn: () => void): void }): string {
  const dir = mkdtempSync(join(tmpdir(), 'lw-events-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return join(dir, 'history.sqlite');
}

const update = (at: number, status: 'healthy' | 'stalled' | null): MonitorUpdate => ({
  events: [],
  snapshot: {
    platform: 'test',
    backend: 'scripted',
    updates: 'push',
    error: null,
    takenAt: at,
    verdict: null,
    connections: [connection({ id: 'ras:1', name: 'Office VPN', health: status ? { status, since: at, reason: status === 'stalled' ? 'sent 9 KB in 21 s, received nothing' : 'received 2 KB in 10 s', probe: null } : null })],
  },
});

test('a stall, its recovery and two attempts are in the file, in order, once each', (t) => {
  const store = HistoryStore.open(tempFile(t));
  t.after(() => store.close());
  const history = new EventHistory((event) => store.insertEvent(event));
  history.update(update(1000, 'healthy'));
  history.update(update(2000, 'stalled'));
  history.update(update(3000, 'stalled'));
  history.update(update(4000, 'healthy'));
  history.reconnect({ type: 'reconnect', name: 'Office VPN', step: 'dialling', attempt: 1, at: 5000, delayMs: null, downForMs: null, error: null, cause: 'dropped' });
  history.reconnect({ type: 'reconnect', name: 'Office VPN', step: 'failed', attempt: 1, at: 6000, delayMs: 15_000, downForMs: 6000, error: { code: 633, message: 'busy' }, cause: 'dropped' });
  history.reconnect({ type: 'reconnect', name: 'Office VPN', step: 'connected', attempt: 2, at: 21_000, delayMs: null, downForMs: 21_000, error: null, cause: 'dropped' });
  const events = store.events();
  assert.deepEqual(
    events.map((e) => [e.at, e.kind, e.detail, e.attempt, e.error?.code ?? null]),
    [
      [2000, 'stalled', 'sent 9 KB in 21 s, received nothing', null, null],
      [4000, 'recovered', 'received 2 KB in 10 s', null, null],
      [6000, 'reconnect', 'failed', 1, 633],
      [21_000, 'reconnect', 'connected', 2, null],
    ],
  );
  assert.deepEqual(store.events({ since: 5000, name: 'office vpn' }).length, 2);
});

test('a disk that fails is logged once, never thrown to the monitor', () => {
  const logged: string[] = [];
  const history = new EventHistory(() => {
    throw new Error('disk I/O error');
  }, (message) => logged.push(message));
  history.update(update(1000, 'stalled'));
  history.update(update(2000, 'healthy'));
  history.update(update(3000, 'stalled'));
  assert.equal(logged.length, 1);
});

test('a schema-1 file: read-only it has no events; the app migrates it and keeps its sessions', (t) => {
  const path = tempFile(t);
  const old = new DatabaseSync(path);
  old.exec('CREATE TABLE sessions (id INTEGER PRIMARY KEY, connection_id TEXT NOT NULL, name TEXT NOT NULL, kind TEXT NOT NULL, device_type TEXT NOT NULL, device_name TEXT NOT NULL, ad_hoc INTEGER NOT NULL, phone_number TEXT, addresses TEXT NOT NULL, connected_at INTEGER NOT NULL, ended_at INTEGER, end_reason TEXT, last_seen_at INTEGER NOT NULL, last_state TEXT NOT NULL, last_state_detail TEXT NOT NULL, last_error_code, last_error_message TEXT, bytes_in INTEGER, bytes_out INTEGER); PRAGMA user_version = 1;');
  old.exec(`INSERT INTO sessions VALUES (1, 'ras:1', 'Office VPN', 'vpn', 'vpn', 'WAN Miniport (IKEv2)', 0, NULL, '[]', 1000, 2000, 'dropped', 2000, 'connected', 'RASCS_Connected', NULL, NULL, NULL, NULL)`);
  old.close();
  const reader = HistoryStore.open(path, { readOnly: true });
  assert.deepEqual(reader.events(), []);
  reader.close();
  const writer = HistoryStore.open(path);
  t.after(() => writer.close());
  writer.insertEvent({ at: 3000, name: 'Office VPN', connectionId: 'ras:1', kind: 'stalled', detail: 'x', attempt: null, error: null });
  assert.equal(writer.events().length, 1);
  assert.equal(writer.sessions().length, 1);
});

test('linkwatch history shows the events: --json as "events", the readable form under EVENTS, --name narrows them', async (t) => {
  const { runCli } = await import('../../../electron/core/cli/cli-app');
  const path = tempFile(t);
  const store = HistoryStore.open(path);
  const history = new EventHistory((event) => store.insertEvent(event));
  history.update(update(Date.parse('2026-12-01T10:00:00Z'), 'stalled'));
  history.reconnect({ type: 'reconnect', name: 'Lab', step: 'needs-user', attempt: 1, at: Date.parse('2026-12-01T11:00:00Z'), delayMs: null, downForMs: 5000, error: { code: 691, message: 'bad \u001b[31mpassword' }, cause: 'dropped' });
  store.close();
  const run = async (argv: string[]) => {
    let out = '';
    const status = await runCli(argv, { stdout: (text) => void (out += text), stderr: () => {}, interrupted: new Promise(() => {}), historyPath: path, now: () => Date.parse('2026-12-02T00:00:00Z') });
    return { status, out };
  };
  const json = await run(['history', '--json']);
  assert.equal(json.status, 0);
  const printed = JSON.parse(json.out) as { events: { name: string; kind: string; attempt: number | null; error: { code: number } | null }[] };
  assert.deepEqual(printed.events.map((e) => [e.name, e.kind, e.attempt, e.error?.code ?? null]), [['Office VPN', 'stalled', null, null], ['Lab', 'reconnect', 1, 691]]);
  const narrowed = JSON.parse((await run(['history', '--json', '--name', 'lab'])).out) as { events: unknown[] };
  assert.equal(narrowed.events.length, 1);
  const readable = (await run(['history'])).out;
  assert.match(readable, /EVENTS\n2026-12-01T10:00:00.000Z {2}Office VPN {2}stalled: sent 9 KB in 21 s, received nothing/);
  assert.match(readable, /Lab {2}reconnect attempt 1: needs-user \(691: bad \?\[31mpassword\)/, 'control characters shown, not obeyed');
});
