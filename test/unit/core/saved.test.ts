/**
 * SavedConnections: entries matched to the live list, dials and their progress, what is refused. Over an
 * in-memory source and a real ConnectionMonitor reading it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackendError } from '../../../electron/core/backend-error';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import type { ConnectionSource, DialProgress, SourceConnection, SourceEntry } from '../../../electron/core/platforms/source';
import { SavedConnections } from '../../../electron/core/saved';
import type { SavedState } from '../../../shared/saved';
import { sourceConnection } from '../../support/scripted-source';

/** A backend whose dials the test finishes by hand: `finish(name, last)`. */
function dialSource(entries: SourceEntry[] | null) {
  let live: SourceConnection[] = [];
  const dialled: string[] = [];
  const cancelled: string[] = [];
  const pending = new Map<string, { progress: (p: DialProgress) => void; finish: (p: DialProgress) => void }>();
  let listError: Error | null = null;
  const source: ConnectionSource = {
    backend: 'rasapi32',
    read: async () => live,
    listEntries: async () => {
      if (listError) throw listError;
      return entries;
    },
    connect: (name, onProgress) =>
      new Promise((resolve) => {
        dialled.push(name);
        pending.set(name, { progress: onProgress, finish: resolve });
      }),
    cancel: async (id) => void cancelled.push(id),
    close: () => {},
  };
  return {
    source,
    dialled,
    cancelled,
    step: (name: string, p: DialProgress) => pending.get(name)!.progress(p),
    finish: (name: string, p: DialProgress) => pending.get(name)!.finish(p),
    setLive: (connections: SourceConnection[]) => (live = connections),
    failListing: (error: Error | null) => (listError = error),
  };
}

const entry = (name: string): SourceEntry => ({ name, scope: 'user', kind: 'vpn', phonebook: 'C:\\pbk\\rasphone.pbk' });
const step = (detail: string): DialProgress => ({ connectionId: 'ras:9', phase: 'dialling', detail, error: null });
const tick = () => new Promise((resolve) => setTimeout(resolve, 5));

function setup(entries: SourceEntry[] | null = [entry('Office VPN'), entry('Lab')]) {
  const fake = dialSource(entries);
  const monitor = new ConnectionMonitor(fake.source, { pollIntervalMs: 10 });
  const saved = new SavedConnections(fake.source, monitor, () => 1000);
  const states: SavedState[] = [];
  const off = saved.subscribe((state) => states.push(state));
  return { fake, monitor, saved, states, close: () => (off(), monitor.close()) };
}

describe('SavedConnections', () => {
  it('a dial: every step reaches the listeners; once the live list has it connected, the entry says so and the dial is dropped', async () => {
    const { fake, saved, states, monitor, close } = setup();
    try {
      await saved.start('Office VPN');
      fake.step('Office VPN', step('RASCS_OpenPort'));
      fake.step('Office VPN', step('RASCS_Authenticate'));
      const office = () => saved.state.entries.find((e) => e.name === 'Office VPN')!;
      assert.deepEqual(office().dial, { connectionId: 'ras:9', phase: 'dialling', detail: 'RASCS_Authenticate', error: null, startedAt: 1000 });
      assert.ok(states.some((s) => s.entries[0]?.dial?.detail === 'RASCS_OpenPort'));
      fake.setLive([sourceConnection({ id: 'ras:9', name: 'Office VPN', phonebook: 'C:\\PBK\\rasphone.pbk' })]);
      fake.finish('Office VPN', { connectionId: 'ras:9', phase: 'connected', detail: 'RASCS_Connected', error: null });
      await monitor.refresh();
      await tick();
      assert.deepEqual([office().connectionId, office().dial], ['ras:9', null], 'matched by name and book (case-insensitive path)');
    } finally {
      close();
    }
  });

  it('a failed dial keeps its reason on the entry; its lingering connection is not taken for connected', async () => {
    const { fake, saved, monitor, close } = setup();
    try {
      await saved.start('Lab');
      fake.setLive([sourceConnection({ id: 'ras:9', name: 'Lab', phonebook: null, state: 'connecting' })]);
      fake.finish('Lab', { connectionId: 'ras:9', phase: 'failed', detail: 'RASCS_Authenticate', error: { code: 691, message: 'refused' } });
      await monitor.refresh();
      await tick();
      const lab = saved.state.entries.find((e) => e.name === 'Lab')!;
      assert.deepEqual([lab.connectionId, lab.dial?.phase, lab.dial?.error], [null, 'failed', { code: 691, message: 'refused' }]);
    } finally {
      close();
    }
  });

  it('an entry already connected is answered from the live list: connected, with its connection, and the backend does not dial', async () => {
    const { fake, saved, monitor, close } = setup();
    try {
      fake.setLive([sourceConnection({ id: 'ras:9', name: 'Office VPN', phonebook: 'C:\\pbk\\rasphone.pbk' })]);
      await monitor.refresh();
      const steps: DialProgress[] = [];
      const last = await saved.connect('Office VPN', (p) => steps.push(p));
      assert.deepEqual(last, { connectionId: 'ras:9', phase: 'connected', detail: 'already connected', error: null });
      assert.deepEqual(fake.dialled, []);
      assert.deepEqual(steps, []);
      assert.equal(saved.state.entries.find((e) => e.name === 'Office VPN')!.connectionId, 'ras:9');
    } finally {
      close();
    }
  });

  it('refuses what it did not list, a second dial of the same entry, and a cancel of a dial it did not start', async () => {
    const { fake, saved, close } = setup();
    try {
      await assert.rejects(saved.start('C:\\evil.pbk'), (e: BackendError) => e.code === 'ENOENT');
      assert.deepEqual(fake.dialled, []);
      await saved.start('Office VPN');
      await assert.rejects(saved.start('Office VPN'), (e: BackendError) => e.code === 'EBUSY');
      await assert.rejects(saved.cancel('ras:9'), (e: BackendError) => e.code === 'EINVAL', 'no id yet: nothing of ours to cancel');
      fake.step('Office VPN', step('RASCS_OpenPort'));
      await saved.cancel('ras:9');
      assert.deepEqual(fake.cancelled, ['ras:9']);
      await assert.rejects(saved.cancel('ras:other'), (e: BackendError) => e.code === 'EINVAL');
    } finally {
      close();
    }
  });

  it('a listing that fails keeps the last good entries, with the error; the next good one clears it', async () => {
    const { fake, saved, close } = setup();
    try {
      await saved.refresh();
      fake.failListing(new BackendError(621, 'cannot open the phone book'));
      const failed = await saved.refresh();
      assert.deepEqual([failed.entries.map((e) => e.name), failed.error], [['Office VPN', 'Lab'], { code: 621, message: 'cannot open the phone book' }]);
      fake.failListing(null);
      assert.equal((await saved.refresh()).error, null);
    } finally {
      close();
    }
  });

  it('a backend without saved connections (or with none right now) says unavailable, not an error', async () => {
    const { saved, close } = setup(null);
    try {
      assert.deepEqual(await saved.refresh(), { available: false, entries: [], error: null });
    } finally {
      close();
    }
    const plain: ConnectionSource = { backend: 'none', read: async () => [], close: () => {} };
    const monitor = new ConnectionMonitor(plain);
    assert.deepEqual(await new SavedConnections(plain, monitor).refresh(), { available: false, entries: [], error: null });
    monitor.close();
  });
});
