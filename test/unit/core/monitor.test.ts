import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MonitorUpdate } from '../../../shared/connection';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { fail, ScriptedSource, sourceConnection } from '../../support/scripted-source';

/** Waits until `condition` holds (these machines are noisy: no fixed sleeps for what must happen). */
async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(5);
  }
}

/** A monitor closed when the test ends, pass or fail, so no timer outlives its test. */
function monitorFor(t: TestContext, source: ScriptedSource, options: ConstructorParameters<typeof ConnectionMonitor>[1]) {
  const monitor = new ConnectionMonitor(source, options);
  t.after(() => monitor.close());
  return monitor;
}

/** Waits for the next update the monitor pushes to this listener. */
function updates(monitor: ConnectionMonitor) {
  const queue: MonitorUpdate[] = [];
  let wake: (() => void) | null = null;
  const unsubscribe = monitor.subscribe((update) => {
    queue.push(update);
    wake?.();
  });
  return {
    unsubscribe,
    async next(timeoutMs = 15_000): Promise<MonitorUpdate> {
      const deadline = Date.now() + timeoutMs;
      while (queue.length === 0) {
        if (Date.now() > deadline) throw new Error('no update arrived');
        await new Promise<void>((resolve) => {
          wake = resolve;
          setTimeout(resolve, 20);
        });
      }
      return queue.shift()!;
    },
  };
}

test('nothing is read while nobody listens', async (t) => {
  const source = new ScriptedSource();
  const monitor = monitorFor(t, source, { pollIntervalMs: 10 });
  await sleep(60);
  assert.equal(source.reads.length, 0);
  const stream = updates(monitor);
  await stream.next();
  stream.unsubscribe();
  const readsAtStop = source.reads.length;
  await sleep(60);
  assert.equal(source.reads.length, readsAtStop, 'polling stopped with the last subscriber');
  monitor.close();
  assert.ok(source.closed);
});

test('a subscriber gets the current list, then added, changed and removed as the source changes', async (t) => {
  const source = new ScriptedSource();
  source.connections = [sourceConnection({ id: 'office', state: 'connecting' })];
  const monitor = monitorFor(t, source, { pollIntervalMs: 10 });
  const stream = updates(monitor);
  const first = await stream.next();
  assert.deepEqual(first.snapshot.connections.map((c) => c.id), ['office']);
  assert.deepEqual(first.events.map((e) => e.type), ['added']);

  source.connections = [sourceConnection({ id: 'office', state: 'connected' })];
  const changed = await stream.next();
  assert.equal(changed.events[0]?.type, 'changed');
  assert.equal(changed.snapshot.connections[0]?.state, 'connected');

  source.connections = [];
  const removed = await stream.next();
  assert.deepEqual(removed.events.map((e) => [e.type, e.type === 'error' ? null : e.connection.id]), [['removed', 'office']]);
  assert.deepEqual(removed.snapshot.connections, []);
  monitor.close();
});

test('a failed read keeps the last good list, reports the error once, and clears it on recovery', async (t) => {
  const source = new ScriptedSource();
  source.connections = [sourceConnection({ id: 'office' })];
  const monitor = monitorFor(t, source, { pollIntervalMs: 10 });
  const stream = updates(monitor);
  await stream.next();

  source.failWith = fail(621, 'The system could not open the phone book file.');
  const failed = await stream.next();
  assert.deepEqual(failed.events, [{ type: 'error', error: { code: 621, message: 'The system could not open the phone book file.' } }]);
  assert.deepEqual(failed.snapshot.connections.map((c) => c.id), ['office'], 'last good list kept');
  const readsAtFailure = source.reads.length;
  await eventually(() => source.reads.length > readsAtFailure + 2, 'more failing reads');
  assert.equal(monitor.snapshot.error?.code, 621, 'the error stays while the reads keep failing');

  source.failWith = null;
  const recovered = await stream.next();
  assert.deepEqual(recovered.events, [{ type: 'error', error: null }]);
  assert.equal(recovered.snapshot.error, null);
  monitor.close();
});

test('a source with push notifications is re-read when it signals, not polled quickly', async (t) => {
  const source = new ScriptedSource(true);
  const monitor = monitorFor(t, source, { pollIntervalMs: 10, safetyPollMs: 10_000 });
  const stream = updates(monitor);
  await stream.next();
  assert.equal(source.watching, 1);
  await sleep(80);
  assert.equal(source.reads.length, 1, 'no polling between notifications');
  source.connections = [sourceConnection({ id: 'wg0' })];
  source.notify();
  const update = await stream.next();
  assert.equal(update.events[0]?.type, 'added');
  stream.unsubscribe();
  assert.equal(source.watching, 0, 'unsubscribed from the OS with the last listener');
  monitor.close();
});

test('counters are read only while someone wants them', async (t) => {
  const source = new ScriptedSource();
  const monitor = monitorFor(t, source, { pollIntervalMs: 10 });
  const stream = updates(monitor);
  await stream.next();
  assert.equal(source.reads.at(-1)?.counters, false);
  const release = monitor.wantCounters();
  await eventually(() => source.reads.at(-1)?.counters === true, 'a read with counters');
  release();
  const readsAtRelease = source.reads.length;
  await eventually(() => source.reads.length > readsAtRelease + 1, 'two more reads');
  assert.equal(source.reads.at(-1)?.counters, false);
  monitor.close();
});

test('a listener that throws does not stop the others', async (t) => {
  const source = new ScriptedSource();
  const monitor = monitorFor(t, source, { pollIntervalMs: 10 });
  const originalError = console.error;
  console.error = () => {};
  try {
    monitor.subscribe(() => {
      throw new Error('broken subscriber');
    });
    const stream = updates(monitor);
    source.connections = [sourceConnection({ id: 'office' })];
    let update = await stream.next();
    while (update.snapshot.connections.length === 0) update = await stream.next();
    assert.equal(update.snapshot.connections[0]?.id, 'office');
  } finally {
    console.error = originalError;
    monitor.close();
  }
});

test('a read that does not answer is reported as an error in time, the list kept, and cleared when it answers', async (t) => {
  const source = new ScriptedSource();
  source.connections = [sourceConnection({ id: 'office' })];
  const monitor = monitorFor(t, source, { pollIntervalMs: 10, readTimeoutMs: 50 });
  const stream = updates(monitor);
  await stream.next();

  let unstall!: () => void;
  source.stall = new Promise<void>((resolve) => (unstall = resolve));
  const stuck = await stream.next();
  assert.deepEqual(stuck.events, [{ type: 'error', error: { code: 'ETIMEDOUT', message: 'The scripted backend has not answered for 50 ms' } }]);
  assert.deepEqual(stuck.snapshot.connections.map((c) => c.id), ['office'], 'last good list kept');
  const readsWhileStuck = source.reads.length;
  const answered = await monitor.refresh();
  assert.equal(answered.error?.code, 'ETIMEDOUT', 'refresh() answers within the timeout even while the backend is stuck');
  assert.equal(source.reads.length, readsWhileStuck, 'no second read overlaps the stuck one');

  source.stall = null;
  source.connections = [];
  unstall();
  let recovered = await stream.next();
  while (recovered.snapshot.error !== null) recovered = await stream.next();
  assert.ok(recovered.events.some((event) => event.type === 'error' && event.error === null));
  assert.deepEqual(recovered.snapshot.connections, []);
});

