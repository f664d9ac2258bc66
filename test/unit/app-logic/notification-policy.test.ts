import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NotificationPolicy, type Clock, type Toast } from '../../../electron/app-logic/notification-policy';
import { connection, update } from './connections';

/** A clock the test moves by hand; timers fire in order as time passes. */
class FakeClock implements Clock {
  time = 0;
  private timers: { at: number; callback: () => void; cancelled: boolean }[] = [];

  now(): number {
    return this.time;
  }

  setTimer(callback: () => void, ms: number): () => void {
    const timer = { at: this.time + ms, callback, cancelled: false };
    this.timers.push(timer);
    return () => {
      timer.cancelled = true;
    };
  }

  advance(ms: number): void {
    const end = this.time + ms;
    for (;;) {
      const due = this.timers.filter((t) => !t.cancelled && t.at <= end).sort((a, b) => a.at - b.at)[0];
      if (!due) break;
      due.cancelled = true;
      this.time = due.at;
      due.callback();
    }
    this.time = end;
  }
}

function setup(settleMs = 5000, maxWaitMs = 60_000) {
  const clock = new FakeClock();
  const toasts: Toast[] = [];
  const policy = new NotificationPolicy((toast) => toasts.push(toast), { clock, settleMs, maxWaitMs });
  return { clock, toasts, policy };
}

const up = connection({ id: 'h1', name: 'Work VPN', addresses: ['10.8.0.2/24'] });
const reconnecting = { ...up, state: 'connecting' as const, stateDetail: 'RECONNECTING' };

describe('notifications: real state changes only, debounced and coalesced', () => {
  it('what is up when Linkwatch starts is not news', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([up]));
    clock.advance(60_000);
    assert.deepEqual(toasts, []);
  });

  it('a connection that comes up gives one toast, once it has settled', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([]));
    policy.update(update([{ ...up, state: 'connecting' }]));
    clock.advance(1000);
    policy.update(update([up]));
    clock.advance(4999);
    assert.deepEqual(toasts, []);
    clock.advance(1);
    assert.deepEqual(toasts, [{ title: 'Work VPN connected', body: '10.8.0.2 · WAN Miniport (IKEv2)' }]);
  });

  it('a connection that drops gives one toast, with the last error when the backend had one', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([up]));
    policy.update(update([{ ...up, state: 'disconnected', lastError: { code: 628, message: 'The connection was terminated by the remote computer.' } }]));
    policy.update(update([]));
    clock.advance(5000);
    assert.deepEqual(toasts, [{ title: 'Work VPN disconnected', body: 'Last error 628: The connection was terminated by the remote computer.' }]);
    clock.advance(120_000);
    assert.equal(toasts.length, 1);
  });

  it('a drop says how long the connection was up and its last error, even when the final reading lost it', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([]));
    clock.advance(10_000);
    const since = clock.now();
    policy.update(update([{ ...up, connectedSince: since }]));
    clock.advance(5000);
    clock.advance(3_720_000 - 5000);
    policy.update(update([{ ...up, state: 'disconnected', connectedSince: null, lastError: { code: 'ETUNNEL', message: 'The peer stopped answering' } }]));
    clock.advance(1000);
    policy.update(update([]));
    clock.advance(5000);
    assert.deepEqual(toasts.at(-1), { title: 'Work VPN disconnected', body: 'Up for 1h 02m. Last error ETUNNEL: The peer stopped answering' });
  });

  it('a drop without an error still says how long it was up', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([{ ...up, connectedSince: -65_000 }]));
    clock.advance(1000);
    policy.update(update([]));
    clock.advance(5000);
    assert.deepEqual(toasts, [{ title: 'Work VPN disconnected', body: 'Up for 1m 06s. The connection was closed.' }]);
  });

  it('a backend repeating "reconnecting" every 2 s toasts once, not every 2 s', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([up]));
    // It drops into reconnecting and the backend keeps re-reporting it (a new stateDetail each time).
    for (let i = 0; i < 30; i += 1) {
      policy.update(update([{ ...reconnecting, stateDetail: `RECONNECTING attempt ${i}` }]));
      clock.advance(2000);
    }
    assert.deepEqual(toasts.map((t) => t.title), ['Work VPN disconnected']);
  });

  it('a link flapping up and down every 2 s is announced at most once per max wait, not per flap', () => {
    const { clock, toasts, policy } = setup(5000, 60_000);
    policy.update(update([up]));
    for (let i = 0; i < 90; i += 1) {
      policy.update(update([i % 2 === 0 ? reconnecting : up]));
      clock.advance(2000);
    }
    // 180 s of flapping: at most one toast per 60 s.
    assert.ok(toasts.length <= 3, `${toasts.length} toasts`);
  });

  it('a short drop that recovers within the settle time says nothing', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([up]));
    policy.update(update([reconnecting]));
    clock.advance(3000);
    policy.update(update([up]));
    clock.advance(60_000);
    assert.deepEqual(toasts, []);
  });

  it('a redial under a new handle (RAS gives it a new id) counts as the same connection', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([up]));
    policy.update(update([]));
    clock.advance(2000);
    policy.update(update([{ ...up, id: 'h2' }]));
    clock.advance(60_000);
    assert.deepEqual(toasts, []);
  });

  it('a dial that never came up and vanished says nothing', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([]));
    policy.update(update([{ ...up, state: 'connecting' }]));
    clock.advance(10_000);
    policy.update(update([]));
    clock.advance(60_000);
    assert.deepEqual(toasts, []);
  });

  it('several changes at once become one notification', () => {
    const { clock, toasts, policy } = setup();
    const home = connection({ id: 'p1', name: 'Home PPPoE', kind: 'broadband' });
    const lab = connection({ id: 'w1', name: 'Lab WireGuard' });
    policy.update(update([home]));
    policy.update(update([up, lab]));
    clock.advance(5000);
    assert.equal(toasts.length, 1);
    assert.equal(toasts[0]?.title, '3 connections changed');
    assert.deepEqual(toasts[0]?.body.split('\n').sort(), ['Home PPPoE disconnected', 'Lab WireGuard connected', 'Work VPN connected']);
  });

  it('dispose drops what is pending (quitting)', () => {
    const { clock, toasts, policy } = setup();
    policy.update(update([]));
    policy.update(update([up]));
    policy.dispose();
    clock.advance(60_000);
    assert.deepEqual(toasts, []);
  });
});
