/**
 * A real tun device, in a network namespace of its own, owned by a process whose name is an Object.prototype
 * member (issue 12): the connection is named "constructor (ifname)" with the owner "constructor", in-process
 * and through the core process the app reads in (where the owner used to be a function, which cannot be
 * cloned across the boundary: the worker thread of the time died with a DataCloneError).
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { spawnSync, type SpawnSyncReturns } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Connection, ErrorInfo } from '../../../../shared/connection';
import { BUILD_DIR, FIXTURES_DIR, buildC } from '../../../support/fake-ras';
import { skipUnless } from '../../../support/skip';
import { TunnelLab, hasCommand, tunnelSupport } from '../../../support/tunnels';

const LIST_CHILD = fileURLToPath(new URL('../../../fixtures/tunnels/list-child.ts', import.meta.url));
const NAMES = ['constructor', '__proto__', 'toString', 'hasOwnProperty'] as const;
const tunnels = tunnelSupport();
const support = tunnels.ok && !hasCommand('cc') ? { ok: false, reason: 'no C compiler (cc) for test/fixtures/hold-tun.c' } : tunnels;

function lines(child: ChildProcess, until: (line: string) => boolean, timeoutMs = 10_000): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    let errors = '';
    const timer = setTimeout(() => reject(new Error(`no answer in ${timeoutMs} ms: ${text} ${errors}`)), timeoutMs);
    child.stderr?.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      const line = text.split('\n').find(until);
      if (line !== undefined) {
        clearTimeout(timer);
        resolve(line);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited (${code}) before answering: ${text} ${errors}`));
    });
  });
}

describe('Linux: a tun owned by a process named like an Object.prototype member', () => {
  let lab: TunnelLab | null = null;
  const holders: ChildProcess[] = [];
  const ifnames = NAMES.map((_, i) => `lwp${process.pid % 100000}${i}`);

  before(async () => {
    if (!support.ok) return;
    const holdTun = buildC(join(BUILD_DIR, 'hold-tun'), [join(FIXTURES_DIR, 'hold-tun.c')], []);
    lab = new TunnelLab();
    lab.setup();
    for (const [i, comm] of NAMES.entries()) {
      const child = lab.spawnInClient(holdTun, [ifnames[i]!, comm], { stdio: ['pipe', 'pipe', 'pipe'] });
      holders.push(child);
      await lines(child, (l) => l.startsWith('ready'));
      const ifname = ifnames[i]!;
      const steps: string[][] = [['addr', 'add', `10.79.${i}.1/24`, 'dev', ifname], ['link', 'set', ifname, 'up']];
      for (const args of steps) {
        const r: SpawnSyncReturns<string> = spawnSync('ip', ['-n', lab.client, ...args], { encoding: 'utf8' });
        assert.equal(r.status, 0, r.stderr);
      }
    }
  });

  after(() => {
    for (const child of holders) child.stdin?.end();
    lab?.teardown();
  });

  for (const mode of ['main thread', 'core process'] as const) {
    it(`on the ${mode}: named "<process name> (ifname)", owner the process name as text`, async (t) => {
      if (!skipUnless(t, support.ok, support.reason)) return;
      const child = lab!.spawnNodeInClient(LIST_CHILD, mode === 'core process' ? ['--core'] : []);
      const answer = JSON.parse(await lines(child, (l) => l.startsWith('{'), 30_000)) as { connections?: Connection[]; error?: ErrorInfo };
      assert.equal(answer.error, undefined, JSON.stringify(answer.error));
      const byDevice = new Map(answer.connections!.map((c) => [c.deviceName, c]));
      for (const [i, comm] of NAMES.entries()) {
        const c = byDevice.get(ifnames[i]!);
        assert.ok(c, `${ifnames[i]} listed: ${JSON.stringify(answer.connections)}`);
        assert.deepEqual([c.name, c.owner, c.deviceType, c.kind, c.state], [`${comm} (${ifnames[i]})`, comm, 'tun', 'vpn', 'connected']);
      }
    });
  }
});
