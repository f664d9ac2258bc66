/**
 * The history's IPC channels through the app's own dispatcher and handlers: arguments checked by the
 * contract's schemas, the store's answer passed on, a missing history answered as data (ENOHISTORY).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createDispatcher } from '../../../electron/app-logic/ipc-dispatch';
import { createRequestHandlers } from '../../../electron/app-logic/request-handlers';
import type { HistoryQuery } from '../../../shared/history';
import { DEFAULT_SETTINGS } from '../../../shared/ipc';
import { snapshot } from './connections';

const sender = { webContentsId: 1, frameUrl: 'file:///app/index.html', isMainFrame: true };

function dispatcher(history: Parameters<typeof createRequestHandlers>[0]['history']) {
  const handlers = createRequestHandlers({
    monitor: { snapshot: snapshot([]), hangUp: async () => {}, diagnoseSource: async () => null },
    settings: { get: () => DEFAULT_SETTINGS, update: async () => DEFAULT_SETTINGS },
    popup: { hide: () => {} },
    onSubscribe: () => {},
    history,
  });
  return createDispatcher(handlers, { isTrusted: () => true, log: () => {} });
}

describe('history IPC channels', () => {
  it('history:sessions passes the view’s query to the store and answers its sessions', async () => {
    const asked: HistoryQuery[] = [];
    const d = dispatcher({
      sessions: (query) => {
        asked.push(query);
        return [];
      },
      days: (count) => [{ day: '2026-12-02', sessions: count, drops: 0, upMs: 0, bytesIn: null, bytesOut: null }],
    });
    assert.deepEqual(await d.dispatch('history:sessions', sender, [{ since: 1000, limit: 200 }]), { ok: true, value: [] });
    assert.deepEqual(asked, [{ since: 1000, limit: 200 }]);
    const days = await d.dispatch('history:days', sender, [7]);
    assert.equal(days.ok && (days.value as { sessions: number }[])[0]?.sessions, 7);
  });

  it('bad arguments are refused by the schema before the store sees them', async () => {
    let calls = 0;
    const d = dispatcher({ sessions: () => (calls++, []), days: () => (calls++, []) });
    for (const args of [[{ limit: 5000 }], [{ since: -1 }], [{ since: 'yesterday' }], [{ name: "x' OR 1=1" }], [], [{}, {}]]) {
      const result = await d.dispatch('history:sessions', sender, args);
      assert.equal(result.ok, false, JSON.stringify(args));
      assert.equal(!result.ok && result.error.code, 'EINVALIDARGS');
    }
    for (const args of [[0], [367], [1.5], ['7']]) assert.equal((await d.dispatch('history:days', sender, args)).ok, false, JSON.stringify(args));
    assert.equal(calls, 0);
  });

  it('without a history (it could not be opened) the popup gets ENOHISTORY as data', async () => {
    const result = await dispatcher(null).dispatch('history:sessions', sender, [{}]);
    assert.deepEqual(result.ok ? null : result.error.code, 'ENOHISTORY');
  });
});
