/**
 * How long one adapter snapshot takes (GetAdaptersAddresses into the kept buffer, decode of the list and its
 * address lists, classification, GetIfEntry2 per listed adapter, map to SourceConnection) through koffi and
 * the backend, against C making the same calls on the same fake library in the same run
 * (test/bench/adapter-baseline.c, which decodes no strings). Standalone: `tsx test/bench/adapter-snapshot.ts`.
 * The source reuses the decoded list while the bytes do not change (the steady state of a poll); the last
 * row decodes it every time.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createAdapterSource } from '../../electron/core/platforms/win32/adapter-source';
import { BUILD_DIR, buildC } from '../support/fake-ras';
import { FAKE_IPHLPAPI_HEADER, loadFakeIphlpapi, writeFakeIphlpapiState, type FakeAdapter } from '../support/fake-iphlpapi';
import { microsPerCall, type BenchRow } from './bench-row';

export const ADAPTER_BENCH_COUNTS = [4, 64] as const;

/** `n` VPN adapters, each with an IPv4, an IPv6 and a link-local address, and counters. */
export function benchAdapters(n: number): FakeAdapter[] {
  return Array.from({ length: n }, (_, i) => ({
    ifIndex: 100 + i,
    luid: 0x0035_0000_0000_0000n | (BigInt(i + 1) << 24n),
    friendlyName: `Tunnel ${i + 1}`,
    description: i % 2 ? 'WireGuard Tunnel' : 'Wintun Userspace Tunnel',
    addresses: [`10.${i >> 8}.${i & 255}.2/24`, `fd00:${i.toString(16)}::2/64`, `fe80::${(i + 1).toString(16)}/64`],
    inOctets: 1_000_000 * (i + 1),
    outOctets: 2_000_000 * (i + 1),
  }));
}

function baselinePath(): string {
  const source = join(import.meta.dirname, 'adapter-baseline.c');
  return buildC(join(BUILD_DIR, 'adapter-baseline'), [source], ['-ldl'], [source, FAKE_IPHLPAPI_HEADER, join(import.meta.dirname, 'baseline-timing.h')]);
}

/** Median µs per snapshot through createAdapterSource(fake).read({ counters: true }). */
async function measure(n: number, reuseUnchanged = true): Promise<number> {
  const fake = loadFakeIphlpapi();
  fake.reset();
  fake.setState(benchAdapters(n));
  const source = createAdapterSource(fake.path, { reuseUnchanged });
  try {
    return await microsPerCall(n >= 64 ? 200 : 2000, async () => (await source.read({ counters: true })).length === n);
  } finally {
    source.close();
    fake.reset();
  }
}

function runBaseline(library: string, n: number): number {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-adapter-bench-'));
  try {
    const state = join(dir, 'state.tsv');
    writeFakeIphlpapiState(state, benchAdapters(n));
    return Number(execFileSync(baselinePath(), [library, state, String(n)], { encoding: 'utf8' }).trim()) / 1000;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runAdapterBench(): Promise<BenchRow[]> {
  const library = loadFakeIphlpapi().path;
  const rows: BenchRow[] = [];
  for (const n of ADAPTER_BENCH_COUNTS) {
    const value = await measure(n);
    const base = runBaseline(library, n);
    rows.push({
      name: `Adapter snapshot, ${n} adapters (enumerate + counters; koffi + decode vs C calls)`,
      value: round(value),
      unit: 'µs',
      baseline: round(base),
      ratio: round(value / base),
      note: 'the decoded list is reused while GetAdaptersAddresses writes the same bytes',
    });
  }
  const cold = await measure(64, false);
  const base64 = runBaseline(library, 64);
  rows.push({
    name: 'Adapter snapshot, 64 adapters, the list decoded again every time',
    value: round(cold),
    unit: 'µs',
    baseline: round(base64),
    ratio: round(cold / base64),
    note: 'the cost when an adapter or address changed since the last read',
  });
  return rows;
}

function round(x: number): number {
  return Math.round(x * 100) / 100;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runAdapterBench();
  console.table(rows.map((r) => ({ name: r.name, [`value (${r.unit})`]: r.value, [`C (${r.unit})`]: r.baseline, ratio: r.ratio })));
}
