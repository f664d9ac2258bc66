import assert from 'node:assert/strict';
import { test } from 'node:test';
import { applyEvents } from '../../../shared/apply-events';
import { changedFields, completeConnection, diffConnections, lastReadingPerId } from '../../../electron/core/model';
import { sourceConnection } from '../../support/scripted-source';

const complete = (overrides: Parameters<typeof sourceConnection>[0], now = 1000) => completeConnection(sourceConnection(overrides), undefined, now);

test('a connection first seen connected is connected since that reading', () => {
  assert.equal(complete({ id: 'a' }, 5000).connectedSince, 5000);
  assert.equal(complete({ id: 'a', state: 'connecting' }, 5000).connectedSince, null);
});

test('connectedSince is kept while the connection stays connected, and the backend figure wins', () => {
  const first = complete({ id: 'a' }, 1000);
  const later = completeConnection(sourceConnection({ id: 'a' }), { connection: first, readAt: 1000 }, 9000);
  assert.equal(later.connectedSince, 1000);
  const known = completeConnection(sourceConnection({ id: 'a', upSince: 42 }), undefined, 9000);
  assert.equal(known.connectedSince, 42);
  const dropped = completeConnection(sourceConnection({ id: 'a', state: 'connecting' }), { connection: first, readAt: 1000 }, 9000);
  assert.equal(dropped.connectedSince, null);
});

test('throughput comes from successive counters, and a counter that went backwards gives no rate', () => {
  const first = complete({ id: 'a', bytesIn: 1000, bytesOut: 0 }, 0);
  assert.equal(first.rateIn, null, 'one reading is not a rate');
  const second = completeConnection(sourceConnection({ id: 'a', bytesIn: 3000, bytesOut: 500 }), { connection: first, readAt: 0 }, 2000);
  assert.equal(second.rateIn, 1000);
  assert.equal(second.rateOut, 250);
  const reset = completeConnection(sourceConnection({ id: 'a', bytesIn: 10, bytesOut: 600 }), { connection: second, readAt: 2000 }, 3000);
  assert.equal(reset.rateIn, null);
  assert.equal(reset.rateOut, 100);
});

test('diff names what was removed, what changed (with the fields) and what was added', () => {
  const a = complete({ id: 'a', state: 'connecting' });
  const b = complete({ id: 'b' });
  const aConnected = complete({ id: 'a', state: 'connected', addresses: ['10.0.0.2/24'] });
  const c = complete({ id: 'c' });
  const events = diffConnections([a, b], [aConnected, c]);
  assert.deepEqual(
    events.map((event) => [event.type, event.connection.id]),
    [
      ['removed', 'b'],
      ['changed', 'a'],
      ['added', 'c'],
    ],
  );
  const changed = events[1];
  assert.ok(changed?.type === 'changed');
  assert.deepEqual(changed.fields, ['state', 'addresses', 'connectedSince']);
  assert.equal(changed.previous.state, 'connecting');
});

test('an identical reading makes no event', () => {
  const a = complete({ id: 'a', addresses: ['10.0.0.2/24'] });
  assert.deepEqual(diffConnections([a], [complete({ id: 'a', addresses: ['10.0.0.2/24'] })]), []);
});

test('applying the diff to the old list gives the new list', () => {
  const before = [complete({ id: 'a' }), complete({ id: 'b' }), complete({ id: 'c' })];
  const after = [complete({ id: 'a', state: 'paused' }), complete({ id: 'c' }), complete({ id: 'd' })];
  assert.deepEqual(applyEvents(before, diffConnections(before, after)), after);
});

test('an id read twice: the last reading wins, at the place of the first, and the id is named (issue 12)', () => {
  const readings = [sourceConnection({ id: 'a', name: 'old' }), sourceConnection({ id: 'b' }), sourceConnection({ id: 'a', name: 'new' })];
  const { readings: unique, duplicates } = lastReadingPerId(readings);
  assert.deepEqual(
    unique.map((r) => [r.id, r.name]),
    [
      ['a', 'new'],
      ['b', 'b'],
    ],
  );
  assert.deepEqual(duplicates, ['a']);
  assert.deepEqual(lastReadingPerId([sourceConnection({ id: 'x' })]).duplicates, []);
});

test('changedFields compares the union of keys, nested ones too, and NaN equals NaN (issue 12)', () => {
  const base = complete({ id: 'a', mtu: 1400 });
  const { mtu: _mtu, ...withoutMtu } = base;
  assert.deepEqual(changedFields(base, withoutMtu as typeof base), ['mtu'], 'a field that disappeared');
  assert.deepEqual(changedFields(withoutMtu as typeof base, base), ['mtu'], 'a field that appeared');
  const error = (extra: object) => complete({ id: 'a', lastError: { code: 1, message: 'm', ...extra } as never });
  assert.deepEqual(changedFields(error({ b: undefined }), error({ c: undefined })), ['lastError'], 'same key count, other keys');
  const nan = complete({ id: 'a', bytesIn: Number.NaN, lastError: { code: Number.NaN, message: 'm' } });
  assert.deepEqual(changedFields(nan, { ...nan, lastError: { code: Number.NaN, message: 'm' } }), []);
  assert.deepEqual(changedFields(nan, { ...nan, bytesIn: 0 }), ['bytesIn']);
});
