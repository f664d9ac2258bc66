import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../../shared/i18n/all';
import { ANNOUNCE_MAX_WAIT_MS, ANNOUNCE_QUIET_MS, initialPresence, settle, settleAt, transitionsOf } from '../../../renderer/announce';
import type { MonitorEvent } from '../../../shared/connection';
import { connection } from './connection-fixture';

const office = connection({ id: 'office', name: 'Office' });
const officeConnecting = { ...office, state: 'connecting' as const, connectedSince: null };
const officeDown = { ...office, state: 'disconnected' as const, connectedSince: null };
const dsl = connection({ id: 'dsl', name: 'Home DSL', kind: 'broadband' });

test('connects and drops become sentences; connecting alone is not news', () => {
  const events: MonitorEvent[] = [
    { type: 'added', connection: officeConnecting },
    { type: 'changed', connection: office, previous: officeConnecting, fields: ['state'] },
    { type: 'added', connection: dsl },
    { type: 'removed', connection: office },
    { type: 'error', error: null },
  ];
  assert.deepEqual(
    transitionsOf(events).map((t) => t.text),
    ['Office connected', 'Home DSL connected', 'Office disconnected'],
  );
  assert.deepEqual(transitionsOf([{ type: 'changed', connection: officeDown, previous: office, fields: ['state'] }]).map((t) => t.text), ['Office disconnected']);
});

test('what was connected when the popup subscribed is known, not announced', () => {
  const announced = initialPresence([office, officeConnecting, dsl]);
  const { messages } = settle(announced, transitionsOf([{ type: 'added', connection: dsl }]));
  assert.deepEqual(messages, []);
});

test('a flapping connection settles to its net change: down and up again says nothing', () => {
  const announced = initialPresence([office]);
  const flaps = transitionsOf([
    { type: 'changed', connection: officeDown, previous: office, fields: ['state'] },
    { type: 'changed', connection: office, previous: officeDown, fields: ['state'] },
    { type: 'changed', connection: officeDown, previous: office, fields: ['state'] },
    { type: 'changed', connection: office, previous: officeDown, fields: ['state'] },
  ]);
  assert.deepEqual(settle(announced, flaps).messages, []);
  const endsDown = settle(announced, [...flaps, ...transitionsOf([{ type: 'removed', connection: office }])]);
  assert.deepEqual(endsDown.messages, ['Office disconnected']);
  assert.equal(endsDown.announced.has('office'), false);
});

test('several connections in one settle are spoken in the order they last changed', () => {
  const { messages, announced } = settle(
    new Map(),
    transitionsOf([
      { type: 'added', connection: office },
      { type: 'added', connection: dsl },
    ]),
  );
  assert.deepEqual(messages, ['Office connected', 'Home DSL connected']);
  assert.equal(announced.get('dsl'), 'up');
});

test('settling waits for quiet, but never longer than the maximum wait', () => {
  assert.equal(settleAt(1000, 1000), 1000 + ANNOUNCE_QUIET_MS);
  assert.equal(settleAt(1000, 1000 + ANNOUNCE_MAX_WAIT_MS), 1000 + ANNOUNCE_MAX_WAIT_MS);
});
