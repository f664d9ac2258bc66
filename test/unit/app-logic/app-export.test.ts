/**
 * The app's export follows the `exportDirectory` setting: files appear in the chosen folder with the current
 * state, move with the folder (the old folder left clean), go when it is turned off or the app quits, and a
 * folder that cannot be written is reported once, not at every change.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { AppExport } from '../../../electron/app-logic/app-export';
import { toJsonSnapshot } from '../../../electron/core/snapshot-json';
import { connection, snapshot } from './connections';

const root = mkdtempSync(join(tmpdir(), 'linkwatch-app-export-'));
after(() => rmSync(root, { recursive: true, force: true }));

async function until(what: string, check: () => boolean): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

describe('the app export', () => {
  it('writes into the folder set, moves with it, and leaves no file behind when turned off or closed', async () => {
    const first = mkdtempSync(join(root, 'a-'));
    const second = mkdtempSync(join(root, 'b-'));
    const listeners = new Set<() => void>();
    const current = snapshot([connection({ id: 'ras:1', name: 'Office VPN' })]);
    const errors: string[] = [];
    const exporter = new AppExport({
      monitor: { snapshot: current, subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)) },
      statusDocument: toJsonSnapshot,
      saved: () => ({ available: true, error: null, entries: [{ name: 'Lab', scope: 'user', kind: 'vpn', phonebook: null, connectionId: null, dial: null }] }),
      history: { dropCounts: () => [{ name: 'Office VPN', kind: 'vpn', drops: 2 }] },
      onError: (error) => errors.push(error.message),
    });
    await exporter.setDirectory(first);
    await until('the first folder', () => existsSync(join(first, 'linkwatch.prom')));
    const prom = readFileSync(join(first, 'linkwatch.prom'), 'utf8');
    assert.match(prom, /linkwatch_connection_up\{name="Office VPN",kind="vpn",interface="WAN Miniport \(IKEv2\)",backend="rasapi32"\} 1/);
    assert.match(prom, /linkwatch_connection_up\{name="Lab",kind="vpn",interface="",backend="rasapi32"\} 0/);
    assert.match(prom, /linkwatch_connection_drops_total\{name="Office VPN",kind="vpn"\} 2/);
    assert.equal(listeners.size, 1, 'one subscription to the monitor');
    await exporter.setDirectory(second);
    await until('the second folder', () => existsSync(join(second, 'linkwatch.prom')));
    assert.equal(existsSync(join(first, 'linkwatch.prom')), false, 'the old folder is left clean');
    assert.equal(listeners.size, 1);
    await exporter.setDirectory(null);
    assert.deepEqual([existsSync(join(second, 'linkwatch.prom')), existsSync(join(second, 'linkwatch.json')), listeners.size], [false, false, 0]);
    await exporter.setDirectory(first);
    await until('on again', () => existsSync(join(first, 'linkwatch.json')));
    await exporter.close();
    assert.equal(existsSync(join(first, 'linkwatch.json')), false, 'quit: the files go with the app');
    assert.deepEqual(errors, []);
  });

  it('a folder that cannot be written: reported once however many changes follow', async () => {
    const listeners = new Set<() => void>();
    const errors: string[] = [];
    const exporter = new AppExport({
      monitor: { snapshot: snapshot([]), subscribe: (listener) => (listeners.add(listener), () => listeners.delete(listener)) },
      statusDocument: toJsonSnapshot,
      onError: (error) => errors.push(error.message),
      minIntervalMs: 0,
    });
    await exporter.setDirectory(join(root, 'missing', 'folder'));
    for (let i = 0; i < 3; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 50));
      for (const listener of listeners) listener();
    }
    await until('a write attempt', () => errors.length > 0);
    await new Promise((resolve) => setTimeout(resolve, 200));
    assert.equal(errors.length, 1, errors.join('\n'));
    await exporter.close();
  });
});
