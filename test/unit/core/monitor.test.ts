import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MonitorUpdate } from '../../../shared/connection';
import { ConnectionMonitor, DEFAULT_READ_INTERVALS, nextReadDelay, type ReadCadence } from '../../../electron/core/monitor';
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


test('cadence: hidden, push reads every 5 s and polling every 1 s; live, 250 ms either way; counters each second; 250 ms while connecting', () => {
  const cases: [Partial<ReadCadence>, number][] = [
    [{ push: true }, 5000],
    [{ push: false }, 1000],
    [{ push: false, live: true }, 250],
    [{ push: true, live: true }, 250],
    [{ push: true, counters: true }, 1000],
    [{ push: false, counters: true }, 1000],
    [{ push: true, connecting: true }, 250],
    [{ push: false, connecting: true }, 250],
  ];
  for (const [partial, expected] of cases) {
    const cadence: ReadCadence = { push: false, live: false, counters: false, connecting: false, ...partial };
    assert.equal(nextReadDelay(cadence), expected, JSON.stringify(cadence));
  }
  assert.equal(nextReadDelay({ push: false, live: true, counters: false, connecting: false }, { ...DEFAULT_READ_INTERVALS, pollIntervalMs: 50 }), 50, 'live is never slower than hidden');
});

test('cadence with complete push (netlink: no safety read): no timer at all while hidden; counters each second while someone looks', () => {
  const complete = { ...DEFAULT_READ_INTERVALS, safetyPollMs: null };
  const cases: [Partial<ReadCadence>, number | null][] = [
    [{ push: true }, null],
    [{ push: true, live: true }, 1000],
    [{ push: true, counters: true }, 1000],
    [{ push: true, connecting: true }, 250],
    [{ push: false }, 1000],
    [{ push: false, live: true }, 250],
  ];
  for (const [partial, expected] of cases) {
    const cadence: ReadCadence = { push: false, live: false, counters: false, connecting: false, ...partial };
    assert.equal(nextReadDelay(cadence, complete), expected, JSON.stringify(cadence));
  }
});

test('a source whose push is complete is read once, then never on a timer until it signals; counters arm the timer only while wanted', async (t) => {
  const source = new ScriptedSource(true);
  source.safetyReadMs = null;
  source.pollWhileConnecting = false;
  source.connections = [sourceConnection({ id: 'tun0' })];
  const monitor = monitorFor(t, source, {});
  const stream = updates(monitor);
  const first = await stream.next();
  assert.equal(first.snapshot.updates, 'push');
  await eventually(() => monitor.scheduledRead === null && source.reads.length === 1, 'the first read to settle');
  assert.equal(monitor.scheduledRead, null, 'no timer armed: the next read waits for the OS');

  const release = monitor.wantCounters();
  await eventually(() => source.reads.at(-1)?.counters === true, 'a read with counters');
  await eventually(() => monitor.scheduledRead === 1000, 'the counters timer');
  await eventually(() => monitor.scheduledRead === 1000 && source.reads.length >= 2, 'the read with counters done');
  release();
  assert.equal(monitor.scheduledRead, null, 'counters released: no timer');
  const live = monitor.wantLive();
  await eventually(() => monitor.scheduledRead === 1000, 'the popup open: counters each second, no 250 ms live poll');
  live();
  assert.equal(monitor.scheduledRead, null, 'closing the popup disarms the timer at once');

  const readsBefore = source.reads.length;
  source.connections = [];
  source.notify();
  const removed = await stream.next();
  assert.deepEqual(removed.events.map((e) => e.type), ['removed']);
  assert.equal(source.reads.length, readsBefore + 1, 'one signal, one read');
  await eventually(() => monitor.scheduledRead === null, 'idle again');
});

test('a source declaring a safety read of its own gets that period, not the monitor default', async (t) => {
  const source = new ScriptedSource(true);
  source.safetyReadMs = 60_000;
  source.pollWhileConnecting = false;
  const monitor = monitorFor(t, source, {});
  await updates(monitor).next();
  await eventually(() => monitor.scheduledRead !== null, 'the safety read armed');
  assert.equal(monitor.scheduledRead, 60_000);
});

test('complete push that fails later falls back to polling: a list without safety read never goes stale silently', async (t) => {
  const originalError = console.error;
  console.error = () => {};
  try {
    const source = new ScriptedSource(true);
    source.safetyReadMs = null;
    const monitor = monitorFor(t, source, { pollIntervalMs: 10 });
    const stream = updates(monitor);
    assert.equal((await stream.next()).snapshot.updates, 'push');
    source.pushFails({ code: 'ENETLINK', message: 'netlink subscription failed' });
    assert.equal((await stream.next()).snapshot.updates, 'poll');
    assert.equal(monitor.scheduledRead, 10);
  } finally {
    console.error = originalError;
  }
});

test('a push registration refused from within watch() itself is polling, said once', async (t) => {
  const originalError = console.error;
  const logged: unknown[][] = [];
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const source = new ScriptedSource();
    let unsubscribed = 0;
    source.watch = (_onChange, onUnavailable) => {
      onUnavailable?.({ code: 1, message: 'refused synchronously' });
      return () => unsubscribed++;
    };
    const monitor = monitorFor(t, source, { pollIntervalMs: 10 });
    assert.equal((await updates(monitor).next()).snapshot.updates, 'poll');
    assert.equal(unsubscribed, 1, 'the refused registration is released');
    assert.equal(logged.filter((args) => /refused synchronously/.test(String(args))).length, 1);
  } finally {
    console.error = originalError;
  }
});

test('a push source idles at the safety read; a connecting connection is read fast until it is connected', async (t) => {
  const source = new ScriptedSource(true);
  source.connections = [sourceConnection({ id: 'vpn', state: 'connecting' })];
  const monitor = monitorFor(t, source, { safetyPollMs: 10_000, connectingPollMs: 10 });
  const stream = updates(monitor);
  const first = await stream.next();
  assert.equal(first.snapshot.updates, 'push');
  await eventually(() => source.reads.length >= 4, 'fast reads while connecting');
  source.connections = [sourceConnection({ id: 'vpn', state: 'connected' })];
  await stream.next();
  const readsWhenConnected = source.reads.length;
  await sleep(100);
  assert.ok(source.reads.length <= readsWhenConnected + 1, `${source.reads.length - readsWhenConnected} reads after it connected`);
});

test('a source whose connecting progress is pushed (netlink) is not read fast for an interface that stays connecting', async (t) => {
  const source = new ScriptedSource(true);
  source.pollWhileConnecting = false;
  source.connections = [sourceConnection({ id: 'tun0', state: 'connecting' })];
  const monitor = monitorFor(t, source, { safetyPollMs: 10_000, connectingPollMs: 10 });
  await updates(monitor).next();
  await sleep(100);
  assert.equal(source.reads.length, 1);
});

test('updates: poll for a source without push, or when the registration is refused, and it says why', async (t) => {
  const originalError = console.error;
  const logged: unknown[][] = [];
  console.error = (...args: unknown[]) => logged.push(args);
  try {
    const plain = monitorFor(t, new ScriptedSource(), { pollIntervalMs: 10 });
    assert.equal((await updates(plain).next()).snapshot.updates, 'poll');
    const refusing = new ScriptedSource(true);
    refusing.watchFails = fail(1, 'RasConnectionNotificationW failed');
    const refused = monitorFor(t, refusing, { pollIntervalMs: 10 });
    const stream = updates(refused);
    assert.equal((await stream.next()).snapshot.updates, 'poll');
    const reads = refusing.reads.length;
    await eventually(() => refusing.reads.length > reads + 2, 'polling');
    assert.match(String(logged.at(-1)), /polling instead:,RasConnectionNotificationW failed/);
  } finally {
    console.error = originalError;
  }
});

test('push that fails later: listeners hear updates = poll at once, and the source is polled from then on', async (t) => {
  const originalError = console.error;
  console.error = () => {};
  try {
    const source = new ScriptedSource(true);
    const monitor = monitorFor(t, source, { pollIntervalMs: 10, safetyPollMs: 10_000 });
    const stream = updates(monitor);
    assert.equal((await stream.next()).snapshot.updates, 'push');
    source.pushFails({ code: 'EWAIT', message: 'WaitForMultipleObjects failed' });
    const switched = await stream.next();
    assert.deepEqual([switched.events, switched.snapshot.updates], [[], 'poll']);
    const reads = source.reads.length;
    await eventually(() => source.reads.length > reads + 2, 'polling after the failure');
  } finally {
    console.error = originalError;
  }
});

test('wantLive: counters, the live poll while held, and the quiet cadence again once released', async (t) => {
  const source = new ScriptedSource();
  const monitor = monitorFor(t, source, { pollIntervalMs: 10_000, livePollIntervalMs: 10 });
  const stream = updates(monitor);
  await stream.next();
  const release = monitor.wantLive();
  await eventually(() => source.reads.length >= 5, 'live polling');
  assert.equal(source.reads.at(-1)?.counters, true);
  release();
  await sleep(30);
  const readsAfter = source.reads.length;
  await sleep(100);
  assert.equal(source.reads.length, readsAfter, 'back to the 10 s hidden poll');
});
