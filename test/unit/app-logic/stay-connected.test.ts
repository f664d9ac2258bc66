/**
 * The app's wiring of health and Keep connected (app-logic/stay-connected.ts) over stand-ins: the setting's
 * list decides what is kept, a resume from sleep dials a waiting entry once, a stall and a reconnect are
 * notified and recorded, the network watch runs only while something waits.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setImmediate as turn } from 'node:timers/promises';
import type { MonitorUpdate } from '../../../shared/connection';
import type { HistoryEvent } from '../../../shared/history-events';
import type { Settings } from '../../../shared/ipc';
import type { SavedState } from '../../../shared/saved';
import type { Toast } from '../../../electron/app-logic/notification-policy';
import { NetworkReturn, networkCameBack, usableAddresses } from '../../../electron/app-logic/network-return';
import { setupStayConnected } from '../../../electron/app-logic/stay-connected';
import { FakeClock } from '../../support/fake-clock';
import { connection, update } from './connections';

function setup(kept: string[]) {
  const clock = new FakeClock(1_000_000);
  const monitorListeners: ((u: MonitorUpdate) => void)[] = [];
  const hangUps: ((id: string, done: Promise<void>) => void)[] = [];
  const resumes: (() => void)[] = [];
  const settingsListeners: ((next: Settings, previous: Settings) => void)[] = [];
  let settings: Settings = { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null, keepConnected: kept };
  const toasts: Toast[] = [];
  const recorded: Omit<HistoryEvent, 'id'>[] = [];
  const dials: string[] = [];
  let healthClaims = 0;
  let networkStarts = 0;
  const network = new NetworkReturn(() => {}, () => ({}));
  network.start = () => void (networkStarts += 1);
  const saved: SavedState = { available: true, error: null, entries: [{ name: 'Office VPN', scope: 'user', kind: 'vpn', phonebook: null, connectionId: null, dial: null }] };
  const stay = setupStayConnected({
    monitor: {
      wantHealth: () => {
        healthClaims += 1;
        return () => void (healthClaims -= 1);
      },
      subscribe: (listener) => (monitorListeners.push(listener), () => {}),
      onHangUp: (listener) => (hangUps.push(listener), () => {}),
    },
    saved: {
      state: saved,
      connect: async (name) => {
        dials.push(name);
        return { connectionId: 'ras:2', phase: 'connected', detail: 'RASCS_Connected', error: null };
      },
      subscribe: () => () => {},
    },
    settings: {
      get: () => settings,
      onChange: (listener) => (settingsListeners.push(listener), () => {}),
    },
    notify: (toast) => toasts.push(toast),
    recordEvent: (event) => recorded.push(event),
    onResume: (listener) => (resumes.push(listener), () => {}),
    clock,
    network,
  });
  const feed = (u: MonitorUpdate): void => monitorListeners.forEach((l) => l(u));
  const setKept = (names: string[]): void => {
    const previous = settings;
    settings = { ...settings, keepConnected: names };
    settingsListeners.forEach((l) => l(settings, previous));
  };
  return { clock, stay, toasts, recorded, dials, feed, setKept, resume: () => resumes.forEach((r) => r()), hangUp: (id: string) => hangUps.forEach((h) => h(id, Promise.resolve())), claims: () => healthClaims, networkStarts: () => networkStarts };
}

const office = (id = 'ras:1') => connection({ id, name: 'Office VPN' });

describe('stay connected (app wiring)', () => {
  it('health is claimed for the app\'s life and released at dispose', () => {
    const s = setup([]);
    assert.equal(s.claims(), 1);
    s.stay.dispose();
    assert.equal(s.claims(), 0);
  });

  it('a kept entry that drops: resume dials it at once, once; "reconnected" is notified and recorded', async () => {
    const s = setup(['Office VPN']);
    s.feed(update([office()]));
    s.feed(update([]));
    assert.equal(s.networkStarts(), 1, 'the network watch starts while it waits');
    s.clock.advance(3000);
    s.resume();
    for (let i = 0; i < 5; i += 1) await turn();
    s.feed(update([office('ras:2')]));
    s.clock.advance(600_000);
    for (let i = 0; i < 5; i += 1) await turn();
    assert.deepEqual(s.dials, ['Office VPN']);
    assert.deepEqual(s.toasts.map((t) => t.title), ['Office VPN reconnected after 3 s']);
    assert.deepEqual(s.recorded.map((e) => [e.kind, e.detail, e.attempt]), [['reconnect', 'connected', 1]]);
  });

  it('not in the settings\' list: a drop is left alone; turned on later, the next drop is repaired', async () => {
    const s = setup([]);
    s.feed(update([office()]));
    s.feed(update([]));
    s.clock.advance(600_000);
    assert.deepEqual(s.dials, []);
    s.setKept(['Office VPN']);
    s.feed(update([office('ras:3')]));
    s.feed(update([]));
    s.clock.advance(5000);
    for (let i = 0; i < 5; i += 1) await turn();
    assert.deepEqual(s.dials, ['Office VPN']);
  });

  it('a stall is notified once and recorded', () => {
    const s = setup([]);
    const stalled = connection({ id: 'a', name: 'Lab', health: { status: 'stalled', since: 0, reason: 'sent 3 KB in 21 s, received nothing', probe: null } });
    s.feed(update([stalled]));
    s.feed(update([stalled]));
    assert.deepEqual(s.toasts.map((t) => t.title), ['Lab stalled']);
    assert.deepEqual(s.recorded.map((e) => e.kind), ['stalled']);
  });
});

describe('network return', () => {
  it('loopback and link-local addresses are not a network; a new usable address is one coming back', () => {
    const addresses = usableAddresses({
      lo: [{ address: '127.0.0.1', netmask: '255.0.0.0', family: 'IPv4', mac: '00:00:00:00:00:00', internal: true, cidr: '127.0.0.1/8' }],
      eth0: [
        { address: 'fe80::1', netmask: 'ffff:ffff:ffff:ffff::', family: 'IPv6', mac: '02:00:00:00:00:01', internal: false, cidr: 'fe80::1/64', scopeid: 2 },
        { address: '169.254.3.4', netmask: '255.255.0.0', family: 'IPv4', mac: '02:00:00:00:00:01', internal: false, cidr: '169.254.3.4/16' },
      ],
    });
    assert.deepEqual(addresses, []);
    assert.equal(networkCameBack([], ['192.168.1.5']), true);
    assert.equal(networkCameBack(['192.168.1.5'], []), false);
    assert.equal(networkCameBack(['192.168.1.5'], ['192.168.1.5']), false);
  });
});
