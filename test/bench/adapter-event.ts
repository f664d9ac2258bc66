/**
 * Adapter up → `added` event under Wine: Windows Node, the DLL build of the fake iphlpapi calling the
 * registered callbacks from its own Windows thread, against the same change seen by 200 ms polling in the
 * same run (test/bench/adapter-event-child.ts does the measuring, in the Windows process).
 */
import { fakeIphlpapiWindowsEnv } from '../support/fake-iphlpapi';
import { runUnderWindowsNode, stopWine, windowsNodeUnavailable } from '../support/windows-node';
import type { BenchRow } from './bench-row';

const SAMPLES = 20;

function percentile(values: number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

export const adapterEventNeeds = (): string | null => windowsNodeUnavailable();

export async function runAdapterEventBench(): Promise<BenchRow[]> {
  try {
    const run = await runUnderWindowsNode('test/bench/adapter-event-child.ts', { args: [String(SAMPLES)], env: fakeIphlpapiWindowsEnv(), timeoutMs: 120_000 });
    if (run.status !== 0) throw new Error(`the Windows child failed (${run.status}): ${run.stderr}`);
    const { push, poll } = JSON.parse(run.stdout.trim().split('\n').pop()!) as { push: number[]; poll: number[] };
    const round = (x: number) => Math.round(x * 10) / 10;
    return [50, 95].map((p) => ({
      name: `Adapter up → added event under Wine, push (fake's callbacks), p${p}`,
      value: round(percentile(push, p)),
      unit: 'ms',
      baseline: round(percentile(poll, p)),
      ratio: Math.round((percentile(push, p) / percentile(poll, p)) * 100) / 100,
      note: `baseline: 200 ms polling; ${SAMPLES} samples each; the fake looks for changes every 10 ms`,
    }));
  } finally {
    stopWine();
  }
}
