/**
 * Keep connected's decisions over a scripted dialler and a hand-moved clock: the back-off after a drop, a
 * redial that succeeds, errors that need the user, the user's Disconnect, turning it off, resume and the
 * network coming back, entries that cannot be kept or that the system reconnects itself.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import type { Connection } from '../../../shared/connection';
import type { ReconnectEvent } from '../../../shared/reconnect';
import { backoffDelay, BACKOFF_MS, KeepConnected, type KeepEntry } from '../../../electron/core/reconnect/keep-connected';
import type { DialProgress } from '../../../electron/core/platforms/source';
import { connection } from '../../support/connections';
import { FakeClock } from '../../support/fake-clock';

const settle = async (): Promise<void> => {
  for (let i = 0; i < 5; i += 1) await turn();
};

const ENTRY: KeepEntry = { name: 'Office VPN', phonebook: null };
const up = (id = 'ras:1'): Connection[] => [connection({ id, name: 'Office VPN' })];

function setup(results: (DialProgress | Error)[] = []) {
  const clock = new FakeClock(1_000_000);
  const dials: number[] = [];
  const events: ReconnectEvent[] = [];
  const keep = new KeepConnected(
    async (name) => {
      assert.equal(name, 'Office VPN');
      dials.push(clock.now());
      const next = results.shift() ?? { connectionId: 'ras:9', phase: 'connected', detail: 'RASCS_Connected', error: null };
      if (next instanceof Error) throw next;
      return next;
    },
    { clock },
  );
  keep.onEvent((event) => events.push(event));
  return { clock, keep, dials, events };
}

const failed = (code: number | string): DialProgress => ({ connectionId: null, phase: 'failed', detail: 'RASCS_Disconnected', error: { code, message: `error ${code}` } });

/** Move the clock, letting each attempt's dial finish before the next timer. */
async function advance(clock: FakeClock, ms: number, step = 1000): Promise<void> {
  for (let done = 0; done < ms; done += step) {
    clock.advance(Math.min(step, ms - done));
    await settle();
  }
}

describe('keep connected: back-off', () => {
  it('5 s, 15 s, 60 s, then every 5 min', () => {
    assert.deepEqual([1, 2, 3, 4, 5, 12].map((n) => backoffDelay(n)), [5000, 15_000, 60_000, 300_000, 300_000, 300_000]);
    assert.deepEqual(BACKOFF_MS, [5000, 15_000, 60_000, 300_000]);
  });

  it('a drop is redialled after 5 s; failures wait 15 s, 60 s, 5 min; success says how long it was down', async () => {
    const { clock, keep, dials, events } = setup([failed(633), failed(800), failed(800)]);
    keep.setKept(['Office VPN']);
    keep.observe(up(), [ENTRY]);
    const droppedAt = clock.now();
    keep.observe([], [ENTRY]);
    assert.equal(keep.status('Office VPN')?.phase, 'waiting');
    await advance(clock, 4000);
    assert.equal(dials.length, 0, 'nothing before 5 s');
    await advance(clock, 6 * 60_000 + 20_000);
    assert.deepEqual(dials.map((t) => t - droppedAt), [5000, 20_000, 80_000, 380_000]);
    const done = events.find((e) => e.step === 'connected');
    assert.equal(done?.downForMs, 380_000);
    assert.equal(done?.attempt, 4);
    assert.deepEqual(events.filter((e) => e.step === 'failed').map((e) => e.delayMs), [15_000, 60_000, 300_000]);
    assert.equal(keep.status('Office VPN')?.phase, 'watching');
  });

  it('a dial that throws is a failed attempt like any other, never an exception out', async () => {
    const { clock, keep, dials } = setup([new Error('koffi exploded')]);
    keep.setKept(['Office VPN']);
    keep.observe(up(), [ENTRY]);
    keep.observe([], [ENTRY]);
    await advance(clock, 5000);
    assert.equal(dials.length, 1);
    assert.equal(keep.status('Office VPN')?.phase, 'waiting');
    assert.equal(keep.status('Office VPN')?.lastError?.code, 'EDIAL');
  });
});

describe('keep connected: when it must stop', () => {
  for (const code of [691, 649, 'ENOCREDENTIALS', 'NM_REASON_NO_SECRETS', 'NM_REASON_LOGIN_FAILED']) {
    it(`${code}: one attempt, one needs-user event, then it waits for the user`, async () => {
      const { clock, keep, dials, events } = setup([failed(code)]);
      keep.setKept(['Office VPN']);
      keep.observe(up(), [ENTRY]);
      keep.observe([], [ENTRY]);
      await advance(clock, 3_600_000, 60_000);
      assert.equal(dials.length, 1);
      assert.deepEqual(events.map((e) => e.step), ['scheduled', 'dialling', 'needs-user']);
      assert.equal(keep.status('Office VPN')?.phase, 'needs-user');
      // The user connects it: kept again, and its next drop is repaired.
      keep.noteUserConnect('Office VPN');
      keep.observe(up('ras:2'), [ENTRY]);
      keep.observe([], [ENTRY]);
      await advance(clock, 5000);
      assert.equal(dials.length, 2);
    });
  }

  it('the user\'s Disconnect: no redial', async () => {
    const { clock, keep, dials, events } = setup();
    keep.setKept(['Office VPN']);
    keep.observe(up('ras:7'), [ENTRY]);
    keep.noteHangUp('ras:7');
    keep.observe([], [ENTRY]);
    await advance(clock, 3_600_000, 60_000);
    assert.equal(dials.length, 0);
    assert.equal(keep.status('Office VPN')?.phase, 'stopped');
    assert.equal(events.at(-1)?.cause, 'user-disconnect');
  });

  it('a hang-up of another connection changes nothing', async () => {
    const { clock, keep, dials } = setup();
    keep.setKept(['Office VPN']);
    keep.observe(up('ras:7'), [ENTRY]);
    keep.noteHangUp('ras:8');
    keep.observe([], [ENTRY]);
    await advance(clock, 5000);
    assert.equal(dials.length, 1);
  });

  it('turned off while waiting: the pending attempt never happens', async () => {
    const { clock, keep, dials, events } = setup();
    keep.setKept(['Office VPN']);
    keep.observe(up(), [ENTRY]);
    keep.observe([], [ENTRY]);
    keep.setKept([]);
    await advance(clock, 3_600_000, 60_000);
    assert.equal(dials.length, 0);
    assert.equal(events.at(-1)?.cause, 'turned-off');
    assert.equal(keep.status('Office VPN'), null);
  });

  it('off by default: nothing kept, a drop is only a drop', async () => {
    const { clock, keep, dials } = setup();
    keep.observe(up(), [ENTRY]);
    keep.observe([], [ENTRY]);
    await advance(clock, 3_600_000, 60_000);
    assert.equal(dials.length, 0);
  });

  it('kept while down: nothing to repair until it has been up', async () => {
    const { clock, keep, dials } = setup();
    keep.setKept(['Office VPN']);
    keep.observe([], [ENTRY]);
    await advance(clock, 600_000, 60_000);
    assert.equal(dials.length, 0);
  });
});

describe('keep connected: resume and network', () => {
  it('resume while waiting: one redial at once, not another when the timer would have fired', async () => {
    const { clock, keep, dials } = setup();
    keep.setKept(['Office VPN']);
    keep.observe(up(), [ENTRY]);
    keep.observe([], [ENTRY]);
    await advance(clock, 1000);
    keep.resumed();
    await settle();
    assert.equal(dials.length, 1);
    keep.observe(up('ras:9'), [ENTRY]);
    await advance(clock, 600_000, 10_000);
    assert.equal(dials.length, 1);
  });

  it('the network back while waiting for the 5-minute attempt: dialled now', async () => {
    const { clock, keep, dials } = setup([failed(800), failed(800), failed(800), failed(800)]);
    keep.setKept(['Office VPN']);
    keep.observe(up(), [ENTRY]);
    keep.observe([], [ENTRY]);
    await advance(clock, 80_000);
    assert.equal(dials.length, 3);
    assert.equal(keep.waiting, true);
    keep.networkBack();
    await settle();
    assert.equal(dials.length, 4);
    assert.equal(dials[3]! - dials[2]!, 0, 'at once, not after the 5 min wait');
  });
});

describe('keep connected: entries it does not dial', () => {
  it('no saved credentials: blocked, with the reason, and never dialled', async () => {
    const { clock, keep, dials } = setup();
    const entry: KeepEntry = { ...ENTRY, keepBlocked: 'Windows has no saved password for this entry' };
    keep.setKept(['Office VPN']);
    keep.observe(up(), [entry]);
    keep.observe([], [entry]);
    await advance(clock, 600_000, 60_000);
    assert.equal(dials.length, 0);
    assert.deepEqual([keep.status('Office VPN')?.phase, keep.status('Office VPN')?.note], ['blocked', 'Windows has no saved password for this entry']);
  });

  it('NetworkManager reconnects it itself: said, not fought', async () => {
    const { clock, keep, dials } = setup();
    const entry: KeepEntry = { ...ENTRY, systemReconnects: 'NetworkManager reconnects it itself (connection.autoconnect)' };
    keep.setKept(['Office VPN']);
    keep.observe(up(), [entry]);
    keep.observe([], [entry]);
    await advance(clock, 600_000, 60_000);
    assert.equal(dials.length, 0);
    assert.equal(keep.status('Office VPN')?.phase, 'system');
  });
});
