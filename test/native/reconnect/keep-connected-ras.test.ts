/**
 * Keep connected over the RAS contract fake (fake-rasapi32*.c): the real RAS backend, monitor and saved
 * connections, with only the back-off clock faked. The fake drops a connection the way Windows does (its
 * state turns RASCS_Disconnected with dwError 628 ERROR_DISCONNECTION, then the handle is gone), and
 * RasDialW then dials the entry again through RasDialFunc1.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { ReconnectEvent } from '../../../shared/reconnect';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { KeepConnected } from '../../../electron/core/reconnect/keep-connected';
import { SavedConnections } from '../../../electron/core/saved';
import type { ConnectionSource } from '../../../electron/core/platforms/source';
import { createRasSource } from '../../../electron/core/platforms/win32/ras-source';
import { parseRasConnectionId } from '../../../electron/core/platforms/win32/ras-decode';
import { FAKE_USER_PHONEBOOK, loadFakeRas, RASCS } from '../../support/fake-ras';
import { FakeClock } from '../../support/fake-clock';

const fake = loadFakeRas();
let source: ConnectionSource;
let monitor: ConnectionMonitor;
let saved: SavedConnections;
let keep: KeepConnected;
let clock: FakeClock;
let events: ReconnectEvent[];
const stops: (() => void)[] = [];

async function eventually(what: string, condition: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

beforeEach(async () => {
  fake.reset();
  source = createRasSource(fake.path);
  monitor = new ConnectionMonitor(source, { pollIntervalMs: 20, safetyPollMs: 20, connectingPollMs: 20 });
  saved = new SavedConnections(source, monitor);
  clock = new FakeClock(1_000_000);
  events = [];
  keep = new KeepConnected((name) => saved.connect(name), { clock });
  keep.onEvent((event) => events.push(event));
  stops.push(monitor.subscribe((update) => keep.observe(update.snapshot.connections, saved.state.entries)));
  stops.push(monitor.onHangUp((id) => keep.noteHangUp(id)));
});
afterEach(() => {
  for (const stop of stops.splice(0)) stop();
  keep.dispose();
  monitor.close();
  fake.reset();
});

/** The entry up, the way a user's earlier Connect left it; returns its handle. */
async function upAndKept(name: string): Promise<bigint> {
  await saved.refresh();
  const handle = fake.add({ name, phonebook: FAKE_USER_PHONEBOOK });
  await monitor.refresh();
  keep.setKept([name]);
  await eventually('the kept entry seen up', () => monitor.snapshot.connections.some((c) => c.name === name && c.state === 'connected'));
  return handle;
}

/** Windows' drop: RASCS_Disconnected with 628, then the handle is gone from RasEnumConnections. */
async function dropWith628(handle: bigint): Promise<void> {
  fake.setState(handle, RASCS.Disconnected, 628);
  await monitor.refresh();
  fake.remove(handle);
  await monitor.refresh();
}

/** Moves the back-off clock in 1 s steps, letting each dial (real threads, real callbacks) finish. */
async function advance(ms: number): Promise<void> {
  for (let done = 0; done < ms; done += 1000) {
    clock.advance(1000);
    await sleep(1);
    if (keep.status(keep.statuses[0]?.name ?? '')?.phase === 'dialling') await eventually('the attempt to end', () => keep.statuses[0]?.phase !== 'dialling');
  }
}

describe('keep connected over the RAS fake', () => {
  it('a drop (628) is redialled with back-off 5 s, 15 s, 60 s on the fake clock, and reconnects', async () => {
    fake.addEntry({ name: 'Office VPN', stepMs: 5 });
    const handle = await upAndKept('Office VPN');
    await dropWith628(handle);
    await eventually('the drop to be seen', () => keep.status('Office VPN')?.phase === 'waiting');
    const droppedAt = clock.now();
    assert.equal(fake.dialCalls('RasDialW'), 0);
    // The next two dials are refused at once (633: the device is busy), the third connects.
    fake.dialFailNext('RasDialW', 633);
    await advance(5000);
    assert.equal(fake.dialCalls('RasDialW'), 1, 'attempt 1 at 5 s');
    fake.dialFailNext('RasDialW', 633);
    await advance(15_000);
    assert.equal(fake.dialCalls('RasDialW'), 2, 'attempt 2 15 s later');
    await advance(59_000);
    assert.equal(fake.dialCalls('RasDialW'), 2, 'nothing before 60 s more');
    await advance(1000);
    assert.equal(fake.dialCalls('RasDialW'), 3);
    await eventually('reconnected', () => events.some((e) => e.step === 'connected'));
    const attempts = events.filter((e) => e.step === 'dialling').map((e) => e.at - droppedAt);
    assert.deepEqual(attempts, [5000, 20_000, 80_000]);
    assert.equal(events.find((e) => e.step === 'connected')?.downForMs, 80_000);
    await eventually('the redialled connection listed', () => monitor.snapshot.connections.some((c) => c.name === 'Office VPN' && c.state === 'connected'));
    assert.deepEqual(events.filter((e) => e.step === 'failed').map((e) => e.error?.code), [633, 633]);
  });

  it('691 at RASCS_Authenticate: one attempt, then it waits for the user', async () => {
    // The server now refuses the saved credentials (changed password): the fake answers 691 at authentication.
    fake.addEntry({ name: 'Lab', outcome: 'fail', error: 691, stepMs: 5 });
    const handle = await upAndKept('Lab');
    await dropWith628(handle);
    await advance(5000);
    await eventually('the attempt to fail', () => keep.status('Lab')?.phase === 'needs-user');
    await advance(30 * 60_000);
    assert.equal(fake.dialCalls('RasDialW'), 1);
    assert.deepEqual(events.map((e) => e.step), ['scheduled', 'dialling', 'needs-user']);
    assert.equal(events.at(-1)?.error?.code, 691);
  });

  it('the user\'s Disconnect (RasHangUpW from Linkwatch) is not a drop: no redial', async () => {
    fake.addEntry({ name: 'Office VPN', stepMs: 5 });
    await upAndKept('Office VPN');
    const id = monitor.snapshot.connections.find((c) => c.name === 'Office VPN')!.id;
    assert.ok(parseRasConnectionId(id) !== null);
    await monitor.hangUp(id);
    await eventually('the connection gone', () => !monitor.snapshot.connections.some((c) => c.id === id));
    await advance(10 * 60_000);
    assert.equal(fake.dialCalls('RasDialW'), 0);
    assert.equal(keep.status('Office VPN')?.phase, 'stopped');
  });

  it('resume from sleep while waiting: exactly one redial', async () => {
    fake.addEntry({ name: 'Office VPN', stepMs: 5 });
    const handle = await upAndKept('Office VPN');
    await dropWith628(handle);
    await eventually('the drop to be seen', () => keep.status('Office VPN')?.phase === 'waiting');
    keep.resumed();
    await eventually('the resume attempt to connect', () => events.some((e) => e.step === 'connected'));
    await eventually('the redialled connection listed', () => monitor.snapshot.connections.some((c) => c.name === 'Office VPN' && c.state === 'connected'));
    await advance(10 * 60_000);
    assert.equal(fake.dialCalls('RasDialW'), 1);
  });
});
