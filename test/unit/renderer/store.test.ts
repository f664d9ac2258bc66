import assert from 'node:assert/strict';
import { test } from 'node:test';
import { INITIAL_STATE, reduce } from '../../../renderer/store';
import { connection, snapshot, update } from './connection-fixture';

const office = connection({ id: 'office', name: 'Office' });
const lab = connection({ id: 'lab', name: 'Lab' });

test('nothing counts as loaded until the core has actually read (takenAt set)', () => {
  const before = reduce(INITIAL_STATE, { type: 'subscribed', snapshot: snapshot([], null) });
  assert.equal(before.loaded, false);
  const after = reduce(before, { type: 'update', update: update([], snapshot([office], 10)) });
  assert.equal(after.loaded, true);
  assert.deepEqual(after.connections, [office]);
});

test('updates apply their events: rows keep their order and untouched rows keep their identity', () => {
  const start = reduce(INITIAL_STATE, { type: 'subscribed', snapshot: snapshot([office, lab], 10) });
  // The backend now lists lab first; the popup keeps the order the user has been looking at.
  const labUp = { ...lab, state: 'connecting' as const };
  const next = reduce(start, { type: 'update', update: update([{ type: 'changed', connection: labUp, previous: lab, fields: ['state'] }], snapshot([labUp, office], 20)) });
  assert.deepEqual(
    next.connections.map((c) => c.id),
    ['office', 'lab'],
  );
  assert.equal(next.connections[0], start.connections[0], 'the untouched row is the same object');
  assert.equal(next.connections[1]?.state, 'connecting');
});

test('when events and snapshot disagree (an update missed), the snapshot wins', () => {
  const start = reduce(INITIAL_STATE, { type: 'subscribed', snapshot: snapshot([office], 10) });
  const next = reduce(start, { type: 'update', update: update([], snapshot([office, lab], 30)) });
  assert.deepEqual(
    next.connections.map((c) => c.id),
    ['office', 'lab'],
  );
});

test('an older snapshot arriving late (the subscribe answer after a push) is ignored', () => {
  const pushed = reduce(INITIAL_STATE, { type: 'update', update: update([{ type: 'added', connection: lab }], snapshot([office, lab], 50)) });
  const late = reduce(pushed, { type: 'subscribed', snapshot: snapshot([office], 40) });
  assert.equal(late, pushed);
});

test('a backend error keeps the last good list and clears on recovery', () => {
  const start = reduce(INITIAL_STATE, { type: 'subscribed', snapshot: snapshot([office, lab], 10) });
  const error = { code: 834, message: 'The Remote Access Connection Manager service stopped.' };
  const failing = reduce(start, { type: 'update', update: update([{ type: 'error', error }], snapshot([office, lab], 20, error)) });
  assert.deepEqual(failing.error, error);
  assert.equal(failing.connections.length, 2);
  assert.equal(failing.readAt, 10, 'the stale list is "as of" the last read that succeeded');
  const stillFailing = reduce(failing, { type: 'refreshed', snapshot: snapshot([office, lab], 25, error) });
  assert.equal(stillFailing.readAt, 10, 'a Retry that fails again changes nothing of that');
  const recovered = reduce(stillFailing, { type: 'update', update: update([{ type: 'error', error: null }], snapshot([office, lab], 30)) });
  assert.equal(recovered.error, null);
  assert.equal(recovered.readAt, 30);
});

test('a failed subscribe is shown as an error, with an empty list, and counts as loaded', () => {
  const failed = reduce(INITIAL_STATE, { type: 'subscribe-failed', error: { code: 'EIPC', message: 'no handler' } });
  assert.equal(failed.loaded, true);
  assert.equal(failed.error?.code, 'EIPC');
  assert.deepEqual(failed.connections, []);
});

test('the snapshot says how the list is kept current, and the state follows it', () => {
  const pushed = reduce(INITIAL_STATE, { type: 'subscribed', snapshot: snapshot([], 10) });
  assert.equal(pushed.updates, 'push');
  const polled = reduce(pushed, { type: 'update', update: update([], { ...snapshot([], 20), updates: 'poll' }) });
  assert.equal(polled.updates, 'poll');
});
