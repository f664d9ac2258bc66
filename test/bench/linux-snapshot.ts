/**
 * Linux snapshot cost and event latency.
 *
 * 1. One `createLinuxSource().read({counters: true})` with 1 and 64 tun interfaces (persistent tun devices
 *    made by the benchmark in a namespace of its own, with an IPv4 and an IPv6 address each), against C
 *    reading the same facts over the same two rtnetlink dumps (test/bench/netlink-baseline.c, built with
 *    `cc` into test/fixtures/build/). Same run, median of many iterations, in the same namespace.
 * 2. Address-up → monitor event latency on the real OpenVPN and wireguard-go tunnels of test/support/tunnels.
 *
 * Needs root, ip, cc (and for 2: openvpn, wireguard-go, wg, openssl). Standalone: `tsx test/bench/linux-snapshot.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MonitorUpdate } from '../../shared/connection';
import { createLinuxSource } from '../../electron/core/platforms/linux/linux-source';
import { collectLines, median, percentile, startAddressMonitor } from '../fixtures/tunnels/measure';
import { TunnelLab, cleanLeftovers, hasCommand, tunnelSupport } from '../support/tunnels';
import type { BenchRow } from './bench-row';

const HERE = import.meta.dirname;
const BUILD_DIR = join(HERE, '..', 'fixtures', 'build');
const BASELINE_SOURCE = join(HERE, 'netlink-baseline.c');
const BASELINE = join(BUILD_DIR, 'netlink-baseline');
const MONITOR_CHILD = fileURLToPath(new URL('../fixtures/tunnels/monitor-child.ts', import.meta.url));
export const LINUX_BENCH_COUNTS = [1, 64] as const;
const SAMPLES = 31;

function buildBaseline(): string {
  if (!existsSync(BASELINE) || statSync(BASELINE).mtimeMs < statSync(BASELINE_SOURCE).mtimeMs) {
    mkdirSync(BUILD_DIR, { recursive: true });
    execFileSync('cc', ['-O2', '-Wall', '-o', BASELINE, BASELINE_SOURCE]);
  }
  return BASELINE;
}

/** Child mode: median µs per read() for the links of the current namespace. Prints "<µs> <connections>". */
async function childMeasure(counters: boolean): Promise<void> {
  const source = createLinuxSource({ networkManager: false });
  try {
    const first = await source.read({ counters });
    const batch = first.length >= 64 ? 100 : 1000;
    for (let i = 0; i < 5 * batch; i++) await source.read({ counters });
    const samples: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const t0 = process.hrtime.bigint();
      for (let b = 0; b < batch; b++) await source.read({ counters });
      samples.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
    console.log(`${median(samples)} ${first.length}`);
  } finally {
    source.close();
  }
}

function inNamespace(ns: string, command: string, args: string[]): string {
  return execFileSync('ip', ['netns', 'exec', ns, command, ...args], { encoding: 'utf8' });
}

async function snapshotRows(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  const baseline = buildBaseline();
  for (const n of LINUX_BENCH_COUNTS) {
    const ns = `lw-bench-${process.pid}`;
    cleanLeftovers();
    execFileSync('ip', ['netns', 'add', ns]);
    try {
      const batch: string[] = [];
      for (let i = 0; i < n; i++) {
        const dev = `lwb${i}`;
        batch.push(`tuntap add dev ${dev} mode tun`, `link set ${dev} up`, `addr add 10.201.${i}.1/24 dev ${dev}`, `addr add fd00:201:${i.toString(16)}::1/64 dev ${dev} nodad`);
      }
      execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') });
      const [jsUs, jsCount] = inNamespace(ns, process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', 'counters']).trim().split(' ').map(Number);
      const [jsNoCountersUs] = inNamespace(ns, process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--child', 'no-counters']).trim().split(' ').map(Number);
      const [cNs, cCount] = inNamespace(ns, baseline, [n >= 64 ? '5000' : '20000']).trim().split(' ').map(Number);
      if (jsCount !== n || cCount !== n) throw new Error(`expected ${n} tunnels, read ${jsCount} (JS) and ${cCount} (C)`);
      const cUs = cNs! / 1000;
      rows.push({ name: `linux snapshot, ${n} tun (counters)`, value: round(jsUs!), unit: 'µs', baseline: round(cUs), ratio: round(jsUs! / cUs), note: 'read({counters:true}) vs C over the same dumps' });
      rows.push({ name: `linux snapshot, ${n} tun (no counters)`, value: round(jsNoCountersUs!), unit: 'µs', note: 'IFLA_EXT_MASK skip-stats request' });
    } finally {
      spawnSync('ip', ['netns', 'delete', ns]);
    }
  }
  return rows;
}

async function latencyRows(cycles = 6): Promise<BenchRow[]> {
  const lab = new TunnelLab();
  const child = (() => {
    lab.setup();
    return lab.spawnNodeInClient(MONITOR_CHILD, [], { stdio: ['pipe', 'pipe', 'ignore'] });
  })();
  const monitor = startAddressMonitor(lab);
  try {
    const updates: { t: number; update: MonitorUpdate }[] = [];
    collectLines(child, (line) => updates.push(JSON.parse(line) as { t: number; update: MonitorUpdate }));
    await monitor.ready;
    const latencies: number[] = [];
    const waitFor = async (check: () => boolean): Promise<void> => {
      const deadline = Date.now() + 15_000;
      while (!check()) {
        if (Date.now() > deadline) throw new Error('timed out');
        await new Promise((r) => setTimeout(r, 5));
      }
    };
    for (let i = 0; i < cycles; i++) {
      for (const [up, down, tunnel] of [
        [() => lab.wireguardUp(), () => lab.wireguardDown(), lab.wireguard],
        [() => lab.openvpnUp(), () => lab.openvpnDown(), lab.openvpn],
      ] as const) {
        const from = updates.length;
        const cidr = `${tunnel.clientAddress}/${tunnel.prefix}`;
        monitor.mark();
        await up();
        let at = 0;
        await waitFor(() => {
          const hit = updates.slice(from).find((u) => u.update.events.some((e) => e.type !== 'error' && e.type !== 'removed' && e.connection.deviceName === tunnel.ifname && e.connection.addresses.includes(cidr)));
          at = hit?.t ?? 0;
          return hit !== undefined;
        });
        latencies.push(at - (await monitor.addressAddedAt(tunnel.ifname, tunnel.clientAddress)));
        const gone = updates.length;
        await down();
        await waitFor(() => updates.slice(gone).some((u) => u.update.events.some((e) => e.type === 'removed' && e.connection.deviceName === tunnel.ifname)));
      }
    }
    const note = `${latencies.length} ups of real OpenVPN + wireguard-go; kernel time from ip -ts monitor`;
    return [
      { name: 'linux address-up → monitor event p50', value: round(percentile(latencies, 50)), unit: 'ms', note },
      { name: 'linux address-up → monitor event p95', value: round(percentile(latencies, 95)), unit: 'ms', note },
    ];
  } finally {
    child.kill('SIGKILL');
    monitor.stop();
    lab.teardown();
  }
}

const round = (x: number): number => Math.round(x * 100) / 100;

export async function runLinuxBench(): Promise<BenchRow[]> {
  if (process.platform !== 'linux' || process.getuid?.() !== 0 || !hasCommand('ip') || !hasCommand('cc')) {
    return [{ name: 'linux snapshot', value: NaN, unit: 'µs', note: 'skipped: needs Linux, root, ip and cc' }];
  }
  const rows = await snapshotRows();
  const support = tunnelSupport();
  if (support.ok) rows.push(...(await latencyRows()));
  else rows.push({ name: 'linux address-up → monitor event', value: NaN, unit: 'ms', note: `skipped: ${support.reason}` });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const childIndex = process.argv.indexOf('--child');
  if (childIndex !== -1) {
    await childMeasure(process.argv[childIndex + 1] === 'counters');
  } else {
    const rows = await runLinuxBench();
    console.table(rows.map((r) => ({ name: r.name, [`value (${r.unit})`]: r.value, [`C (${r.unit})`]: r.baseline, ratio: r.ratio, note: r.note ?? '' })));
  }
}
