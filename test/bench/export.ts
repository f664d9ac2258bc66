/**
 * The Prometheus export's cost: from a change to both files written (render with prom-client, two atomic
 * writes with fsync), p50/p95 over 200 changes with 10 connections, against the same-run baseline of the
 * `list --json` document alone written the same atomic way; and the files' sizes with 10 connections.
 *
 *     npx tsx test/bench/export.ts
 */
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { Snapshot } from '../../shared/connection';
import { PROMETHEUS_FILE, STATUS_FILE, TextfileExport } from '../../electron/core/export/textfile-export';
import { toJsonSnapshot } from '../../electron/core/snapshot-json';
import { connection } from '../support/connections';
import type { BenchRow } from './bench-row';

const CHANGES = 200;
const CONNECTIONS = 10;

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;
}

function snapshotAt(step: number): Snapshot {
  return {
    platform: 'linux',
    backend: 'netlink',
    updates: 'push',
    error: null,
    takenAt: step,
    connections: Array.from({ length: CONNECTIONS }, (_, i) =>
      connection({
        id: `netlink:${i + 3}:tun${i}`,
        name: `Office VPN ${i}`,
        deviceName: `tun${i}`,
        deviceType: 'tun',
        owner: 'OpenVPN',
        addresses: [`10.8.${i}.2/24`, `fd00:${i}::2/64`],
        bytesIn: 1_000_000 * i + step * 1500,
        bytesOut: 200_000 * i + step * 900,
        connectedSince: 1_764_064_800_000 + i * 60_000,
      }),
    ),
  };
}

export async function runExportBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-export-bench-'));
  try {
    let step = 0;
    let wrote: () => void = () => {};
    const exporter = new TextfileExport(dir, { snapshot: () => snapshotAt(step), statusDocument: toJsonSnapshot, drops: () => [{ name: 'Office VPN 1', kind: 'vpn', drops: 4 }] }, {
      minIntervalMs: 0,
      onWritten: () => wrote(),
      onError: (error) => {
        throw new Error(error.message);
      },
    });
    const exportMs: number[] = [];
    const baselineMs: number[] = [];
    for (let i = 0; i < CHANGES; i += 1) {
      step = i;
      const done = new Promise<void>((resolve) => (wrote = resolve));
      const started = performance.now();
      exporter.changed();
      await done;
      exportMs.push(performance.now() - started);
      // Baseline: the JSON document alone, written the same atomic way (temp file, fsync, rename).
      const t0 = performance.now();
      await writeFileAtomic(join(dir, 'baseline.json'), `${JSON.stringify(toJsonSnapshot(snapshotAt(i)), null, 2)}\n`, { encoding: 'utf8', mode: 0o644 });
      baselineMs.push(performance.now() - t0);
    }
    await exporter.close({ remove: false });
    const promBytes = statSync(join(dir, PROMETHEUS_FILE)).size;
    const jsonBytes = statSync(join(dir, STATUS_FILE)).size;
    const p50 = percentile(exportMs, 50);
    const p95 = percentile(exportMs, 95);
    const b50 = percentile(baselineMs, 50);
    const b95 = percentile(baselineMs, 95);
    return [
      { name: `export per change, ${CONNECTIONS} connections, p50 (render + 2 atomic writes)`, value: p50, unit: 'ms', baseline: b50, ratio: p50 / b50, note: 'baseline: the list --json document alone, atomically' },
      { name: `export per change, ${CONNECTIONS} connections, p95`, value: p95, unit: 'ms', baseline: b95, ratio: p95 / b95 },
      { name: `linkwatch.prom, ${CONNECTIONS} connections`, value: promBytes / 1024, unit: 'KiB' },
      { name: `linkwatch.json, ${CONNECTIONS} connections`, value: jsonBytes / 1024, unit: 'KiB' },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await runExportBench()) console.log(row);
}
