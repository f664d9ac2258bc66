/**
 * The app's side of the core-process protocol (electron/core/host/core-client.ts) over a scripted channel:
 * what it writes for each source method, how answers, callbacks and deaths come back, and that nothing the
 * other process sends (garbage included) can throw into the app. The real process is driven in
 * test/native/host/core-host.test.ts.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { createCoreSource, restartDelay, type CoreChannelEvents, type CoreSource } from '../../../../electron/core/host/core-client';
import { decodeArgs, encodeArgs, isCoreReply, isCoreRequest, SOURCE_METHODS, type CoreRequest } from '../../../../electron/core/host/protocol';
import { BackendError } from '../../../../electron/core/backend-error';
import { check, checkAsync, HOSTILE_VALUES } from '../../../support/property';

interface Scripted {
  source: CoreSource;
  written: CoreRequest[];
  events: () => CoreChannelEvents;
  spawns: () => number;
  kills: () => number;
}

/**
 * A core process as the transport reports it: a kill ends it (its exit follows), and it exits after a
 * `close` request unless `hung` (stuck in a native call, it cannot read the request).
 */
function scripted(options: { restartDelaysMs?: number[]; callTimeoutMs?: number; closeGraceMs?: number; hung?: boolean } = {}): Scripted {
  const written: CoreRequest[] = [];
  let current: CoreChannelEvents | null = null;
  let spawns = 0;
  let kills = 0;
  const source = createCoreSource({
    backend: 'rasapi32',
    log: () => {},
    spawn: (events) => {
      spawns++;
      current = events;
      return {
        send: (message) => {
          written.push(message);
          if (message.type === 'close' && !options.hung) queueMicrotask(() => events.onExit('exited with code 0'));
        },
        kill: () => {
          kills++;
          queueMicrotask(() => events.onExit('was killed by SIGKILL'));
        },
      };
    },
    restartDelaysMs: options.restartDelaysMs,
    callTimeoutMs: options.callTimeoutMs,
    closeGraceMs: options.closeGraceMs,
  });
  return { source, written, events: () => current!, spawns: () => spawns, kills: () => kills };
}

const hello = (methods = ['read', 'hangUp']) => ({ type: 'hello', backend: 'rasapi32', methods, pid: 4242 });

describe('core client: calls', () => {
  it('every method of SOURCE_METHODS exists on the source; calls wait for hello, then go out as data', async () => {
    const { source, written, events } = scripted();
    for (const method of Object.keys(SOURCE_METHODS)) assert.equal(typeof (source as unknown as Record<string, unknown>)[method], 'function', method);
    assert.equal(source.supports('read'), null, 'unknown before hello');
    const read = source.read({ counters: true });
    assert.deepEqual(written, [], 'queued until the core listens');
    events().onMessage(hello());
    assert.deepEqual(written, [{ type: 'call', id: 1, method: 'read', args: [{ value: { counters: true } }] }]);
    assert.equal(source.supports('hangUp'), true);
    assert.equal(source.supports('watch'), false);
    assert.equal(source.status.pid, 4242);
    events().onMessage({ type: 'result', id: 1, value: [] });
    assert.deepEqual(await read, []);
    await source.shutdown();
  });

  it('an error answer is a BackendError with its code and message', async () => {
    const { source, events } = scripted();
    events().onMessage(hello());
    const hangUp = source.hangUp!('ras:1');
    events().onMessage({ type: 'error', id: 1, error: { code: 6, message: 'The handle is invalid.' } });
    await assert.rejects(hangUp, (error: unknown) => error instanceof BackendError && error.code === 6 && error.message === 'The handle is invalid.');
    await source.shutdown();
  });

  it('a function argument becomes a marker; the core calling it reaches the function (watch events, progress)', async () => {
    const { source, written, events } = scripted();
    events().onMessage(hello(['read', 'watch']));
    const seen: unknown[][] = [];
    const unwatch = source.watch!((...args: unknown[]) => seen.push(args));
    assert.deepEqual(written.at(-1), { type: 'subscribe', id: 1, method: 'watch', args: [{ callback: 0 }] });
    events().onMessage({ type: 'callback', id: 1, callback: 0, args: ['x', 2] });
    assert.deepEqual(seen, [['x', 2]]);
    unwatch();
    assert.deepEqual(written.at(-1), { type: 'unsubscribe', id: 1 });
    events().onMessage({ type: 'callback', id: 1, callback: 0, args: [] });
    assert.equal(seen.length, 1, 'nothing after unsubscribe');
    await source.shutdown();
  });
});

describe('core client: a subscription the core cannot make', () => {
  it('with one callback: called on a timer, as polling would; with a second one: that one is told the error', async () => {
    const { source, events } = scripted();
    events().onMessage(hello(['read']));
    let polls = 0;
    const unwatch = source.watch!(() => polls++);
    events().onMessage({ type: 'error', id: 1, error: { code: 'ENOTSUP', message: 'the rasapi32 backend has no subscribe watch' } });
    await new Promise((done) => setTimeout(done, 450));
    assert.ok(polls >= 2, `polled ${polls}×`);
    unwatch();
    const told: unknown[] = [];
    const watch = source.watch as unknown as (onChange: () => void, onUnavailable: (error: unknown) => void) => () => void;
    watch(() => {}, (error) => told.push(error));
    events().onMessage({ type: 'error', id: 2, error: { code: 1, message: 'RasConnectionNotificationW failed' } });
    assert.deepEqual(told, [{ code: 1, message: 'RasConnectionNotificationW failed' }]);
    await source.shutdown();
  });
});

describe('core client: deaths, restarts, hangs', () => {
  it('a dead core fails what is pending (ECORE), bars calls during the back-off, then a new core gets the subscriptions again', async () => {
    const { source, written, events, spawns } = scripted({ restartDelaysMs: [30] });
    events().onMessage(hello(['read', 'watch']));
    source.watch!(() => {});
    const read = source.read({ counters: false });
    events().onExit('was killed by SIGSEGV');
    await assert.rejects(read, /rasapi32 backend's core process was killed by SIGSEGV/);
    await assert.rejects(source.read({ counters: false }), /killed by SIGSEGV \(restarting it in \d+ ms\)/);
    assert.equal(source.status.state, 'restarting');
    await new Promise((done) => setTimeout(done, 60));
    assert.equal(spawns(), 2);
    written.length = 0;
    events().onMessage(hello(['read', 'watch']));
    assert.deepEqual(written, [{ type: 'subscribe', id: 1, method: 'watch', args: [{ callback: 0 }] }]);
    assert.equal(source.status.restarts, 1);
    await source.shutdown();
  });

  it('back-off grows along the list and stays at its last step', () => {
    assert.deepEqual([0, 1, 2, 3, 4, 5, 9].map((attempt) => restartDelay(attempt)), [250, 1000, 5000, 15_000, 30_000, 30_000, 30_000]);
  });

  it('a call unanswered for callTimeoutMs kills the core', async () => {
    const { source, events, kills } = scripted({ callTimeoutMs: 20 });
    events().onMessage(hello());
    const read = source.read({ counters: false }).catch((error: BackendError) => error.code);
    await new Promise((done) => setTimeout(done, 50));
    assert.equal(kills(), 1);
    assert.equal(await read, 'ECORE');
    await source.shutdown();
  });

  it('a scripted 45 s dial reporting its steps is not killed at the 30 s call deadline; a read unanswered beside it still is', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    const { source, events, kills } = scripted();
    events().onMessage(hello(['read', 'connect']));
    const steps: string[] = [];
    const dial = source.connect!('Office VPN', (step) => steps.push(step.detail));
    // RASCS_* steps every 5 s (a modem, or a user typing a password in Windows' dialog), connected at 45 s.
    for (let second = 5; second <= 45; second += 5) {
      t.mock.timers.tick(5000);
      if (second < 45) events().onMessage({ type: 'callback', id: 1, callback: 0, args: [{ connectionId: 'ras:10', phase: 'dialling', detail: `step ${second} s`, error: null }] });
    }
    assert.equal(kills(), 0, 'the core dialling for 45 s was not killed');
    events().onMessage({ type: 'result', id: 1, value: { connectionId: 'ras:10', phase: 'connected', detail: 'RASCS_Connected', error: null } });
    assert.equal((await dial).phase, 'connected');
    assert.equal(steps.length, 8);
    // The core's liveness is still watched: a read it leaves unanswered for 30 s kills it.
    const read = source.read({ counters: false }).catch((error: BackendError) => error.code);
    t.mock.timers.tick(30_000);
    await Promise.resolve();
    assert.equal(kills(), 1);
    assert.equal(await read, 'ECORE');
    t.mock.timers.reset();
    await source.shutdown();
  });

  it('shutdown asks the core to close, kills it after the grace if it does not, and resolves once it is gone', async () => {
    const { source, written, events, kills } = scripted({ closeGraceMs: 30, hung: true });
    events().onMessage(hello());
    const started = Date.now();
    await source.shutdown();
    assert.ok(Date.now() - started >= 25, 'waited for the grace');
    assert.deepEqual(written.at(-1), { type: 'close' });
    assert.equal(kills(), 1);
    assert.equal(source.status.state, 'closed');
    await assert.rejects(source.read({ counters: false }), /was closed/);
  });
});

describe('core protocol: outside input', () => {
  it('whatever the other process sends, the client neither throws nor settles a call with it unless it is a reply', async () => {
    await checkAsync(
      fc.asyncProperty(fc.array(fc.anything(), { maxLength: 20 }), async (messages) => {
        const { source, events } = scripted();
        events().onMessage(hello());
        const read = source.read({ counters: false });
        let settled = false;
        read.then(
          () => (settled = true),
          () => (settled = true),
        );
        for (const message of messages) events().onMessage(message);
        await Promise.resolve();
        const replied = messages.some((m) => isCoreReply(m) && (m.type === 'result' || m.type === 'error') && m.id === 1);
        if (!replied) assert.equal(settled, false);
        await source.shutdown();
      }),
      150,
    );
  });

  it("the hostile values of issue 12 as messages: ignored, the pending call still waits for its real answer", async () => {
    const { source, events } = scripted();
    events().onMessage(hello());
    const read = source.read({ counters: false });
    for (const make of Object.values(HOSTILE_VALUES)) events().onMessage(make());
    events().onMessage({ type: 'result', id: 1, value: ['ok'] });
    assert.deepEqual(await read, ['ok']);
    await source.shutdown();
  });

  it('requests: only known methods pass the check; data survives encode/decode as is (even data shaped like a marker), functions become callbacks', () => {
    check(
      fc.property(fc.string(), fc.array(fc.oneof(fc.jsonValue(), fc.record({ callback: fc.integer() })), { maxLength: 5 }), (method, args) => {
        const sent: [number, unknown[]][] = [];
        const { args: wire, callbacks } = encodeArgs([...args, () => {}]);
        assert.equal(isCoreRequest({ type: 'call', id: 1, method, args: wire }), Object.hasOwn(SOURCE_METHODS, method));
        assert.equal(callbacks.length, 1);
        const decoded = decodeArgs(wire, (callback, values) => sent.push([callback, values]));
        assert.deepEqual(decoded.slice(0, args.length), args);
        (decoded.at(-1) as (...v: unknown[]) => void)('a');
        assert.deepEqual(sent, [[0, ['a']]]);
      }),
      200,
    );
  });
});
