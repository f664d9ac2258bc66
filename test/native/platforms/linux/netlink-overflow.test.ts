/**
 * rtnetlink's one way to lose a change, for real: the subscription's receive buffer fills while the reader is
 * busy, the kernel drops what does not fit and the next recv(2) fails with ENOBUFS (netlink(7);
 * netlink_overrun() in net/netlink/af_netlink.c). The Linux source has no safety read (README, "How often
 * the list is read"), so that ENOBUFS is the only thing that can bring a dropped change to the list.
 *
 * In a network namespace of its own: a tun device `lwovf…` is up before the monitor starts. The child's
 * subscription gets the kernel's smallest receive buffer; its main thread then runs, synchronously, a batch
 * of 400 address changes on loopback (not a connection: the source ignores them) and, last, the tun's
 * address. The buffer holds a handful of messages, so the tun's is dropped; only the re-read on ENOBUFS can
 * show it. Without that handling the list would keep the tun without its address forever.
 */
import assert from 'node:assert/strict';
import { spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { MonitorUpdate } from '../../../../shared/connection';
import { skipUnless } from '../../../support/skip';
import { TunnelLab, tunnelSupport } from '../../../support/tunnels';

const CHILD = fileURLToPath(new URL('../../../fixtures/tunnels/overflow-child.ts', import.meta.url));
const support = tunnelSupport();
const BURST = 400;

interface Line {
  reads: number;
  update?: MonitorUpdate;
  burstDone?: boolean;
  status?: number;
}

function ip(args: string[]): void {
  const run = spawnSync('ip', args, { encoding: 'utf8' });
  if (run.status !== 0) throw new Error(`ip ${args.join(' ')}: ${run.stderr}`);
}

describe('netlink: a dropped change (ENOBUFS) is read again', () => {
  let lab: TunnelLab | null = null;
  let child: ChildProcess | null = null;
  const dir = mkdtempSync(join(tmpdir(), 'lw-overflow-'));
  const lines: Line[] = [];

  before(() => {
    if (!support.ok) return;
    lab = new TunnelLab();
    lab.setup();
  });

  after(() => {
    child?.kill('SIGKILL');
    lab?.teardown();
    rmSync(dir, { recursive: true, force: true });
  });

  async function waitForLine(what: string, match: (line: Line) => boolean, timeoutMs = 20_000): Promise<Line> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const found = lines.find(match);
      if (found) return found;
      if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; last lines:\n${lines.slice(-3).map((l) => JSON.stringify(l)).join('\n')}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  it('a burst that overflows the smallest receive buffer still shows the last change, dropped by the kernel', async (t) => {
    if (!skipUnless(t, support.ok, support.reason)) return;
    const ifname = `lwovf${process.pid % 10000}`;
    ip(['-n', lab!.client, 'tuntap', 'add', 'dev', ifname, 'mode', 'tun']);
    ip(['-n', lab!.client, 'link', 'set', ifname, 'up']);

    child = lab!.spawnNodeInClient(CHILD, ['0'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let buffered = '';
    let stderr = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      let newline;
      while ((newline = buffered.indexOf('\n')) >= 0) {
        lines.push(JSON.parse(buffered.slice(0, newline)) as Line);
        buffered = buffered.slice(newline + 1);
      }
    });
    child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));

    const first = await waitForLine('the first list', (line) => line.update !== undefined);
    const tun = first.update!.snapshot.connections.find((c) => c.deviceName === ifname);
    assert.ok(tun, `the tun is listed before the burst: ${JSON.stringify(first.update!.snapshot.connections)}`);
    assert.deepEqual(tun.addresses, []);
    assert.equal(first.update!.snapshot.updates, 'push');

    const batch = join(dir, 'burst.txt');
    const churn = Array.from({ length: BURST }, (_, i) => `address add 127.${1 + (i >> 8)}.${i & 255}.1/32 dev lo`);
    writeFileSync(batch, `${[...churn, `address add 10.66.0.2/24 dev ${ifname}`].join('\n')}\n`);
    child.stdin!.write(`burst ${batch}\n`);
    const done = await waitForLine('the burst', (line) => line.burstDone === true);
    assert.equal(done.status, 0, stderr);

    const shown = await waitForLine('the tun with its address', (line) =>
      line.update?.snapshot.connections.some((c) => c.deviceName === ifname && c.addresses.includes('10.66.0.2/24')) === true,
    );
    // One read for the list, one for the overflow: the loopback churn itself made no read (it is not a connection).
    assert.equal(shown.reads, 2, `${shown.reads} reads`);
    const event = shown.update!.events.find((e) => e.type === 'changed');
    assert.ok(event && event.type === 'changed' && event.fields.includes('addresses'), JSON.stringify(shown.update!.events));
  });
});
