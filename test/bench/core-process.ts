/**
 * What isolating the core in its own process costs (electron/core/host/): start to first answer, latency of
 * one read, and memory, against the same RAS backend read in this process (the baseline, same run), over
 * the contract fake with one connection. The app reads every 200 ms at most, so the per-read figure is what
 * matters; start and memory are paid once.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createCoreSource } from '../../electron/core/host/core-client';
import { forkCore } from '../../electron/core/host/fork-channel';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import { fakeRasPath, writeFakeRasState } from '../support/fake-ras';
import type { BenchRow } from './bench-row';

const READS = 300;
const ENTRY = new URL('../../electron/core/host/core-process.ts', import.meta.url);

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Resident memory of a process in MB (Linux /proc; elsewhere this process only). */
function rssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/VmRSS:\s+(\d+) kB/.exec(status)?.[1] ?? 0);
  return kb / 1024;
}

async function timedReads(read: () => Promise<unknown>): Promise<number> {
  const times: number[] = [];
  for (let i = 0; i < READS; i++) {
    const started = performance.now();
    await read();
    times.push(performance.now() - started);
  }
  return median(times) * 1000;
}

export async function runCoreProcessBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-bench-core-'));
  const stateFile = join(dir, 'ras-state');
  const library = fakeRasPath();
  writeFakeRasState(stateFile, [{ handle: 0x10, name: 'Office VPN' }]);
  process.env.FAKE_RAS_STATE = stateFile;
  try {
    // Baseline: the backend in this process, as the CLI runs it.
    const inStarted = performance.now();
    const direct = createRasSource(library);
    await direct.read({ counters: false });
    const inStartMs = performance.now() - inStarted;
    const inReadUs = await timedReads(() => direct.read({ counters: false }));
    direct.close();

    let pid = 0;
    const started = performance.now();
    const core = createCoreSource({
      backend: 'rasapi32',
      spawn: forkCore({ entry: ENTRY, execArgv: ['--import', 'tsx'], env: { ...process.env, LINKWATCH_RASAPI: library }, onSpawn: (p) => (pid = p) }),
    });
    await core.read({ counters: false });
    const coreStartMs = performance.now() - started;
    const coreReadUs = await timedReads(() => core.read({ counters: false }));
    const coreMb = process.platform === 'linux' ? rssMb(pid) : Number.NaN;
    await core.shutdown();

    return [
      { name: 'start to first read', value: coreStartMs, unit: 'ms', baseline: inStartMs, ratio: coreStartMs / inStartMs, note: 'once per app start; the core under tsx here, built JS in the app' },
      { name: 'one read, median of 300', value: coreReadUs, unit: 'µs', baseline: inReadUs, ratio: coreReadUs / inReadUs, note: 'the IPC round trip on top of the read' },
      { name: 'core process memory (RSS)', value: coreMb, unit: 'MB', note: 'a separate Node; the baseline adds ~0 to this process' },
    ];
  } finally {
    delete process.env.FAKE_RAS_STATE;
    rmSync(dir, { recursive: true, force: true });
  }
}
