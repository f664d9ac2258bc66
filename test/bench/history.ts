/**
 * The history's costs: how soon a change is a committed row, how long a write holds the monitor's thread
 * (the live list's), whether a reader of the same file in another process slows either, what
 * `linkwatch history --json` takes over 100 000 sessions, and the file's size per 10 000 sessions.
 *
 *     npx tsx test/bench/history.ts
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { DatabaseSync } from 'node:sqlite';
import { fileURLToPath } from 'node:url';
import { HistoryRecorder } from '../../electron/core/history/history-recorder';
import { HistoryStore, type SessionRecord } from '../../electron/core/history/history-store';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { ScriptedSource, sourceConnection } from '../support/scripted-source';
import type { BenchRow } from './bench-row';

const REPO = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
const CHANGES = 300;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function sessionRecord(n: number, start: number, length: number): SessionRecord {
  return {
    connectionId: `ras:${(n * 7919) % 65_536}`,
    name: ['Office VPN', 'Home DSL', 'Lab WireGuard', 'Branch ISDN'][n % 4]!,
    kind: n % 4 === 1 ? 'broadband' : n % 4 === 3 ? 'dialup' : 'vpn',
    deviceType: 'vpn',
    deviceName: 'WAN Miniport (IKEv2)',
    adHoc: false,
    phoneNumber: null,
    addresses: [`10.${(n >> 8) & 255}.${n & 255}.2/32`],
    connectedAt: start,
    endedAt: start + length,
    end: n % 3 === 0 ? 'dropped' : 'hung-up',
    lastSeenAt: start + length,
    lastState: 'disconnected',
    lastStateDetail: 'RASCS_Disconnected',
    lastError: n % 3 === 0 ? { code: 628, message: 'The connection was terminated by the remote computer.' } : null,
    bytesIn: n * 1_048_576,
    bytesOut: n * 65_536,
  };
}

/** A history file with `count` sessions spread over the last 80 days (inside the default retention). */
function fill(path: string, count: number): void {
  const store = HistoryStore.open(path);
  const span = 80 * 86_400_000;
  const every = Math.floor(span / Math.max(1, count));
  const first = Date.now() - span;
  store.transaction(() => {
    for (let n = 0; n < count; n += 1) store.insert(sessionRecord(n, first + n * every, Math.floor(every / 2)));
  });
  store.checkpoint();
  store.close();
}

/** `linkwatch history --json` as a user runs it, in its own process; resolves the wall time and output size. */
function runHistoryCli(path: string): Promise<{ ms: number; bytes: number }> {
  return new Promise((resolveRun, reject) => {
    const started = performance.now();
    const child = spawn(process.execPath, ['--import', 'tsx', join(REPO, 'electron/core/cli.ts'), 'history', '--json'], {
      cwd: REPO,
      env: { ...process.env, LINKWATCH_HISTORY: path },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let bytes = 0;
    child.stdout.on('data', (chunk: Buffer) => (bytes += chunk.length));
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolveRun({ ms: performance.now() - started, bytes }) : reject(new Error(`history --json exited ${code}`))));
  });
}

interface Latencies {
  /** Source change → the recorder's COMMIT returned. */
  committed: number[];
  /** Time the recorder held the monitor's thread per update. */
  held: number[];
  /** Source change → the live list's listener had the update (the tray/popup's, before the history's). */
  live: number[];
}

/** Connections come and go on a push source; every change is one update through monitor → recorder. */
async function measureUpdates(path: string | null): Promise<Latencies> {
  const source = new ScriptedSource(true);
  const monitor = new ConnectionMonitor(source, { safetyPollMs: 60_000 });
  const recorder = path ? HistoryRecorder.open(path) : null;
  const result: Latencies = { committed: [], held: [], live: [] };
  let changedAt = 0;
  let seen: (() => void) | null = null;
  const offLive = monitor.subscribe(() => result.live.push(performance.now() - changedAt));
  const offRecorder = monitor.subscribe((update) => {
    const before = performance.now();
    recorder?.record(update);
    const after = performance.now();
    result.held.push(after - before);
    result.committed.push(after - changedAt);
    seen?.();
  });
  await monitor.refresh();
  result.committed.length = 0;
  result.held.length = 0;
  result.live.length = 0;
  for (let i = 0; i < CHANGES; i += 1) {
    const arrived = new Promise<void>((done) => (seen = done));
    if (i % 2 === 0) source.connections = [...source.connections, sourceConnection({ id: `ras:${i}`, name: `VPN ${i % 7}`, addresses: ['10.0.0.2/32'] })];
    else source.connections = source.connections.slice(1);
    changedAt = performance.now();
    source.notify();
    await arrived;
  }
  offLive();
  offRecorder();
  monitor.close();
  recorder?.close();
  return result;
}

/** The same work without Linkwatch around it: one INSERT per transaction on the same pragmas. */
function bareInsert(path: string): number[] {
  const db = new DatabaseSync(path);
  db.exec('PRAGMA journal_mode = WAL; PRAGMA synchronous = NORMAL; CREATE TABLE t (a TEXT, b INTEGER, c TEXT)');
  const insert = db.prepare('INSERT INTO t VALUES (?, ?, ?)');
  const times: number[] = [];
  for (let i = 0; i < CHANGES; i += 1) {
    const before = performance.now();
    db.exec('BEGIN IMMEDIATE');
    insert.run(`VPN ${i}`, Date.now(), '["10.0.0.2/32"]');
    db.exec('COMMIT');
    times.push(performance.now() - before);
  }
  db.close();
  return times;
}

export async function runHistoryBench(): Promise<BenchRow[]> {
  const folder = mkdtempSync(join(tmpdir(), 'linkwatch-history-bench-'));
  try {
    const rows: BenchRow[] = [];
    const baseline = percentile(bareInsert(join(folder, 'bare.sqlite')), 95);
    const alone = await measureUpdates(join(folder, 'updates.sqlite'));
    const without = await measureUpdates(null);
    rows.push({ name: 'change → committed history row, p95', value: percentile(alone.committed, 95), unit: 'ms', baseline: percentile(without.committed, 95), ratio: percentile(alone.committed, 95) / percentile(without.committed, 95), note: `baseline: the same monitor path with no history; ${CHANGES} changes` });
    rows.push({ name: 'history write holding the monitor thread, p95', value: percentile(alone.held, 95) * 1000, unit: 'µs', baseline: baseline * 1000, ratio: percentile(alone.held, 95) / baseline, note: `max ${(Math.max(...alone.held) * 1000).toFixed(0)} µs; baseline: a bare one-row INSERT transaction` });

    // A reader in another process going through 100 000 sessions of the same file, over and over, while
    // the app writes: WAL keeps the writer (and the live list before it) from waiting on the reader.
    const big = join(folder, 'big.sqlite');
    fill(big, 100_000);
    const contended = { stop: false };
    const readers = (async () => {
      while (!contended.stop) await runHistoryCli(big);
    })();
    const busy = await measureUpdates(big);
    contended.stop = true;
    await readers;
    const kept = HistoryStore.open(big, { readOnly: true });
    const count = kept.sessions().length;
    kept.close();
    if (count < 100_000) throw new Error(`the big file holds ${count} sessions, not 100 000`);
    rows.push({ name: 'change → live list, p95, with history, while history --json reads', value: percentile(busy.live, 95), unit: 'ms', baseline: percentile(without.live, 95), ratio: percentile(busy.live, 95) / percentile(without.live, 95), note: 'baseline: no history, no reader' });
    rows.push({ name: 'change → committed row, p95, while history --json reads', value: percentile(busy.committed, 95), unit: 'ms', baseline: percentile(alone.committed, 95), ratio: percentile(busy.committed, 95) / percentile(alone.committed, 95), note: 'baseline: no reader' });

    const empty = join(folder, 'empty.sqlite');
    fill(empty, 0);
    await runHistoryCli(big); // warm the file cache and tsx's
    const start = percentile([(await runHistoryCli(empty)).ms, (await runHistoryCli(empty)).ms, (await runHistoryCli(empty)).ms], 50);
    const runs = [await runHistoryCli(big), await runHistoryCli(big), await runHistoryCli(big)];
    const full = percentile(runs.map((run) => run.ms), 50);
    rows.push({ name: 'history --json, 100 000 sessions (wall, median of 3)', value: full, unit: 'ms', baseline: start, ratio: full / start, note: `${(runs[0]!.bytes / 1_048_576).toFixed(1)} MB of JSON; baseline: the same command over an empty history (process start)` });

    const sized = join(folder, 'sized.sqlite');
    fill(sized, 10_000);
    const size = statSync(sized).size;
    const json = (await runHistoryCli(sized)).bytes;
    rows.push({ name: 'store size per 10 000 sessions', value: size / 1024, unit: 'KB', baseline: json / 1024, ratio: size / json, note: 'baseline: the same sessions as history --json text' });
    return rows;
  } finally {
    rmSync(folder, { recursive: true, force: true });
  }
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await runHistoryBench()) console.log(row);
}
