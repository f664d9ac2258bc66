/**
 * How long one RAS snapshot takes (size probe, RasEnumConnectionsW, RasGetConnectStatusW per connection,
 * decode, map to SourceConnection) through koffi and the backend, against C making the same calls on the
 * same fake library in the same run (test/bench/ras-baseline.c, which decodes no strings).
 * Aim: ≤ 5× C at 256 connections, < 50 µs for one. Standalone: `tsx test/bench/ras-snapshot.ts`.
 * The source reuses the decoded record of an entry whose bytes did not change (the steady state of a poll);
 * the last row measures the same snapshot with every entry decoded again.
 */
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { BUILD_DIR, FIXTURES_DIR, buildC, loadFakeRas } from '../support/fake-ras';
import { microsPerCall, type BenchRow } from './bench-row';

export const RAS_BENCH_COUNTS = [1, 16, 256] as const;
const PHONEBOOK = 'C:\\ProgramData\\Microsoft\\Network\\Connections\\Pbk\\rasphone.pbk';
const SAMPLES = 41;

function baselinePath(): string {
  const source = join(import.meta.dirname, 'ras-baseline.c');
  return buildC(join(BUILD_DIR, 'ras-baseline'), [source], ['-ldl'], [source, join(FIXTURES_DIR, 'fake-rasapi32.h'), join(import.meta.dirname, 'baseline-timing.h'), join(import.meta.dirname, 'baseline-dl.h')]);
}

/** Median µs per snapshot of the C baseline, per connection count. */
function runBaseline(library: string, counts: readonly number[]): Map<number, number> {
  const out = execFileSync(baselinePath(), [library, ...counts.map(String)], { encoding: 'utf8' });
  const result = new Map<number, number>();
  for (const line of out.trim().split('\n')) {
    const [n, ns] = line.split(' ').map(Number);
    result.set(n!, ns! / 1000);
  }
  return result;
}

/** Median µs per snapshot through createRasSource(fake).read(), for `n` connections. */
async function measure(n: number, reuseUnchanged = true): Promise<number> {
  const fake = loadFakeRas();
  fake.reset();
  for (let i = 0; i < n; i++) fake.add({ name: `Office VPN ${i + 1}`, phonebook: PHONEBOOK });
  const source = createRasSource(fake.path, { reuseUnchanged });
  try {
    return await microsPerCall(n >= 64 ? 50 : 2000, async () => (await source.read({ counters: false })).length === n, 10, SAMPLES);
  } finally {
    source.close();
    fake.reset();
  }
}

export async function runRasBench(): Promise<BenchRow[]> {
  const library = loadFakeRas().path;
  const rows: BenchRow[] = [];
  const measured = new Map<number, number>();
  for (const n of RAS_BENCH_COUNTS) measured.set(n, await measure(n));
  const cold256 = await measure(256, false);
  const baseline = runBaseline(library, RAS_BENCH_COUNTS);
  for (const n of RAS_BENCH_COUNTS) {
    const value = measured.get(n)!;
    const base = baseline.get(n)!;
    const aim = n === 256 ? 'aim ≤ 5× C' : n === 1 ? 'aim < 50 µs' : undefined;
    rows.push({
      name: `RAS snapshot, ${n} connection${n === 1 ? '' : 's'} (koffi + decode vs C calls)`,
      value: round(value),
      unit: 'µs',
      baseline: round(base),
      ratio: round(value / base),
      ...(aim ? { note: aim } : {}),
    });
  }
  const base256 = baseline.get(256)!;
  rows.push({
    name: 'RAS snapshot, 256 connections, every entry decoded again (no reuse of unchanged entries)',
    value: round(cold256),
    unit: 'µs',
    baseline: round(base256),
    ratio: round(cold256 / base256),
    note: 'the cost when every connection changed since the last read',
  });
  return rows;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runRasBench();
  console.table(rows.map((r) => ({ name: r.name, [`value (${r.unit})`]: r.value, [`C (${r.unit})`]: r.baseline, ratio: r.ratio, note: r.note ?? '' })));
}
