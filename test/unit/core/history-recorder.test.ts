/**
 * The history as a user reads it afterwards, from the monitor's updates: what was up, when, for how long,
 * how it ended and why. Real SQLite files (node:sqlite) in a temp folder; only the clock is the test's.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { HistoryRecorder, CHECKPOINT_MS } from '../../../electron/core/history/history-recorder';
import { HistoryStore } from '../../../electron/core/history/history-store';
import { connection } from '../../support/connections';
import { at, T0 } from '../../support/history-fixture';
import { ScriptedSource, sourceConnection } from '../../support/scripted-source';

const folder = mkdtempSync(join(tmpdir(), 'linkwatch-history-'));
after(() => rmSync(folder, { recursive: true, force: true }));
let files = 0;
const newFile = (): string => join(folder, `h${++files}.sqlite`);


function recorder(path = newFile(), start = T0) {
  const clock = { time: start };
  const logged: string[] = [];
  const history = HistoryRecorder.open(path, { now: () => clock.time, log: (message) => logged.push(message) });
  return { path, clock, history, logged };
}

const office = connection({ id: 'ras:1', name: 'Office VPN', connectedSince: T0, addresses: ['10.8.0.2/32'] });

describe('history: sessions from the monitor’s updates', () => {
  it('a connection that came up and dropped is one session: times, duration, last state and last error', () => {
    const { history } = recorder();
    history.record(at(T0, [{ ...office, state: 'connecting', connectedSince: null, addresses: [] }]));
    assert.deepEqual(history.sessions(), [], 'connecting is not up yet');
    history.record(at(T0 + 1000, [{ ...office, connectedSince: T0 + 1000 }]));
    history.record(at(T0 + 2000, [{ ...office, connectedSince: T0 + 1000, addresses: ['10.8.0.2/32', 'fd00::2/64'] }]));
    const error = { code: 628, message: 'The connection was terminated by the remote computer.' };
    history.record(at(T0 + 60_000, [{ ...office, state: 'disconnected', stateDetail: 'RASCS_Disconnected', connectedSince: null, lastError: error }]));
    history.record(at(T0 + 61_000, []));
    const [session, ...others] = history.sessions();
    assert.equal(others.length, 0);
    assert.ok(session);
    assert.equal(session.name, 'Office VPN');
    assert.equal(session.connectedAt, T0 + 1000);
    assert.equal(session.endedAt, T0 + 60_000, 'it ended when it was first seen down, not when its row went');
    assert.equal(session.durationMs, 59_000);
    assert.equal(session.end, 'dropped');
    assert.equal(session.lastState, 'disconnected');
    assert.equal(session.lastStateDetail, 'RASCS_Disconnected');
    assert.deepEqual(session.lastError, error);
    assert.deepEqual(session.addresses, ['10.8.0.2/32', 'fd00::2/64']);
    assert.equal(session.bytesIn, null, 'no counters were read');
    history.close();
  });

  it('the last error seen is kept when the final reading no longer has one', () => {
    const { history } = recorder();
    history.record(at(T0, [office]));
    history.record(at(T0 + 5000, [{ ...office, state: 'connecting', connectedSince: null, lastError: { code: 'ETUNNEL', message: 'peer stopped answering' } }]));
    history.record(at(T0 + 6000, [{ ...office, state: 'connecting', connectedSince: null, lastError: null }]));
    history.record(at(T0 + 7000, []));
    assert.deepEqual(history.sessions()[0]?.lastError, { code: 'ETUNNEL', message: 'peer stopped answering' });
    history.close();
  });

  it('a hang-up asked for in Linkwatch ends the session as hung-up; a failed one does not count', async () => {
    const { history, clock } = recorder();
    const lab = connection({ id: 'ras:2', name: 'Lab', connectedSince: T0 });
    history.record(at(T0, [office, lab]));
    clock.time = T0 + 10_000;
    history.noteHangUp('ras:1', Promise.resolve());
    const failed = Promise.reject(new Error('RAS 668'));
    history.noteHangUp('ras:2', failed);
    await failed.catch(() => {});
    await new Promise((resolve) => setImmediate(resolve));
    history.record(at(T0 + 11_000, []));
    const ends = Object.fromEntries(history.sessions().map((session) => [session.name, session.end]));
    assert.deepEqual(ends, { 'Office VPN': 'hung-up', Lab: 'dropped' });
    history.close();
  });

  it('a hang-up hint goes stale: a drop a long time later is a drop', () => {
    const { history, clock } = recorder();
    history.record(at(T0, [office]));
    history.noteHangUp('ras:1', new Promise(() => {}));
    clock.time = T0 + 5 * 60_000;
    history.record(at(clock.time, []));
    assert.equal(history.sessions()[0]?.end, 'dropped');
    history.close();
  });

  it('a session still up at quit is closed as "unknown end" at the next start, at the time it was last seen', () => {
    const first = recorder();
    first.history.record(at(T0, [{ ...office, connectedSince: null }]));
    first.clock.time = T0 + 3 * CHECKPOINT_MS;
    first.history.checkpoint();
    first.clock.time = T0 + 3 * CHECKPOINT_MS + 10_000;
    first.history.close();

    const reader = HistoryStore.open(first.path, { readOnly: true });
    assert.equal(reader.sessions()[0]?.end, null, 'until the next start it is open (the CLI shows it so)');
    reader.close();

    const second = recorder(first.path, T0 + 3_600_000);
    const [session] = second.history.sessions();
    assert.equal(session?.end, 'unknown');
    assert.equal(session?.endedAt, T0 + 3 * CHECKPOINT_MS + 10_000);
    // The connection is still listed after the restart, but the backend cannot vouch it was up all along
    // (RAS: connectedSince is when this run first saw it): a new session.
    second.history.record(at(T0 + 3_600_000, [{ ...office, connectedSince: T0 + 3_600_000 }]));
    assert.deepEqual(
      second.history.sessions().map((s) => [s.end, s.connectedAt]),
      [
        ['unknown', T0],
        [null, T0 + 3_600_000],
      ],
    );
    second.history.close();
  });

  it('no timer: open sessions are checkpointed by updates that come anyway, at most once a minute; after a crash the end is the last checkpoint', () => {
    const timersBefore = process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const first = recorder();
    assert.equal(process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length, timersBefore, 'the recorder arms no timer');
    const up = { ...office, connectedSince: null, bytesIn: 1000, bytesOut: 10 };
    first.history.record(at(T0, [up]));
    first.history.record(at(T0 + 30_000, [{ ...up, bytesIn: 2000 }]));
    first.history.record(at(T0 + CHECKPOINT_MS + 5_000, [{ ...up, bytesIn: 3000 }]));
    first.history.record(at(T0 + CHECKPOINT_MS + 20_000, [{ ...up, bytesIn: 4000 }]));
    // Then nothing changes (no update comes), and the process dies: no close(), no timer wrote anything since.
    const second = recorder(first.path, T0 + 3_600_000);
    const [session] = second.history.sessions();
    assert.equal(session?.end, 'unknown');
    assert.equal(session?.endedAt, T0 + CHECKPOINT_MS + 5_000, 'the last checkpoint, not a minute-by-minute heartbeat');
    assert.equal(session?.bytesIn, 3000, 'the counters of that checkpoint');
    second.history.close();
  });

  it('a crash leaves the session open; with a kernel connectedSince from before, the next run carries it on', () => {
    const first = recorder();
    first.history.record(at(T0 + 500, [office]));
    // No close(): the process died. The next start finds the row open.
    const second = recorder(first.path, T0 + 120_000);
    second.history.record(at(T0 + 120_000, [office]));
    second.history.record(at(T0 + 180_000, []));
    const sessions = second.history.sessions();
    assert.equal(sessions.length, 1, 'one session, not two');
    assert.equal(sessions[0]?.connectedAt, T0);
    assert.equal(sessions[0]?.end, 'dropped');
    assert.equal(sessions[0]?.durationMs, 180_000);
    second.history.close();
  });

  it('byte counters are kept: the last read, written at most once a minute and at the end', () => {
    const { history, path } = recorder();
    history.record(at(T0, [{ ...office, bytesIn: 100, bytesOut: 10 }]));
    history.record(at(T0 + 1000, [{ ...office, bytesIn: 5000, bytesOut: 500 }]));
    const reader = HistoryStore.open(path, { readOnly: true });
    assert.equal(reader.sessions()[0]?.bytesIn, 100, 'a second later: not yet on disk');
    history.record(at(T0 + 61_000, [{ ...office, bytesIn: 9000, bytesOut: 900 }]));
    assert.equal(reader.sessions()[0]?.bytesIn, 9000, 'a minute later: written');
    history.record(at(T0 + 62_000, [{ ...office, bytesIn: 9500, bytesOut: 950, rateIn: 500 }]));
    history.record(at(T0 + 63_000, []));
    assert.deepEqual([reader.sessions()[0]?.bytesIn, reader.sessions()[0]?.bytesOut], [9500, 950]);
    reader.close();
    history.close();
  });

  it('names, errors and addresses from outside are stored as given, never as SQL', () => {
    const { history } = recorder();
    const evil = `Robert'); DROP TABLE sessions;--`;
    const hostile = { ...office, name: evil, deviceName: `"; DELETE FROM sessions; --`, addresses: [`' OR 1=1 --`] };
    history.record(at(T0, [hostile]));
    history.record(at(T0 + 1000, [{ ...hostile, state: 'disconnected', connectedSince: null, lastError: { code: `x'); --`, message: "it's \u0000 gone" } }]));
    history.record(at(T0 + 2000, []));
    const [session] = history.sessions();
    assert.equal(session?.name, evil);
    assert.equal(session?.deviceName, `"; DELETE FROM sessions; --`);
    assert.deepEqual(session?.addresses, [`' OR 1=1 --`]);
    assert.deepEqual(session?.lastError, { code: `x'); --`, message: "it's \u0000 gone" });
    assert.equal(history.sessions({ name: evil }).length, 1);
    history.close();
  });

  it('retention forgets sessions that ended longer ago than the setting; open ones are kept', () => {
    const { history, clock } = recorder();
    const old = connection({ id: 'ras:9', name: 'Old', connectedSince: T0 });
    history.record(at(T0, [old, office]));
    history.record(at(T0 + 1000, [office]));
    clock.time = T0 + 10 * 86_400_000;
    history.setRetentionDays(30);
    assert.equal(history.sessions().length, 2);
    history.setRetentionDays(7);
    assert.deepEqual(
      history.sessions().map((session) => session.name),
      ['Office VPN'],
    );
    history.close();
  });

  it('queries: since (sessions up at some time after it), name (case-insensitive), limit (the newest)', () => {
    const { history } = recorder();
    for (let index = 0; index < 5; index += 1) {
      const start = T0 + index * 3_600_000;
      const c = connection({ id: `ras:${index}`, name: index % 2 ? 'Lab' : 'Office VPN', connectedSince: start });
      history.record(at(start, [c]));
      history.record(at(start + 600_000, []));
    }
    assert.equal(history.sessions().length, 5);
    assert.deepEqual(
      history.sessions({ since: T0 + 2 * 3_600_000 + 300_000 }).map((s) => s.connectedAt),
      [T0 + 2 * 3_600_000, T0 + 3 * 3_600_000, T0 + 4 * 3_600_000],
      'a session that ended after `since` counts',
    );
    assert.equal(history.sessions({ name: 'lab' }).length, 2);
    assert.deepEqual(
      history.sessions({ limit: 2 }).map((s) => s.connectedAt),
      [T0 + 3 * 3_600_000, T0 + 4 * 3_600_000],
    );
    history.close();
  });

  it('per-day totals: sessions, drops, time up, bytes (null when none were read)', () => {
    const { history, clock } = recorder();
    history.record(at(T0, [{ ...office, bytesIn: 1000, bytesOut: 100 }]));
    history.record(at(T0 + 60_000, []));
    const later = connection({ id: 'ras:1', name: 'Office VPN', connectedSince: T0 + 120_000 });
    history.record(at(T0 + 120_000, [later]));
    clock.time = T0 + 179_000;
    history.noteHangUp('ras:1', Promise.resolve());
    history.record(at(T0 + 180_000, []));
    clock.time = T0 + 200_000;
    const days = history.days(7);
    assert.equal(days.length, 1);
    const [day] = days;
    const local = new Date(T0);
    assert.equal(day?.day, `${local.getFullYear()}-${String(local.getMonth() + 1).padStart(2, '0')}-${String(local.getDate()).padStart(2, '0')}`);
    assert.deepEqual({ ...day, day: undefined }, { day: undefined, sessions: 2, drops: 1, upMs: 120_000, bytesIn: 1000, bytesOut: 100 });
    history.close();
  });

  it('a write that fails is logged once, loses nothing already stored, and is retried with the next update', () => {
    const path = newFile();
    const logged: string[] = [];
    const history = new HistoryRecorder(HistoryStore.open(path, { busyTimeoutMs: 20 }), { now: () => T0, log: (message) => logged.push(message) });
    history.record(at(T0, [office]));
    // Another process holds the write lock past the busy timeout: the write cannot happen now.
    const blocker = new DatabaseSync(path);
    blocker.exec('BEGIN IMMEDIATE');
    const release = () => blocker.exec('ROLLBACK');
    const lab = connection({ id: 'ras:2', name: 'Lab', connectedSince: T0 });
    history.record(at(T0 + 1000, [office, lab]));
    history.record(at(T0 + 2000, [office, lab]));
    release();
    assert.equal(logged.length, 1, logged.join('\n'));
    assert.match(logged[0] ?? '', /locked|busy/i);
    history.record(at(T0 + 3000, [office, lab]));
    assert.deepEqual(
      history.sessions().map((s) => s.name),
      ['Office VPN', 'Lab'],
    );
    history.close();
    blocker.close();
  });

  it('the monitor tells the history of its hang-ups (ConnectionMonitor.onHangUp)', async () => {
    const source = Object.assign(new ScriptedSource(), {
      hangUp: async (id: string) => {
        source.connections = source.connections.filter((c) => c.id !== id);
      },
    });
    source.connections = [sourceConnection({ id: 'ras:1', name: 'Office VPN', canDisconnect: true })];
    const monitor = new ConnectionMonitor(source, { pollIntervalMs: 10_000 });
    const { history } = recorder(newFile(), Date.now());
    const off = monitor.onHangUp((id, done) => history.noteHangUp(id, done));
    const unsubscribe = monitor.subscribe((update) => history.record(update));
    await monitor.refresh();
    await monitor.hangUp('ras:1');
    await monitor.refresh();
    assert.equal(history.sessions()[0]?.end, 'hung-up');
    off();
    unsubscribe();
    monitor.close();
    history.close();
  });
});
