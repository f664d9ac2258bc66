/**
 * Nothing runs while nothing changes: `linkwatch watch --json` (the CLI as it ships, bundled, no tsx) in a
 * network namespace of its own with one tun device, nobody looking. Its netlink subscription blocks in poll(2)
 * with no timeout (route-socket.ts), the source needs no safety read (rtnetlink reports its own losses:
 * netlink-overflow.test.ts) and the monitor arms no timer (read-cadence.ts). So once started, its threads do
 * not wake at all; before issue 23 they woke about 400 times a minute (`npm run bench`, "before" row).
 *
 * Bound: at most 2 wake-ups a minute (README, "How often the list is read"), measured over 30 s after a 10 s
 * settle. A wake-up is a context switch of any thread (test/support/idle.ts); an idle thread cannot be
 * preempted, so other load on the machine adds none.
 *
 * With V8's defaults: the CLI lets V8's memory reducer finish at start (electron/core/v8-idle.ts), which in
 * Node 24 would otherwise wake the main thread every 8 s forever.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { after, describe, it } from 'node:test';
import { buildCli, wakeupsPerMinute } from '../../../support/idle';
import { skipUnless } from '../../../support/skip';
import { hasCommand } from '../../../support/tunnels';

const SETTLE_MS = 10_000;
const WINDOW_MS = 30_000;
const MAX_PER_MINUTE = 2;
const TUN = 'lwidle0';

function support(): { ok: boolean; reason: string } {
  if (process.platform !== 'linux') return { ok: false, reason: 'reads /proc and netlink: Linux only' };
  if (process.getuid?.() !== 0) return { ok: false, reason: 'needs root for a network namespace (unshare --net)' };
  const missing = ['unshare', 'nsenter', 'ip'].filter((command) => !hasCommand(command));
  if (missing.length > 0) return { ok: false, reason: `missing commands: ${missing.join(', ')}` };
  if (!existsSync('/dev/net/tun')) return { ok: false, reason: '/dev/net/tun is missing' };
  return { ok: true, reason: '' };
}

describe('idle cost on Linux', () => {
  let child: ChildProcess | null = null;
  after(() => {
    child?.kill('SIGKILL'); // its namespace, and the tun in it, go with it
  });

  it(`linkwatch watch --json, idle in a fresh namespace: at most ${MAX_PER_MINUTE} wake-ups a minute, and a change still shows`, { timeout: 120_000 }, async (t) => {
    const can = support();
    if (!skipUnless(t, can.ok, can.reason)) return;
    const cli = await buildCli();
    // unshare and sh exec into node: the pid is the CLI's, and the namespace lives exactly as long as it.
    child = spawn('unshare', ['--net', 'sh', '-c', `ip link set lo up && ip tuntap add dev ${TUN} mode tun && ip link set ${TUN} up && exec "$0" "$1" watch --json`, process.execPath, cli], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const waitFor = async (what: string, check: () => boolean, timeoutMs = 15_000) => {
      const deadline = Date.now() + timeoutMs;
      while (!check()) {
        if (Date.now() > deadline || child!.exitCode !== null) throw new Error(`no ${what}; stdout:\n${stdout}\nstderr:\n${stderr}`);
        await new Promise((done) => setTimeout(done, 20));
      }
    };
    await waitFor('"added" line for the tun', () => stdout.includes(`"deviceName":"${TUN}"`));

    await new Promise((done) => setTimeout(done, SETTLE_MS));
    const { perMinute, threads } = await wakeupsPerMinute([child.pid!], WINDOW_MS);
    assert.ok(perMinute <= MAX_PER_MINUTE, `${perMinute.toFixed(1)} wake-ups a minute over ${WINDOW_MS / 1000} s (at most ${MAX_PER_MINUTE}); threads that woke: ${threads}`);

    const lines = stdout.split('\n').length;
    const added = spawnSync('nsenter', [`--net=/proc/${child.pid}/ns/net`, 'ip', 'address', 'add', '10.67.0.2/24', 'dev', TUN], { encoding: 'utf8' });
    assert.equal(added.status, 0, added.stderr);
    await waitFor('"changed" line with the new address', () => stdout.split('\n').slice(lines - 1).some((line) => line.includes('"type":"changed"') && line.includes('10.67.0.2/24')), 5_000);
  });
});
