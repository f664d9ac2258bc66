/**
 * The stall rule on a real tunnel: OpenVPN between two network namespaces, `linkwatch watch --json` inside
 * the client's (the hidden cadence: counters at most once per 10 s), a ping through the tunnel all along.
 * The server is frozen (SIGSTOP) while the client keeps sending: the tunnel turns `stalled` within the stated
 * time (STALL_AFTER_MS after the first unanswered read, reads 10 s apart: at most 30 s); thawed (SIGCONT), it
 * is `healthy` again at the next read. Every packet stays inside the namespaces the test made.
 */
import assert from 'node:assert/strict';
import type { ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { Connection } from '../../../shared/connection';
import { HIDDEN_COUNTER_INTERVAL_MS, STALL_AFTER_MS } from '../../../electron/core/health/health-rule';
import { skipUnless } from '../../support/skip';
import { TunnelLab, tunnelSupport } from '../../support/tunnels';

const CLI = fileURLToPath(new URL('../../../electron/core/cli.ts', import.meta.url));
const support = tunnelSupport();
/** Scheduling slack on a loaded 2-core machine: a read may start a little late. */
const SLACK_MS = 3000;

describe('health on a real OpenVPN tunnel (namespaces)', { timeout: 180_000 }, () => {
  let lab: TunnelLab | null = null;
  const children: ChildProcess[] = [];
  before(async () => {
    if (!support.ok) return;
    // The client must not restart while the server is frozen for the test's half minute.
    lab = new TunnelLab({ openvpnPingRestart: 300 });
    lab.setup();
    await lab.openvpnUp();
  });
  after(() => {
    for (const child of children) child.kill('SIGKILL');
    lab?.teardown();
  });

  it('server frozen while the client sends: stalled within 30 s; thawed: healthy again', async (t) => {
    if (!skipUnless(t, support.ok, support.reason)) return;
    const tunnel = lab!.openvpn;
    // A steady sender inside the tunnel, to the server's tunnel address only.
    const ping = lab!.spawnInClient('ping', ['-i', '0.5', '-W', '1', tunnel.serverAddress], { stdio: 'ignore' });
    children.push(ping);
    const watch = lab!.spawnNodeInClient(CLI, ['watch', '--json']);
    children.push(watch);
    const seen: { at: number; connection: Connection }[] = [];
    let buffer = '';
    watch.stdout!.on('data', (chunk: Buffer) => {
      buffer += chunk.toString();
      let newline: number;
      while ((newline = buffer.indexOf('\n')) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        const event = JSON.parse(line) as { type: string; connection?: Connection };
        if (event.connection?.deviceName === tunnel.ifname) seen.push({ at: Date.now(), connection: event.connection });
      }
    });
    const status = () => seen.at(-1)?.connection.health?.status;
    const waitFor = async (what: string, wanted: string, timeoutMs: number): Promise<number> => {
      const deadline = Date.now() + timeoutMs;
      while (status() !== wanted) {
        if (Date.now() > deadline) throw new Error(`not ${what} after ${timeoutMs} ms; health seen: ${seen.map((s) => s.connection.health?.status ?? 'none').join(', ')}`);
        await sleep(100);
      }
      return Date.now();
    };
    await waitFor('healthy', 'healthy', 2 * HIDDEN_COUNTER_INTERVAL_MS + SLACK_MS);
    // Counters were read for health only: the list still carries none (nobody asked for them).
    assert.equal(seen.at(-1)!.connection.bytesIn, null);

    const frozenAt = Date.now();
    lab!.signalOpenvpnServer('SIGSTOP');
    let stalledAt: number;
    try {
      stalledAt = await waitFor('stalled', 'stalled', STALL_AFTER_MS + HIDDEN_COUNTER_INTERVAL_MS + SLACK_MS);
    } finally {
      lab!.signalOpenvpnServer('SIGCONT');
    }
    const thawedAt = Date.now();
    t.diagnostic(`stalled ${stalledAt - frozenAt} ms after SIGSTOP (stated: at most ${STALL_AFTER_MS + HIDDEN_COUNTER_INTERVAL_MS} ms)`);
    assert.ok(stalledAt - frozenAt >= STALL_AFTER_MS, `stalled after only ${stalledAt - frozenAt} ms`);
    assert.match(seen.at(-1)!.connection.health!.reason, /received nothing/);
    assert.equal(seen.at(-1)!.connection.state, 'connected', 'the tunnel still says connected: that is the point');

    const healthyAt = await waitFor('healthy again', 'healthy', HIDDEN_COUNTER_INTERVAL_MS + SLACK_MS);
    t.diagnostic(`healthy ${healthyAt - thawedAt} ms after SIGCONT`);
    watch.kill('SIGTERM');
    ping.kill('SIGTERM');
  });
});
