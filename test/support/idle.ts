/**
 * Idle cost, measured from outside the process: how often its threads wake, and the built programs to
 * measure. Shared by the native idle test (test/native/idle/idle-wakeups.test.ts) and `npm run bench`
 * (test/bench/idle-cost.ts).
 *
 * A wake-up is a context switch of any thread of the process: /proc/<pid>/task/<tid>/status counts
 * `voluntary_ctxt_switches` (the thread blocked — poll, epoll_wait, futex — and later ran again) and
 * `nonvoluntary_ctxt_switches` (it was preempted: it was running). A thread parked in poll(2) with no timeout
 * and nothing to read adds nothing; a poll with a 1 s timeout adds one a second, plus the futex round trip
 * that hands its completion to the main thread (proc(5)). Unlike `strace -f`, reading /proc does not slow
 * the process or change what it does.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';

const REPO = resolve(import.meta.dirname, '../..');
export const IDLE_BUILD_DIR = join(REPO, 'test/fixtures/build/idle');

/** Context switches of each thread of `pid` so far, by "<comm>/<tid>"; threads that ended are not counted. */
export function threadSwitches(pid: number): Map<string, number> {
  const threads = new Map<string, number>();
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    let status: string;
    try {
      status = readFileSync(`/proc/${pid}/task/${tid}/status`, 'utf8');
    } catch {
      continue; // the thread ended between the listing and the read
    }
    const name = /^Name:\s+(.*)$/m.exec(status)?.[1] ?? '?';
    let total = 0;
    for (const match of status.matchAll(/^(?:non)?voluntary_ctxt_switches:\s+(\d+)$/gm)) total += Number(match[1]);
    threads.set(`${name}/${tid}`, total);
  }
  return threads;
}

const sleep = (ms: number) => new Promise((done) => setTimeout(done, ms));

export interface WakeupRate {
  perMinute: number;
  /** The threads that woke in the window and how often ("MainThread/1234: 3"), for a failure message. */
  threads: string;
}

/** Wake-ups per minute of the processes `pids` together, over `windowMs` from now. */
export async function wakeupsPerMinute(pids: readonly number[], windowMs: number): Promise<WakeupRate> {
  const before = pids.map(threadSwitches);
  const t0 = performance.now();
  await sleep(windowMs);
  const after = pids.map(threadSwitches);
  const elapsed = performance.now() - t0;
  let total = 0;
  const woke: string[] = [];
  after.forEach((threads, i) => {
    for (const [thread, count] of threads) {
      const delta = count - (before[i]!.get(thread) ?? 0);
      total += delta;
      if (delta > 0) woke.push(`${pids[i]}:${thread}: ${delta}`);
    }
  });
  return { perMinute: (total * 60_000) / elapsed, threads: woke.join(', ') || 'none' };
}

/**
 * The CLI and the core process bundled as they ship (one ESM file each, the npm packages left outside as in
 * the packaged app's node_modules), without tsx: a development loader has threads and timers of its own that
 * are not Linkwatch's. Written to test/fixtures/build/idle/ (git-ignored); returns the paths by entry name.
 */
export async function buildIdleEntries(entries: Record<string, string>): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const [name, entry] of Object.entries(entries)) {
    const outfile = join(IDLE_BUILD_DIR, `${name}.mjs`);
    await build({ entryPoints: [resolve(REPO, entry)], bundle: true, platform: 'node', format: 'esm', packages: 'external', outfile, logLevel: 'warning' });
    out[name] = outfile;
  }
  return out;
}

/** The linkwatch CLI, bundled (see buildIdleEntries). */
export async function buildCli(): Promise<string> {
  return (await buildIdleEntries({ cli: 'electron/core/cli.ts' })).cli!;
}
