/**
 * The monitor against a backend that misbehaves: hostile thrown values, duplicate ids, fields that disappear,
 * NaN. The counterexamples of issue 12's fuzzing, each kept as a named regression test.
 */
import assert from 'node:assert/strict';
import { describe, it, type TestContext } from 'node:test';
import type { MonitorUpdate } from '../../../shared/connection';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import type { ConnectionSource, SourceConnection } from '../../../electron/core/platforms/source';
import { sourceConnection } from '../../support/connections';

/** A source whose next read answers or throws whatever the test says. */
function scripted(): ConnectionSource & { answer: () => SourceConnection[] } {
  const source = {
    backend: 'scripted',
    answer: (): SourceConnection[] => [],
    async read() {
      return source.answer();
    },
    close() {},
  };
  return source;
}

/** Long poll periods: only the test's own refresh() calls read. */
function monitorFor(t: TestContext, source: ConnectionSource): ConnectionMonitor {
  const monitor = new ConnectionMonitor(source, { pollIntervalMs: 3_600_000, safetyPollMs: 3_600_000, platform: 'test' });
  t.after(() => monitor.close());
  return monitor;
}

const boom = (): never => {
  throw new Error('trap');
};
const revoked = (): object => {
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  return proxy;
};
const HOSTILE: [string, () => unknown][] = [
  ['a null-prototype object', () => Object.create(null)],
  ['an object whose toString throws', () => ({ toString: boom })],
  ['an Error whose message getter throws', () => Object.defineProperty(new Error('x'), 'message', { get: boom })],
  ['an Error whose code getter throws', () => Object.defineProperty(new Error('x'), 'code', { get: boom })],
  ['a Proxy whose traps throw', () => new Proxy({}, { get: boom, getPrototypeOf: boom })],
  ['a revoked Proxy', revoked],
];

describe('monitor: a backend that throws anything (issue 12, point 4)', () => {
  for (const [what, make] of HOSTILE) {
    it(`${what}: refresh() resolves with the error as data and the last good list`, async (t) => {
      const source = scripted();
      const monitor = monitorFor(t, source);
      source.answer = () => [sourceConnection({ id: 'office' })];
      await monitor.refresh();
      source.answer = () => {
        throw make();
      };
      const snapshot = await monitor.refresh();
      assert.equal(snapshot.error?.code, 'EUNKNOWN');
      assert.equal(typeof snapshot.error?.message, 'string');
      assert.deepEqual(
        snapshot.connections.map((c) => c.id),
        ['office'],
      );
      assert.deepEqual(monitor.snapshot, snapshot);
    });
  }

  it('the read started by subscribe() is no unhandled rejection: the subscriber gets the error', async (t) => {
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    t.after(() => process.off('unhandledRejection', onUnhandled));
    const source = scripted();
    source.answer = () => {
      throw Object.create(null);
    };
    const monitor = monitorFor(t, source);
    const update = await new Promise<MonitorUpdate>((resolve) => monitor.subscribe(resolve));
    assert.deepEqual(update.events, [{ type: 'error', error: { code: 'EUNKNOWN', message: '[object Object]' } }]);
    await new Promise((resolve) => setTimeout(resolve, 20));
    assert.deepEqual(unhandled, []);
  });
});

describe('monitor: duplicate ids, vanishing fields, NaN (issue 12, point 5)', () => {
  it('an id listed twice: the last reading wins, one added, listed once, said once in the log', async (t) => {
    const warn = t.mock.method(console, 'warn', () => {});
    const source = scripted();
    const monitor = monitorFor(t, source);
    source.answer = () => [
      sourceConnection({ id: 'a', name: 'first reading' }),
      sourceConnection({ id: 'b' }),
      sourceConnection({ id: 'a', name: 'last reading' }),
    ];
    const updates: MonitorUpdate[] = [];
    monitor.subscribe((update) => updates.push(update));
    const first = await monitor.refresh();
    assert.deepEqual(
      first.connections.map((c) => [c.id, c.name]),
      [
        ['a', 'last reading'],
        ['b', 'b'],
      ],
    );
    assert.deepEqual(
      updates.flatMap((u) => u.events.map((e) => (e.type === 'error' ? e.type : `${e.type} ${e.connection.id}`))),
      ['added a', 'added b'],
    );
    const second = await monitor.refresh();
    assert.equal(second.connections.length, 2);
    assert.equal(updates.length, 1, 'the same duplicated reading again changes nothing');
    assert.equal(warn.mock.callCount(), 1, 'one log line while the same ids keep repeating');
    assert.match(String(warn.mock.calls[0]!.arguments[0]), /listed "a" more than once; the last reading of each is kept/);
  });

  it('a field that disappears from a reading is a change of that field', async (t) => {
    const source = scripted();
    const monitor = monitorFor(t, source);
    source.answer = () => [sourceConnection({ id: 'a', mtu: 1400 })];
    const updates: MonitorUpdate[] = [];
    monitor.subscribe((update) => updates.push(update));
    await monitor.refresh();
    source.answer = () => {
      const { mtu: _mtu, ...rest } = sourceConnection({ id: 'a' });
      return [rest as SourceConnection];
    };
    await monitor.refresh();
    const changed = updates.at(-1)!.events[0];
    assert.equal(changed?.type, 'changed');
    assert.deepEqual(changed.type === 'changed' && changed.fields, ['mtu']);
  });

  it('a NaN field is equal to NaN: no changed on every read', async (t) => {
    const source = scripted();
    const monitor = monitorFor(t, source);
    source.answer = () => [sourceConnection({ id: 'a', mtu: Number.NaN, lastError: { code: Number.NaN, message: 'x' } })];
    const updates: MonitorUpdate[] = [];
    monitor.subscribe((update) => updates.push(update));
    await monitor.refresh();
    await monitor.refresh();
    await monitor.refresh();
    assert.equal(updates.length, 1, 'only the first update (added)');
  });
});
