/**
 * Routing verdict costs (issue 25), in a network namespace of the benchmark's own with a tun interface
 * (`ip tuntap`, addressed and up) standing for a VPN, and a veth for the LAN with a default route:
 *
 * 1. The verdict after a route change: one routes-only re-read (`readRouting`: link, route and rule dumps, two
 *    RTM_GETROUTE lookups, resolv.conf and a lookup per resolver) plus the pure verdict, p50/p95, against a full
 *    re-read of the connections (`read`), the work a route change would cost without the routes-only path.
 * 2. Route change → verdict update delivered by the monitor (push: the route groups), p50/p95, against the
 *    `ip route` command alone (most of that time is the command's own process start).
 * 3. An "idle" machine's route churn (a route added and removed on the LAN link every 500 ms, as router
 *    advertisements refresh routes): route messages per minute against full re-reads per minute.
 *
 * Needs root and ip. Standalone: `tsx test/bench/routing-verdict.ts`.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { MonitorUpdate } from '../../shared/connection';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createLinuxSource } from '../../electron/core/platforms/linux/linux-source';
import { routingVerdict } from '../../electron/core/routing/verdict';
import { percentile } from '../fixtures/tunnels/measure';
import type { BenchRow } from './bench-row';

const SELF = fileURLToPath(import.meta.url);
const SAMPLES = 201;
const CHANGES = 41;
const CHURN_SECONDS = 20;
const round = (n: number, digits = 3): number => Number(n.toPrecision(digits));

interface ChildResult {
  routingUs: number[];
  fullReadUs: number[];
  changeMs: number[];
  ipAloneMs: number[];
  churn: { messages: number; fullReads: number; routingReads: number; seconds: number };
}

const ip = (args: string[]): void => void execFileSync('ip', args);

async function child(dev: string, resolvConf: string): Promise<void> {
  const source = createLinuxSource({ networkManager: false, routing: { connectBus: null, resolvConfPath: resolvConf } });
  const ids = (await source.read({ counters: false })).map((c) => c.id);
  const time = async (call: () => Promise<unknown>): Promise<number> => {
    const t0 = process.hrtime.bigint();
    await call();
    return Number(process.hrtime.bigint() - t0) / 1000;
  };
  for (let i = 0; i < 20; i++) routingVerdict(await source.readRouting!(), ids);
  // Subscribed, as the app is: the route message marks the resolvers for a fresh read, as it does there.
  let signals = 0;
  const unwatch = source.watch!((scope) => {
    if (scope === 'routing') signals += 1;
  });
  const routingUs: number[] = [];
  const fullReadUs: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    const before = signals;
    ip(['route', i % 2 ? 'del' : 'add', '10.250.0.0/16', 'dev', dev]);
    const deadline = Date.now() + 5000;
    while (signals === before && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 1));
    // Alternate which goes first: the first after `ip` meets colder caches.
    const routing = (): Promise<number> => time(async () => routingVerdict(await source.readRouting!(), ids));
    const full = (): Promise<number> => time(() => source.read({ counters: false }));
    if (i % 2) {
      routingUs.push(await routing());
      fullReadUs.push(await full());
    } else {
      fullReadUs.push(await full());
      routingUs.push(await routing());
    }
  }
  unwatch();
  source.close();

  // 2 and 3: through the monitor, with push.
  const monitor = new ConnectionMonitor(createLinuxSource({ networkManager: false, routing: { connectBus: null, resolvConfPath: resolvConf } }));
  let last: MonitorUpdate | null = null;
  let wake: (() => void) | null = null;
  monitor.subscribe((update) => {
    last = update;
    wake?.();
  });
  await monitor.refresh();
  const until = async (check: () => boolean): Promise<void> => {
    const deadline = Date.now() + 5000;
    while (!check()) {
      if (Date.now() > deadline) throw new Error('no verdict update within 5 s');
      await new Promise<void>((resolve) => {
        wake = resolve;
        setTimeout(resolve, 50);
      });
    }
  };
  const changeMs: number[] = [];
  const ipAloneMs: number[] = [];
  for (let i = 0; i < CHANGES; i++) {
    const full = i % 2 === 0;
    const t0 = performance.now();
    for (const half of ['0.0.0.0/1', '128.0.0.0/1']) ip(['route', full ? 'add' : 'del', half, 'dev', dev]);
    await until(() => (last?.snapshot.verdict?.ipv4Interface === dev) === full);
    changeMs.push(performance.now() - t0);
    const t1 = performance.now();
    for (const route of ['10.251.0.0/16', '10.252.0.0/16']) ip(['route', 'add', route, 'dev', 'lan']);
    ipAloneMs.push(performance.now() - t1);
    for (const route of ['10.251.0.0/16', '10.252.0.0/16']) ip(['route', 'del', route, 'dev', 'lan']);
  }
  await new Promise((resolve) => setTimeout(resolve, 300));
  const before = monitor.readCounts;
  let messages = 0;
  const churnEnd = Date.now() + CHURN_SECONDS * 1000;
  for (let i = 0; Date.now() < churnEnd; i++) {
    ip(['route', i % 2 ? 'del' : 'add', '10.253.0.0/24', 'dev', 'lan']);
    messages += 1;
    await new Promise((resolve) => setTimeout(resolve, 500));
  }
  const after = monitor.readCounts;
  monitor.close();
  const result: ChildResult = {
    routingUs,
    fullReadUs,
    changeMs,
    ipAloneMs,
    churn: { messages, fullReads: after.full - before.full, routingReads: after.routingOnly - before.routingOnly, seconds: CHURN_SECONDS },
  };
  process.stdout.write(`${JSON.stringify(result)}\n`);
  process.exit(0);
}

export async function runRoutingBench(): Promise<BenchRow[]> {
  const ns = `lw-bench-${process.pid}-25`;
  const dev = 'lwbv0';
  const dir = mkdtempSync(join(tmpdir(), 'lw-routing-bench-'));
  const resolvConf = join(dir, 'resolv.conf');
  writeFileSync(resolvConf, 'nameserver 198.18.0.1\n');
  try {
    ip(['netns', 'add', ns]);
    const batch = [
      'link set lo up',
      `tuntap add dev ${dev} mode tun`,
      `addr add 10.8.0.2/24 dev ${dev}`,
      `link set ${dev} up`,
      'link add lan type veth peer name lan-peer',
      'addr add 198.18.0.2/24 dev lan',
      'link set lan up',
      'link set lan-peer up',
      'route add default via 198.18.0.1 dev lan',
    ];
    execFileSync('ip', ['-n', ns, '-batch', '-'], { input: batch.join('\n') });
    const out = execFileSync('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', SELF, '--child', dev, resolvConf], { encoding: 'utf8', timeout: 180_000 });
    const r = JSON.parse(out.trim().split('\n').at(-1)!) as ChildResult;
    const perMinute = (n: number): number => round((n * 60) / r.churn.seconds);
    const p = (values: number[], q: number): number => round(percentile(values, q));
    return [
      { name: 'verdict after a route change (routes-only re-read + verdict) p50', value: p(r.routingUs, 50), unit: 'µs', baseline: p(r.fullReadUs, 50), ratio: round(percentile(r.routingUs, 50) / percentile(r.fullReadUs, 50)), note: 'baseline: a full read() of the connections' },
      { name: 'verdict after a route change (routes-only re-read + verdict) p95', value: p(r.routingUs, 95), unit: 'µs', baseline: p(r.fullReadUs, 95), ratio: round(percentile(r.routingUs, 95) / percentile(r.fullReadUs, 95)), note: `${SAMPLES} changes, 1 tun + 1 veth, resolv.conf with 1 server` },
      { name: 'route change → verdict update (push) p50', value: p(r.changeMs, 50), unit: 'ms', baseline: p(r.ipAloneMs, 50), ratio: round(percentile(r.changeMs, 50) / percentile(r.ipAloneMs, 50)), note: 'baseline: the two `ip route` commands alone' },
      { name: 'route change → verdict update (push) p95', value: p(r.changeMs, 95), unit: 'ms', baseline: p(r.ipAloneMs, 95), ratio: round(percentile(r.changeMs, 95) / percentile(r.ipAloneMs, 95)), note: `${CHANGES} changes` },
      { name: 'idle route churn: route messages handled', value: perMinute(r.churn.messages), unit: '/min', note: `a LAN route added/removed every 500 ms for ${r.churn.seconds} s` },
      { name: 'idle route churn: routes-only re-reads', value: perMinute(r.churn.routingReads), unit: '/min' },
      { name: 'idle route churn: full re-reads', value: perMinute(r.churn.fullReads), unit: '/min', note: 'the 5 s safety read only: no route message caused one' },
    ];
  } finally {
    spawnSync('ip', ['netns', 'delete', ns]);
    rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  if (process.argv[2] === '--child') await child(process.argv[3]!, process.argv[4]!);
  else console.table(await runRoutingBench());
}
