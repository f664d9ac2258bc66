/**
 * Idle cost: what each process does while nothing changes and nobody looks (issue 23).
 *
 * Linux, in a network namespace of its own with one tun device (needs root):
 *  - `linkwatch watch --json` as it ships (bundled, no tsx): wake-ups per minute of its threads
 *    (test/support/idle.ts: context switches from /proc), now against the cadence before issue 23 in the
 *    same run (LINKWATCH_IDLE_CADENCE=before: the reader's poll(2) woken every second, a safety read every
 *    5 s). Measured with V8's defaults and stdout to a file, after a settle.
 *  - the app's shape (test/bench/idle-app-child.ts: monitor + core client in one process, the forked core
 *    process serving netlink): wake-ups of the core process and of the main-process stand-in, and the reads
 *    the monitor asked the core for, now and before.
 * Windows, under Wine (Windows Node over the RAS and iphlpapi contract fakes, test/bench/idle-win32-child.ts):
 *  RasEnumConnectionsW and GetAdaptersAddresses calls per minute, as the fakes count them. Their cadence is
 *  issue 20's; this row says what it is now.
 * macOS, over the fake libSystem in this process: getifaddrs calls per minute (issue 24's reader).
 *
 *     npx tsx test/bench/idle-cost.ts
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readFileSync, rmSync, closeSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectionMonitor } from '../../electron/core/monitor';
import { createDarwinSource } from '../../electron/core/platforms/darwin/darwin-source';
import { fakeIphlpapiWindowsEnv } from '../support/fake-iphlpapi';
import { fakeRasWindowsEnv } from '../support/fake-ras';
import { loadFakeLibSystem, typicalMac } from '../support/fake-libsystem';
import { buildIdleEntries, wakeupsPerMinute } from '../support/idle';
import { hasCommand } from '../support/tunnels';
import { runUnderWindowsNode, stopWine, windowsNodeUnavailable } from '../support/windows-node';
import type { BenchRow } from './bench-row';

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const TUN = 'lwbench0';

/** Settle and window per measurement: long for "now" (few events to count), short for "before". */
const NOW = { settleMs: 15_000, windowMs: 60_000 };
const BEFORE = { settleMs: 5_000, windowMs: 30_000 };
const APP_NOW = { settleMs: 15_000, windowMs: 30_000 };
const APP_BEFORE = { settleMs: 5_000, windowMs: 20_000 };
const FAKE_WINDOW_S = 30;
/** Longer than Windows' 60 s safety read (WINDOWS_SAFETY_READ_MS), so that the window can hold one. */
const WINDOWS_WINDOW_S = 65;

export function linuxIdleNeeds(): string | null {
  if (process.platform !== 'linux') return 'Linux only';
  if (process.getuid?.() !== 0) return 'needs root for a network namespace (unshare --net)';
  const missing = ['unshare', 'ip'].filter((command) => !hasCommand(command));
  if (missing.length > 0) return `missing commands: ${missing.join(', ')}`;
  return existsSync('/dev/net/tun') ? null : '/dev/net/tun is missing';
}

/** `argv` run by Node in a fresh namespace with one tun up; the pid is Node's (sh and unshare exec into it). */
function inFreshNamespace(argv: string[], out: number, env: NodeJS.ProcessEnv): ChildProcess {
  const script = `ip link set lo up && ip tuntap add dev ${TUN} mode tun && ip link set ${TUN} up && exec "$@"`;
  return spawn('unshare', ['--net', 'sh', '-c', script, 'sh', process.execPath, ...argv], { stdio: ['ignore', out, out], env });
}

async function waitForFile(path: string, what: string, pattern: RegExp, child: ChildProcess, timeoutMs = 30_000): Promise<RegExpExecArray> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const match = pattern.exec(existsSync(path) ? readFileSync(path, 'utf8') : '');
    if (match) return match;
    if (Date.now() > deadline || child.exitCode !== null) throw new Error(`no ${what}: ${existsSync(path) ? readFileSync(path, 'utf8').slice(-2000) : '(no output)'}`);
    await sleep(50);
  }
}

async function stop(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null) return;
  const exited = new Promise((done) => child.once('exit', done));
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 5000);
  await exited;
  clearTimeout(timer);
}

/** Wake-ups per minute of `linkwatch watch --json`, idle, in the cadence `mode`. */
async function cliWakeups(cli: string, dir: string, mode: 'now' | 'before'): Promise<{ perMinute: number; threads: string }> {
  const log = join(dir, `cli-${mode}.log`);
  const out = openSync(log, 'w');
  const env = { ...process.env, ...(mode === 'before' ? { LINKWATCH_IDLE_CADENCE: 'before' } : {}) };
  const child = inFreshNamespace([cli, 'watch', '--json'], out, env);
  closeSync(out);
  try {
    await waitForFile(log, 'added line', new RegExp(`"deviceName":"${TUN}"`), child);
    const { settleMs, windowMs } = mode === 'now' ? NOW : BEFORE;
    await sleep(settleMs);
    return await wakeupsPerMinute([child.pid!], windowMs);
  } finally {
    child.kill('SIGINT');
    await stop(child);
  }
}

/** The app's shape: wake-ups of the core process and of the monitor's process, and reads per minute. */
async function appIdle(entries: Record<string, string>, dir: string, mode: 'now' | 'before'): Promise<{ core: number; main: number; reads: number }> {
  const report = join(dir, `app-${mode}.txt`);
  const log = openSync(join(dir, `app-${mode}.log`), 'w');
  const env = { ...process.env, ...(mode === 'before' ? { LINKWATCH_IDLE_CADENCE: 'before' } : {}) };
  const child = inFreshNamespace([entries.app!, entries.core!, report], log, env);
  closeSync(log);
  try {
    const ready = await waitForFile(report, 'ready line', /^ready (\d+)$/m, child);
    const corePid = Number(ready[1]);
    const { settleMs, windowMs } = mode === 'now' ? APP_NOW : APP_BEFORE;
    await sleep(settleMs);
    const from = Date.now();
    const [core, main] = await Promise.all([wakeupsPerMinute([corePid], windowMs), wakeupsPerMinute([child.pid!], windowMs)]);
    const to = Date.now();
    await stop(child);
    const reads = (JSON.parse(readFileSync(report, 'utf8').trim().split('\n').pop()!) as { reads: number[] }).reads.filter((at) => at >= from && at <= to);
    return { core: core.perMinute, main: main.perMinute, reads: (reads.length * 60_000) / (to - from) };
  } finally {
    await stop(child);
  }
}

export async function runLinuxIdleBench(): Promise<BenchRow[]> {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-idle-'));
  try {
    const entries = await buildIdleEntries({ cli: 'electron/core/cli.ts', core: 'electron/core/host/core-process.ts', app: 'test/bench/idle-app-child.ts' });
    const cliNow = await cliWakeups(entries.cli!, dir, 'now');
    const cliBefore = await cliWakeups(entries.cli!, dir, 'before');
    const appNow = await appIdle(entries, dir, 'now');
    const appBefore = await appIdle(entries, dir, 'before');
    const ratio = (now: number, before: number) => (before > 0 ? round(now / before, 3) : undefined);
    return [
      {
        name: 'Linux: linkwatch watch --json idle, wake-ups per minute (all threads)',
        value: round(cliNow.perMinute),
        unit: '/min',
        baseline: round(cliBefore.perMinute),
        ratio: ratio(cliNow.perMinute, cliBefore.perMinute),
        note: `baseline: before issue 23 (1 s poll slice + 5 s safety read), same run; now over ${NOW.windowMs / 1000} s after ${NOW.settleMs / 1000} s, woke: ${cliNow.threads}`,
      },
      {
        name: 'Linux app shape: core process wake-ups per minute, idle and hidden',
        value: round(appNow.core),
        unit: '/min',
        baseline: round(appBefore.core),
        ratio: ratio(appNow.core, appBefore.core),
        note: `forked core-process serving netlink; now over ${APP_NOW.windowMs / 1000} s, before over ${APP_BEFORE.windowMs / 1000} s`,
      },
      {
        name: 'Linux app shape: monitor + core client process wake-ups per minute',
        value: round(appNow.main),
        unit: '/min',
        baseline: round(appBefore.main),
        ratio: ratio(appNow.main, appBefore.main),
        note: "the main process's part: the monitor's timers, the client's call timeouts",
      },
      {
        name: 'Linux: reads per minute, idle and hidden',
        value: round(appNow.reads),
        unit: '/min',
        baseline: round(appBefore.reads),
        ratio: ratio(appNow.reads, appBefore.reads),
        note: 'reads the monitor asked the core for (each one a link dump and an address dump); before: the 5 s safety read',
      },
    ];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function runWin32IdleBench(): Promise<BenchRow[]> {
  try {
    const env = { ...fakeRasWindowsEnv(), ...fakeIphlpapiWindowsEnv() };
    const run = await runUnderWindowsNode('test/bench/idle-win32-child.ts', { args: [String(WINDOWS_WINDOW_S)], env, timeoutMs: (WINDOWS_WINDOW_S + 90) * 1000 });
    const match = /^idle (\{.*\})$/m.exec(run.stdout);
    if (run.status !== 0 || !match) throw new Error(`the Windows child failed (${run.status}): ${run.stdout}\n${run.stderr}`);
    const figures = JSON.parse(match[1]!) as { updates: string; ras: number; adapters: number };
    const note = `under Wine over the contract fakes, one RAS connection and one WireGuard adapter up, updates=${figures.updates}, ${WINDOWS_WINDOW_S} s (the safety read is every 60 s)`;
    return [
      { name: 'Windows: RasEnumConnectionsW calls per minute, idle and hidden', value: round(figures.ras), unit: '/min', note },
      { name: 'Windows: GetAdaptersAddresses calls per minute, idle and hidden', value: round(figures.adapters), unit: '/min', note },
    ];
  } finally {
    stopWine();
  }
}

export async function runDarwinIdleBench(): Promise<BenchRow[]> {
  const fake = loadFakeLibSystem();
  fake.reset();
  for (const i of typicalMac()) fake.addInterface(i);
  const monitor = new ConnectionMonitor(createDarwinSource(fake.path), { platform: 'darwin' });
  let updates = '';
  const unsubscribe = monitor.subscribe((update) => (updates = update.snapshot.updates));
  try {
    await sleep(2000);
    const t0 = performance.now();
    const calls = fake.calls('getifaddrs');
    await sleep(FAKE_WINDOW_S * 1000);
    const perMinute = ((fake.calls('getifaddrs') - calls) * 60_000) / (performance.now() - t0);
    return [
      {
        name: 'macOS: getifaddrs calls per minute, idle and hidden',
        value: round(perMinute),
        unit: '/min',
        note: `the real walker over the fake libSystem (typical Mac), updates=${updates}, ${FAKE_WINDOW_S} s: the monitor's default 5 s safety read (the source declares none)`,
      },
    ];
  } finally {
    unsubscribe();
    monitor.close();
  }
}

export const win32IdleNeeds = windowsNodeUnavailable;

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const only = process.argv[2];
  const suites: [string, () => Promise<BenchRow[]>][] = [
    ['linux', runLinuxIdleBench],
    ['win32', runWin32IdleBench],
    ['darwin', runDarwinIdleBench],
  ];
  for (const [name, run] of suites) {
    if (only && only !== name) continue;
    for (const row of await run()) {
      const against = row.baseline !== undefined ? `  (baseline ${row.baseline} ${row.unit}, ratio ${row.ratio})` : '';
      console.log(`${row.name}: ${row.value} ${row.unit}${against}${row.note ? `  — ${row.note}` : ''}`);
    }
  }
  process.exit(0);
}
