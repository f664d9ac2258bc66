/**
 * The monitor over arbitrary sequences of backend reads and throws (property): whatever a backend answers
 * (duplicate ids, NaN, fields missing) or throws (anything, hostile values included), refresh() never rejects,
 * a subscriber's events applied to its list give the snapshot, the snapshot holds each id once, an error is
 * data in the snapshot, and a failed read keeps the last good list.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { applyEvents } from '../../../shared/apply-events';
import type { Connection, MonitorUpdate } from '../../../shared/connection';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import type { ConnectionSource, SourceConnection } from '../../../electron/core/platforms/source';
import { sourceConnection } from '../../support/connections';
import { anyThrown, checkAsync, outsideText, type Thrown } from '../../support/property';

type Step = { kind: 'read'; readings: SourceConnection[] } | { kind: 'throw'; thrown: Thrown };

const reading: fc.Arbitrary<SourceConnection> = fc
  .record(
    {
      // A small pool of ids: the same connection across reads, and duplicates within one.
      id: fc.constantFrom('a', 'b', 'c', '__proto__', 'constructor'),
      name: outsideText(8),
      state: fc.constantFrom('connecting', 'connected', 'paused', 'disconnected'),
      mtu: fc.oneof(fc.constant(null), fc.nat({ max: 9000 }), fc.constant(Number.NaN)),
      bytesIn: fc.option(fc.nat({ max: 10_000 }), { nil: null }),
      lastError: fc.option(fc.record({ code: fc.oneof(fc.nat({ max: 900 }), fc.constant(Number.NaN)), message: fc.string({ maxLength: 4 }) }), { nil: null }),
      upSince: fc.option(fc.nat(), { nil: null }),
      dropOwner: fc.boolean(),
    },
    { requiredKeys: ['id'] },
  )
  .map(({ dropOwner, ...fields }) => {
    const r = sourceConnection(fields);
    if (dropOwner) delete (r as Partial<SourceConnection>).owner; // a field that disappears from a reading
    return r;
  });

const step: fc.Arbitrary<Step> = fc.oneof(
  { weight: 3, arbitrary: fc.array(reading, { maxLength: 5 }).map((readings) => ({ kind: 'read' as const, readings })) },
  { weight: 1, arbitrary: anyThrown.map((thrown) => ({ kind: 'throw' as const, thrown })) },
);

const byId = (list: readonly Connection[]): [string, Connection][] => list.map((c): [string, Connection] => [c.id, c]).sort(([x], [y]) => (x < y ? -1 : 1));

/** Deep equality where NaN equals NaN (assert.deepStrictEqual already treats NaN so). */
const sameList = (actual: readonly Connection[], expected: readonly Connection[], message: string) => assert.deepStrictEqual(byId(actual), byId(expected), message);

describe('monitor over arbitrary reads and throws (property)', () => {
  it('never rejects; events and snapshot agree; ids are unique; errors are data; the last good list is kept', async (t) => {
    t.mock.method(console, 'warn', () => {}); // the duplicate-id log line
    await checkAsync(
      fc.asyncProperty(fc.array(step, { minLength: 1, maxLength: 12 }), async (steps) => {
        let next = 0;
        const source: ConnectionSource = {
          backend: 'property',
          async read() {
            const s = steps[Math.min(next++, steps.length - 1)]!;
            if (s.kind === 'throw') throw s.thrown.make();
            return s.readings.map((r) => ({ ...r }));
          },
          close() {},
        };
        let clock = 1_000;
        const monitor = new ConnectionMonitor(source, { pollIntervalMs: 3_600_000, safetyPollMs: 3_600_000, now: () => (clock += 250), platform: 'test' });
        const updates: MonitorUpdate[] = [];
        try {
          // The first subscriber's read takes step 0; then one refresh() per further step.
          let timer: ReturnType<typeof setTimeout> | undefined;
          await Promise.race([
            new Promise<void>((resolve) =>
              monitor.subscribe((update) => {
                updates.push(update);
                resolve();
              }),
            ),
            new Promise<never>((_, reject) => {
              timer = setTimeout(() => reject(new Error('the first read never reached the subscriber')), 2000);
            }),
          ]).finally(() => clearTimeout(timer));
          await new Promise((resolve) => setImmediate(resolve)); // that read has finished, not only delivered
          let seen: Connection[] = [];
          let lastGood: Connection[] = [];
          for (let i = 0; i < steps.length; i++) {
            const before = updates.length;
            const snapshot = i === 0 ? monitor.snapshot : await monitor.refresh();
            const s = steps[i]!;
            for (const update of updates.slice(i === 0 ? 0 : before)) {
              seen = applyEvents(seen, update.events.flatMap((e) => (e.type === 'error' ? [] : [e])));
            }
            sameList(seen, snapshot.connections, `step ${i}: events applied to the list give the snapshot`);
            assert.equal(new Set(snapshot.connections.map((c) => c.id)).size, snapshot.connections.length, `step ${i}: each id once`);
            if (s.kind === 'throw') {
              assert.ok(snapshot.error !== null, `step ${i}: the error is in the snapshot`);
              assert.equal(typeof snapshot.error.message, 'string');
              assert.ok(typeof snapshot.error.code === 'string' || typeof snapshot.error.code === 'number');
              sameList(snapshot.connections, lastGood, `step ${i}: the last good list is kept`);
            } else {
              assert.equal(snapshot.error, null, `step ${i}: a good read clears the error`);
              const ids = [...new Set(s.readings.map((r) => r.id))];
              assert.deepEqual(
                snapshot.connections.map((c) => c.id),
                ids,
                `step ${i}: one connection per id read`,
              );
              lastGood = snapshot.connections;
            }
            assert.deepStrictEqual(monitor.snapshot, snapshot);
          }
          // Errors as events: each update's error event, applied in order, ends at the snapshot's error.
          const lastError = updates.flatMap((u) => u.events.filter((e) => e.type === 'error')).at(-1);
          assert.deepEqual(lastError ? lastError.error : null, monitor.snapshot.error);
        } finally {
          monitor.close();
        }
      }),
      1000,
    );
  });
});
