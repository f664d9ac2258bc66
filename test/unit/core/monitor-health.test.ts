/**
 * Health while nobody looks: counters read at most once per 10 s (HIDDEN_COUNTER_INTERVAL_MS) and only while
 * something is connected, kept out of the list (bytesIn stays null), and the stall rule applied to a scripted
 * backend whose sent counter grows while received does not. Time is node:test's mock clock: no waiting.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import type { MonitorUpdate } from '../../../shared/connection';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { HIDDEN_COUNTER_INTERVAL_MS, STALL_AFTER_MS } from '../../../electron/core/health/health-rule';
import { ScriptedSource, sourceConnection } from '../../support/scripted-source';

/** Lets the reads the mock timers started finish (they resolve through promises, not timers). */
async function settle(): Promise<void> {
  for (let i = 0; i < 5; i += 1) await turn();
}

/** Advance the mock clock by `ms` in 250 ms steps, letting every read complete. */
async function advance(t: TestContext, ms: number): Promise<void> {
  for (let elapsed = 0; elapsed < ms; elapsed += 250) {
    await settle();
    t.mock.timers.tick(250);
    await settle();
  }
}

function setup(t: TestContext, withPush: boolean) {
  t.mock.timers.enable({ apis: ['setTimeout', 'Date'], now: 1_000_000 });
  const source = new ScriptedSource(withPush);
  source.pollWhileConnecting = false;
  // Counters only when asked, as the real backends do (RAS statistics, the netlink dump's stats).
  const counters = { in: 1000, out: 1000 };
  const read = source.read.bind(source);
  source.read = async (options) => {
    const list = await read(options);
    return list.map((c) => (options.counters && c.state === 'connected' ? { ...c, bytesIn: counters.in, bytesOut: counters.out } : c));
  };
  const monitor = new ConnectionMonitor(source, { platform: 'test' });
  t.after(() => monitor.close());
  const updates: MonitorUpdate[] = [];
  return { source, monitor, counters, updates, subscribe: () => monitor.subscribe((update) => updates.push(update)) };
}

const counterReads = (source: ScriptedSource): number => source.reads.filter((options) => options.counters).length;

for (const push of [true, false]) {
  test(`hidden health reads counters at most once per 10 s per connected tunnel (${push ? 'push' : 'poll'} backend)`, async (t) => {
    const { source, monitor, subscribe } = setup(t, push);
    source.connections = [sourceConnection({ id: 'a' }), sourceConnection({ id: 'b', state: 'connecting' })];
    monitor.wantHealth();
    subscribe();
    await settle();
    const times: number[] = [];
    const before = source.read;
    source.read = async (options) => {
      if (options.counters) times.push(Date.now());
      return before(options);
    };
    await advance(t, 60_000);
    // One read with counters each 10 s: 6 in a minute (whatever the safety read or poll period is).
    assert.equal(times.length, 6, `counter reads at ${times.map((x) => x - 1_000_000).join(', ')}`);
    for (let i = 1; i < times.length; i += 1) assert.ok(times[i]! - times[i - 1]! >= HIDDEN_COUNTER_INTERVAL_MS);
    // The list still shows no counters: nobody asked for them.
    assert.equal(monitor.snapshot.connections.find((c) => c.id === 'a')?.bytesIn, null);
  });
}

test('nothing connected: no counter read at all for health', async (t) => {
  const { source, monitor, subscribe } = setup(t, true);
  source.connections = [sourceConnection({ id: 'dialling', state: 'connecting' })];
  monitor.wantHealth();
  subscribe();
  await advance(t, 60_000);
  assert.equal(counterReads(source), 0);
});

test('without a health claim the hidden cadence reads no counters (as before)', async (t) => {
  const { source, subscribe } = setup(t, true);
  source.connections = [sourceConnection({ id: 'a' })];
  subscribe();
  await advance(t, 60_000);
  assert.equal(counterReads(source), 0);
});

test('a scripted tunnel that keeps sending and hears nothing turns stalled within 30 s hidden, healthy when replies return', async (t) => {
  const { source, monitor, counters, subscribe } = setup(t, true);
  source.connections = [sourceConnection({ id: 'ras:1', name: 'Office VPN' })];
  monitor.wantHealth();
  subscribe();
  // The first read sees the tunnel connected; the first health read follows at once.
  await advance(t, 250);
  const health = () => monitor.snapshot.connections[0]?.health;
  assert.equal(health()?.status, 'verifying');
  // Traffic both ways: healthy.
  counters.in += 5000;
  counters.out += 5000;
  await advance(t, HIDDEN_COUNTER_INTERVAL_MS);
  assert.equal(health()?.status, 'healthy');
  // The server stops answering; the client keeps sending.
  const frozenAt = Date.now();
  let stalledAt: number | null = null;
  for (let i = 0; i < 8 && stalledAt === null; i += 1) {
    counters.out += 3000;
    await advance(t, 1000);
    for (let k = 0; k < 9 && stalledAt === null; k += 1) {
      await advance(t, 1000);
      if (health()?.status === 'stalled') stalledAt = Date.now();
    }
    if (health()?.status === 'stalled') stalledAt ??= Date.now();
  }
  assert.ok(stalledAt !== null, 'never stalled');
  assert.ok(stalledAt - frozenAt <= STALL_AFTER_MS + HIDDEN_COUNTER_INTERVAL_MS, `stalled after ${stalledAt - frozenAt} ms`);
  assert.match(health()!.reason, /received nothing/);
  counters.in += 100;
  await advance(t, HIDDEN_COUNTER_INTERVAL_MS);
  assert.equal(health()?.status, 'healthy');
});

test('the popup open: counters every second, health follows them, and counters show', async (t) => {
  const { source, monitor, subscribe } = setup(t, true);
  source.connections = [sourceConnection({ id: 'a' })];
  monitor.wantHealth();
  subscribe();
  await settle();
  const release = monitor.wantLive();
  const start = counterReads(source);
  await advance(t, 10_000);
  assert.ok(counterReads(source) - start >= 9, `${counterReads(source) - start} counter reads in 10 s`);
  assert.equal(monitor.snapshot.connections[0]?.bytesIn, 1000);
  // Nothing moved either way for the stated time: an idle tunnel, not a dead one.
  await advance(t, STALL_AFTER_MS);
  assert.equal(monitor.snapshot.connections[0]?.health?.status, 'quiet');
  release();
});

test('a connection that drops and comes back starts verifying again', async (t) => {
  const { source, monitor, counters, subscribe } = setup(t, true);
  source.connections = [sourceConnection({ id: 'a' })];
  monitor.wantHealth();
  subscribe();
  await advance(t, 1000);
  counters.in += 1;
  await advance(t, 10_000);
  assert.equal(monitor.snapshot.connections[0]?.health?.status, 'healthy');
  source.connections = [];
  await monitor.refresh();
  await settle();
  source.connections = [sourceConnection({ id: 'a' })];
  await advance(t, 10_000);
  assert.equal(monitor.snapshot.connections[0]?.health?.status, 'verifying');
});
