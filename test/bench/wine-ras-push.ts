/**
 * Under Wine (Windows Node 22 over the fake DLL, test/support/windows-node.ts): a scripted connect or
 * disconnect in the fake (this Linux process rewrites FAKE_RAS_STATE) → the event reaching the monitor in
 * the Windows process, with push (RasConnectionNotificationW) and with polling at the default interval; and
 * RasEnumConnectionsW calls per minute while idle and hidden, now and with the cadence before push (200 ms
 * polling). Both sides stamp `performance.timeOrigin + performance.now()` on the same machine's clock.
 *
 *     npx tsx test/bench/wine-ras-push.ts
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { fakeRasConnectionId, fakeRasWindowsEnv, writeFakeRasState } from '../support/fake-ras';
import { startUnderWindowsNode, stopWine, windowsNodeUnavailable, windowsPath } from '../support/windows-node';
import type { BenchRow } from './bench-row';

const CHANGES = 40; // 20 connects, 20 disconnects
const PUSH_P95_AIM_MS = 50;
const IDLE_AIM_PER_MINUTE = 12;
const IDLE_SECONDS = 30;
const CHILD = 'test/bench/wine-ras-child.ts';

const nodeNow = (): number => performance.timeOrigin + performance.now();
const sleep = (ms: number) => new Promise((resolveSleep) => setTimeout(resolveSleep, ms));

function percentile(sorted: readonly number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 20_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(2);
  }
}

/** Change → event latencies (ms) for `mode`, alternating connect and disconnect of a new handle each time. */
async function latencies(mode: 'push' | 'poll', stateFile: string): Promise<{ samples: number[]; updates: string }> {
  writeFakeRasState(stateFile, []);
  const env = { ...fakeRasWindowsEnv(), FAKE_RAS_STATE: windowsPath(stateFile) };
  const child = await startUnderWindowsNode(CHILD, { args: ['events', mode], env, timeoutMs: 600_000 });
  const samples: number[] = [];
  try {
    const updates = await waitFor('the child to start', () => /^ready (\w+)$/m.exec(child.stdout())?.[1]);
    for (let i = 0; i < CHANGES / 2; i++) {
      const handle = 0x5000 + i;
      const id = fakeRasConnectionId(handle);
      for (const [type, connections] of [
        ['added', [{ handle, name: 'Office VPN' }]],
        ['removed', []],
      ] as const) {
        await sleep(Math.random() * 1000); // land anywhere in a poll period
        const writtenAt = nodeNow();
        writeFakeRasState(stateFile, connections);
        const line = new RegExp(`^([\\d.]+) ${type} ${id} `, 'm');
        const seenAt = await waitFor(`${type} ${id} (${mode})`, () => line.exec(child.stdout())?.[1]);
        samples.push(Number(seenAt) - writtenAt);
      }
    }
    return { samples, updates };
  } finally {
    child.signal('SIGINT');
    await child.exited;
  }
}

/** Enumerations (reads) and RasEnumConnectionsW calls per minute, idle and hidden, one connection up. */
async function idlePerMinute(mode: 'push' | 'before', stateFile: string, seconds: number): Promise<{ reads: number; calls: number }> {
  writeFakeRasState(stateFile, [{ handle: 0x6001, name: 'Office VPN' }]);
  const env = { ...fakeRasWindowsEnv(), FAKE_RAS_STATE: windowsPath(stateFile) };
  const child = await startUnderWindowsNode(CHILD, { args: ['idle', mode, String(seconds)], env, timeoutMs: (seconds + 60) * 1000 });
  const run = await child.exited;
  const match = /^idle ([\d.]+) ([\d.]+)$/m.exec(run.stdout);
  if (!match) throw new Error(`idle run printed no figure:\n${run.stdout}\n${run.stderr}`);
  return { reads: Number(match[1]), calls: Number(match[2]) };
}

export async function runWineRasBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-wine-bench-'));
  const stateFile = join(dir, 'state.tsv');
  const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
  try {
    const push = await latencies('push', stateFile);
    const poll = await latencies('poll', stateFile);
    const idleNow = await idlePerMinute('push', stateFile, IDLE_SECONDS);
    const idleBefore = await idlePerMinute('before', stateFile, 10);
    const rows: BenchRow[] = [];
    for (const [mode, result] of [
      ['push', push],
      ['poll', poll],
    ] as const) {
      const sorted = [...result.samples].sort((a, b) => a - b);
      const p95 = percentile(sorted, 95);
      rows.push({
        name: `Wine: fake connect/disconnect → monitor event, ${mode}, p50`,
        value: round(percentile(sorted, 50)),
        unit: 'ms',
        note: `${sorted.length} changes; the monitor said updates=${result.updates}; max ${round(sorted.at(-1)!)} ms`,
      });
      rows.push({
        name: `Wine: fake connect/disconnect → monitor event, ${mode}, p95`,
        value: round(p95),
        unit: 'ms',
        ...(mode === 'push'
          ? { baseline: PUSH_P95_AIM_MS, ratio: round(p95 / PUSH_P95_AIM_MS, 2), note: `aim p95 ≤ ${PUSH_P95_AIM_MS} ms${p95 <= PUSH_P95_AIM_MS ? ' (met)' : ' (MISSED)'}` }
          : { note: 'polling at the default hidden interval (1 s): ≈ half a period on average' }),
      });
    }
    rows.push({
      name: 'Wine: enumerations per minute, idle and hidden, push',
      value: round(idleNow.reads),
      unit: '/min',
      baseline: IDLE_AIM_PER_MINUTE,
      ratio: round(idleNow.reads / IDLE_AIM_PER_MINUTE, 2),
      note: `over ${IDLE_SECONDS} s (${round(idleNow.calls)} RasEnumConnectionsW calls/min: probe + fill); aim ≤ ${IDLE_AIM_PER_MINUTE}${idleNow.reads <= IDLE_AIM_PER_MINUTE + 0.05 ? ' (met)' : ' (MISSED)'}`,
    });
    rows.push({
      name: 'Wine: enumerations per minute, idle and hidden, before (200 ms polling)',
      value: round(idleBefore.reads),
      unit: '/min',
      note: `the cadence before push, over 10 s (${round(idleBefore.calls)} calls/min)`,
    });
    return rows;
  } finally {
    stopWine();
    rmSync(dir, { recursive: true, force: true });
  }
}

export const wineBenchUnavailable = windowsNodeUnavailable;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  for (const row of await runWineRasBench()) {
    const against = row.baseline !== undefined ? `  (baseline ${row.baseline} ${row.unit}, ratio ${row.ratio})` : '';
    console.log(`${row.name}: ${row.value} ${row.unit}${against}${row.note ? `  — ${row.note}` : ''}`);
  }
}
