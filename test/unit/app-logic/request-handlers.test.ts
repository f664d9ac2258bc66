import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createRequestHandlers } from '../../../electron/app-logic/request-handlers';
import type { Settings } from '../../../shared/ipc';
import { NO_POLICY, type Policy } from '../../../shared/policy';
import { connection, snapshot } from './connections';

function deps() {
  const log: string[] = [];
  let settings: Settings = { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null };
  const current = snapshot([connection({ id: 'c1', name: 'Work VPN' })]);
  return {
    log,
    deps: {
      monitor: {
        snapshot: current,
        diagnoseSource: async () => ({
          parts: [{ name: 'netlink', detail: 'NETLINK_ROUTE', lastError: null }],
          interfaces: [{ name: 'tun0', description: '', type: 'tun', state: 'UP', addresses: ['10.8.0.2/24'], listed: true, reason: 'tun device (owned by OpenVPN)', connectionId: 'c1' }],
          notes: [],
        }),
        hangUp: async (id: string) => {
          if (id === 'gone') throw Object.assign(new Error('no such connection'), { code: 'ENOTFOUND' });
          log.push(`hang-up ${id}`);
        },
      },
      settings: {
        get: () => settings,
        update: async (patch: Partial<Settings>) => {
          settings = { ...settings, ...patch };
          log.push(`saved ${JSON.stringify(settings)}`);
          return settings;
        },
      },
      popup: { hide: () => log.push('hidden') },
      onSubscribe: () => log.push('subscribed'),
    },
  };
}

describe('request handlers: what each popup request does', () => {
  it('subscribe answers the current list and starts the pushes', async () => {
    const { deps: d, log } = deps();
    const answer = await createRequestHandlers(d)['connections:subscribe']();
    assert.deepEqual(answer.connections.map((c) => c.name), ['Work VPN']);
    assert.deepEqual(log, ['subscribed']);
  });

  it('hang-up asks the monitor; its failure propagates to the dispatcher (which answers it as data)', async () => {
    const { deps: d, log } = deps();
    const handlers = createRequestHandlers(d);
    assert.equal(await handlers['connections:hang-up']('c1'), null);
    assert.deepEqual(log, ['hang-up c1']);
    await assert.rejects(Promise.resolve(handlers['connections:hang-up']('gone')), /no such connection/);
  });

  it('diagnostics: the monitor\'s view (backend, push, connection count) with the backend\'s own account', async () => {
    const { deps: d } = deps();
    const answer = await createRequestHandlers(d)['diagnostics:get']();
    assert.deepEqual([answer.backend, answer.updates, answer.connections, answer.interfaces[0]!.reason], [d.monitor.snapshot.backend, d.monitor.snapshot.updates, 1, 'tun device (owned by OpenVPN)']);
  });

  it('settings are read and changed through the store; Escape hides the popup', async () => {
    const { deps: d, log } = deps();
    const handlers = createRequestHandlers(d);
    assert.deepEqual(await handlers['settings:set']({ notifications: false }), { notifications: false, startAtLogin: false, historyDays: 90, exportDirectory: null });
    assert.deepEqual(await handlers['settings:get'](), { notifications: false, startAtLogin: false, historyDays: 90, exportDirectory: null });
    assert.equal(await handlers['popup:hide'](), null);
    assert.deepEqual(log, ['saved {"notifications":false,"startAtLogin":false,"historyDays":90,"exportDirectory":null}', 'hidden']);
  });
});

describe('request handlers: saved connections', () => {
  const state = { available: true, entries: [], error: null };
  const saved = (log: string[]) => ({
    refresh: async () => (log.push('listed'), state),
    start: async (name: string) => void log.push(`start ${name}`),
    cancel: async (id: string) => void log.push(`cancel ${id}`),
  });

  it('saved lists afresh and starts the pushes; connect and cancel go to the core by name and id only', async () => {
    const { deps: d, log } = deps();
    const handlers = createRequestHandlers({ ...d, saved: saved(log), onSavedSubscribe: () => log.push('saved-subscribed') });
    assert.deepEqual(await handlers['connections:saved'](), state);
    assert.equal(await handlers['connections:connect']('Office VPN'), null);
    assert.equal(await handlers['connections:cancel']('ras:9'), null);
    assert.deepEqual(log, ['saved-subscribed', 'listed', 'start Office VPN', 'cancel ras:9']);
  });

  it('without saved connections: the section is absent, and connect is an error (answered as data by the dispatcher)', async () => {
    const { deps: d } = deps();
    const handlers = createRequestHandlers(d);
    assert.deepEqual(await handlers['connections:saved'](), { available: false, entries: [], error: null });
    await assert.rejects(Promise.resolve(handlers['connections:connect']('Office VPN')), /no saved connections/);
  });
});

describe("request handlers under the administrator's policy", () => {
  it('hideConnectControls: Connect, Cancel and Disconnect are refused in the main process (ELOCKED), whatever the page sends', async () => {
    const { deps: d, log } = deps();
    const policy: Policy = { ...NO_POLICY, source: 'HKLM', hideConnectControls: true, locked: { notifications: false } };
    const calls: string[] = [];
    const handlers = createRequestHandlers({
      ...d,
      settings: { ...d.settings, getPolicy: () => policy },
      saved: { refresh: async () => ({ available: true, entries: [], error: null }), start: async (n) => void calls.push(n), cancel: async (id) => void calls.push(id) },
    });
    for (const attempt of [() => handlers['connections:hang-up']('c1'), () => handlers['connections:connect']('Office'), () => handlers['connections:cancel']('ras:1')]) {
      await assert.rejects(async () => attempt(), (error: unknown) => (error as { code?: string }).code === 'ELOCKED');
    }
    assert.deepEqual([calls, log.filter((line) => line.startsWith('hang-up'))], [[], []], 'nothing reached the core');
    assert.deepEqual(await handlers['settings:policy'](), { locked: ['notifications'], hideConnectControls: true });
    const diagnostics = await handlers['diagnostics:get']();
    assert.equal(diagnostics.policy?.source, 'HKLM');
  });

  it('without a policy: no locks, controls offered', async () => {
    const handlers = createRequestHandlers(deps().deps);
    assert.deepEqual(await handlers['settings:policy'](), { locked: [], hideConnectControls: false });
  });
});
