/**
 * Runs inside a real NetworkManager's namespaces (test/support/real-nm.ts) and prints one JSON line of
 * milliseconds, N cycles each:
 *   - connectMs: Connect (SavedConnections.connect, what the popup's and the tray's click calls in the core)
 *     until the monitor's update shows the profile's row connected (what the popup renders);
 *   - disconnectMs: Disconnect (ConnectionMonitor.hangUp, what the row's button calls) until the monitor's
 *     update no longer lists the row;
 *   - nmcliUpMs / nmcliDownMs, the baseline measured in the same run: `nmcli connection up` until it returns
 *     (NetworkManager says activated), `nmcli connection down` until the tun is gone (its link polled every
 *     5 ms: nmcli returns before the plugin's OpenVPN has exited).
 * Usage: nm-latency-child.ts <profile> <cycles>
 */
import { execFileSync } from 'node:child_process';
import type { Snapshot } from '../../shared/connection';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createLinuxSource } from '../../electron/core/platforms/linux/linux-source';
import { SavedConnections } from '../../electron/core/saved';

const [profile = 'Lab OpenVPN', cyclesText = '10'] = process.argv.slice(2);
const cycles = Number(cyclesText);
const source = createLinuxSource();
const monitor = new ConnectionMonitor(source);
const saved = new SavedConnections(source, monitor);
let waiter: { test: (s: Snapshot) => boolean; resolve: (at: number) => void } | null = null;
const unsubscribe = monitor.subscribe((update) => {
  if (process.env.LW_DEBUG) process.stderr.write(`${performance.now().toFixed(0)} ${JSON.stringify(update.snapshot.connections.map((c) => [c.name, c.state, c.deviceType]))}\n`);
  if (waiter?.test(update.snapshot)) {
    waiter.resolve(performance.now());
    waiter = null;
  }
});
const until = (test: (s: Snapshot) => boolean): Promise<number> =>
  test(monitor.snapshot) ? Promise.resolve(performance.now()) : new Promise((resolve) => (waiter = { test, resolve }));
const row = (s: Snapshot) => s.connections.find((c) => c.name === profile && c.deviceType === 'tun');
const tuns = (): string[] => execFileSync('ip', ['-o', 'link', 'show', 'type', 'tun'], { encoding: 'utf8' }).split('\n').filter(Boolean);

const result = { connectMs: [] as number[], disconnectMs: [] as number[], nmcliUpMs: [] as number[], nmcliDownMs: [] as number[] };
try {
  await saved.refresh();
  const before = tuns().length;
  for (let i = 0; i < cycles; i++) {
    const t0 = performance.now();
    const shown = until((s) => row(s)?.state === 'connected');
    const last = await saved.connect(profile);
    if (last.phase !== 'connected') throw new Error(`connect ended ${last.phase}: ${JSON.stringify(last.error)}`);
    result.connectMs.push((await shown) - t0);

    const id = row(monitor.snapshot)!.id;
    const t2 = performance.now();
    const gone = until((s) => !s.connections.some((c) => c.id === id));
    await monitor.hangUp(id);
    result.disconnectMs.push((await gone) - t2);
  }
  for (let i = 0; i < cycles; i++) {
    const t0 = performance.now();
    execFileSync('nmcli', ['connection', 'up', profile], { stdio: 'ignore' });
    result.nmcliUpMs.push(performance.now() - t0);
    const t2 = performance.now();
    execFileSync('nmcli', ['connection', 'down', profile], { stdio: 'ignore' });
    while (tuns().length > before) await new Promise((resolve) => setTimeout(resolve, 5));
    result.nmcliDownMs.push(performance.now() - t2);
  }
  process.stdout.write(`${JSON.stringify(result)}\n`);
} finally {
  unsubscribe();
  monitor.close();
}
// As the CLI does (electron/core/cli.ts): no handle left behind may hold the process open.
process.exit(0);
