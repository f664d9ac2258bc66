/**
 * What health costs while the popup is hidden (issue 26), with 1 and 10 connected tunnels on the RAS contract
 * fake, against the same monitor without health (the baseline: the hidden cadence as before, push with
 * Windows' safety read every 60 s and no counters; and one row for the 5 s safety read of Linux and macOS).
 *  - reads per minute: the monitor's own schedule, counted over 10 minutes of node:test's mock clock (the
 *    real ConnectionMonitor; only the timers are mocked, so the count is exact, not sampled);
 *  - CPU per read: process.cpuUsage() over many real reads through the RAS backend and the fake
 *    (RasEnumConnectionsW + RasGetConnectStatusW, and with counters RasGetConnectionStatistics per
 *    connection), plus the stall rule for every connection;
 *  - CPU per hour: the two combined (reads of each kind per hour × CPU per read of that kind).
 *
 *     npx tsx test/bench/health-hidden.ts
 */
import { mock } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import { ConnectionMonitor, DEFAULT_SAFETY_POLL_MS } from '../../electron/core/monitor';
import { WINDOWS_SAFETY_READ_MS } from '../../electron/core/platforms/win32/read-cadence';
import { HealthTracker } from '../../electron/core/health/health-tracker';
import { completeConnection } from '../../electron/core/model';
import { createRasSource } from '../../electron/core/platforms/win32/ras-source';
import type { ReadOptions, SourceConnection } from '../../electron/core/platforms/source';
import { loadFakeRas } from '../support/fake-ras';
import { ScriptedSource, sourceConnection } from '../support/scripted-source';
import type { BenchRow } from './bench-row';

const TUNNELS = [1, 10] as const;
const MINUTES = 10;

/**
 * Reads per minute (all, and those with counters) of a hidden monitor with `tunnels` connected, health on or
 * off, with push and the given safety read (Windows: 60 s, WINDOWS_SAFETY_READ_MS; elsewhere 5 s).
 */
async function readsPerMinute(tunnels: number, health: boolean, safetyPollMs: number): Promise<{ all: number; counters: number }> {
  mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 0 });
  try {
    const source = new ScriptedSource(true);
    source.pollWhileConnecting = false;
    source.connections = Array.from({ length: tunnels }, (_, i) => sourceConnection({ id: `ras:${i + 1}` }));
    const monitor = new ConnectionMonitor(source, { platform: 'bench', safetyPollMs });
    const release = health ? monitor.wantHealth() : () => {};
    const unsubscribe = monitor.subscribe(() => {});
    for (let i = 0; i < 10; i += 1) await turn();
    const start = source.reads.length;
    const startCounters = source.reads.filter((r) => r.counters).length;
    for (let ms = 0; ms < MINUTES * 60_000; ms += 250) {
      mock.timers.tick(250);
      for (let i = 0; i < 4; i += 1) await turn();
    }
    const reads = source.reads.slice(start);
    const counters = source.reads.filter((r) => r.counters).length - startCounters;
    unsubscribe();
    release();
    monitor.close();
    return { all: reads.length / MINUTES, counters: counters / MINUTES };
  } finally {
    mock.timers.reset();
  }
}

/** CPU µs (user + system) per read through the RAS backend over the fake, with or without counters + the rule. */
async function cpuPerRead(tunnels: number, counters: boolean): Promise<number> {
  const fake = loadFakeRas();
  fake.reset();
  const handles = Array.from({ length: tunnels }, (_, i) => fake.add({ name: `VPN ${i}` }));
  handles.forEach((h, i) => fake.setTraffic(h, { bytesIn: 1000 * i, bytesOut: 2000 * i }));
  const source = createRasSource(fake.path);
  const tracker = new HealthTracker();
  const options: ReadOptions = { counters };
  try {
    let now = 0;
    const once = async (): Promise<void> => {
      const readings: SourceConnection[] = await source.read(options);
      now += 10_000;
      const completed = readings.map((r) => completeConnection(r, undefined, now));
      if (counters) tracker.apply(completed, now);
    };
    for (let i = 0; i < 200; i += 1) await once();
    const runs = 2000;
    const before = process.cpuUsage();
    for (let i = 0; i < runs; i += 1) await once();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / runs;
  } finally {
    source.close();
    fake.reset();
  }
}

export async function runHealthHiddenBench(): Promise<BenchRow[]> {
  const rows: BenchRow[] = [];
  for (const safety of [DEFAULT_SAFETY_POLL_MS]) {
    const plain = await readsPerMinute(1, false, safety);
    const withHealth = await readsPerMinute(1, true, safety);
    rows.push({ name: `Linux/macOS cadence (safety read ${safety / 1000} s): reads per minute`, value: withHealth.all, unit: '/min', baseline: plain.all, ratio: withHealth.all / plain.all, note: `${withHealth.counters}/min of them with counters (1 or 10 tunnels alike)` });
  }
  for (const tunnels of TUNNELS) {
    // The RAS fake reads on Windows' own cadence: push, a safety read every 60 s.
    const plain = await readsPerMinute(tunnels, false, WINDOWS_SAFETY_READ_MS);
    const withHealth = await readsPerMinute(tunnels, true, WINDOWS_SAFETY_READ_MS);
    const cpuPlain = await cpuPerRead(tunnels, false);
    const cpuCounters = await cpuPerRead(tunnels, true);
    const perHourBaseline = (plain.all * 60 * cpuPlain) / 1000;
    const perHourHealth = (((withHealth.all - withHealth.counters) * cpuPlain + withHealth.counters * cpuCounters) * 60) / 1000;
    rows.push(
      { name: `${tunnels} tunnel${tunnels > 1 ? 's' : ''}: reads per minute (all)`, value: withHealth.all, unit: '/min', baseline: plain.all, ratio: withHealth.all / plain.all, note: 'baseline: health off (Windows: safety read every 60 s)' },
      { name: `${tunnels} tunnel${tunnels > 1 ? 's' : ''}: reads with counters per minute`, value: withHealth.counters, unit: '/min', note: `${withHealth.counters * tunnels} counter reads of a tunnel per minute (limit: ${6 * tunnels})` },
      { name: `${tunnels} tunnel${tunnels > 1 ? 's' : ''}: CPU per read`, value: cpuCounters, unit: 'µs', baseline: cpuPlain, ratio: cpuCounters / cpuPlain, note: 'with counters + stall rule vs without' },
      { name: `${tunnels} tunnel${tunnels > 1 ? 's' : ''}: CPU per hour hidden`, value: perHourHealth, unit: 'ms', baseline: perHourBaseline, ratio: perHourHealth / perHourBaseline, note: 'reads × CPU per read (JS side and the fake; not the real RasMan)' },
    );
  }
  return rows;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const row of await runHealthHiddenBench()) console.log(JSON.stringify(row));
}
