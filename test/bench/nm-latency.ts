/**
 * Linux on a real NetworkManager (issue 29): Connect click → connected and Disconnect click → gone, p50/p95
 * over 10 cycles against the real OpenVPN server of test/support/real-nm.ts, with nmcli's own up/down in the
 * same run as the baseline (nm-latency-child.ts says exactly what is timed). The popup's IPC hop and render
 * come on top (test/bench/popup-latency.ts measures those).
 * Needs Linux, root, network-manager and network-manager-openvpn. Standalone: `tsx test/bench/nm-latency.ts`.
 */
import { fileURLToPath, pathToFileURL } from 'node:url';
import { percentile } from '../fixtures/tunnels/measure';
import { GOOD_PROFILE, RealNetworkManager, realNetworkManagerMissing } from '../support/real-nm';
import type { BenchRow } from './bench-row';

const CHILD = fileURLToPath(new URL('./nm-latency-child.ts', import.meta.url));
const CYCLES = 10;

export const nmLatencyNeeds = realNetworkManagerMissing;

export async function runNmLatencyBench(): Promise<BenchRow[]> {
  const lab = new RealNetworkManager();
  try {
    await lab.setup();
    const r = await lab.node(CHILD, [GOOD_PROFILE, String(CYCLES)], 300_000);
    if (r.status !== 0) throw new Error(`nm-latency-child failed (${r.status}): ${r.stderr}`);
    const m = JSON.parse(r.stdout) as { connectMs: number[]; disconnectMs: number[]; nmcliUpMs: number[]; nmcliDownMs: number[] };
    const rows: BenchRow[] = [];
    for (const [what, ours, theirs, base] of [
      ['Connect click → connected', m.connectMs, m.nmcliUpMs, 'nmcli connection up'],
      ['Disconnect click → gone', m.disconnectMs, m.nmcliDownMs, 'nmcli connection down + tun gone'],
    ] as const) {
      for (const p of [50, 95]) {
        const value = percentile(ours, p);
        const baseline = percentile(theirs, p);
        rows.push({ name: `${what}, p${p} (${CYCLES} cycles)`, value, unit: 'ms', baseline, ratio: value / baseline, note: `baseline: ${base}; max ${Math.max(...ours).toFixed(0)} ms` });
      }
    }
    return rows;
  } finally {
    lab.teardown();
  }
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const missing = nmLatencyNeeds();
  if (missing) {
    console.log(`skipped: ${missing}`);
  } else {
    for (const row of await runNmLatencyBench()) console.log(`${row.name}: ${row.value.toFixed(1)} ms (baseline ${row.baseline?.toFixed(1)} ms, ${row.ratio?.toFixed(2)}×) ${row.note ?? ''}`);
  }
}
