/**
 * The notifier glue (electron/notifications.ts) against the recording stand-in for Electron: a toast the OS
 * refuses ('failed': macOS for an unsigned build) reaches the app's onFailed, one it shows reaches onShown.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { describe, it } from 'node:test';
import { fake } from '../../support/fake-electron';

register('../../support/fake-electron-hooks.js', import.meta.url);
const { createNotifier } = await import('../../../electron/notifications');

describe('notifier glue', () => {
  it("'failed' is reported with Electron's error text; 'show' says a toast got through", () => {
    const failed: string[] = [];
    let shown = 0;
    const notifier = createNotifier({ onClick: () => {}, onFailed: (error) => failed.push(error), onShown: () => shown++ });
    notifier.show({ title: 'Office VPN disconnected', body: 'The connection was closed.' });
    const toast = fake.notifications.at(-1)!;
    assert.equal(toast.shown, true);
    assert.deepEqual(toast.options, { title: 'Office VPN disconnected', body: 'The connection was closed.', silent: false });
    toast.emit('failed', {}, 'Notifications are not allowed for this application');
    assert.deepEqual(failed, ['Notifications are not allowed for this application']);
    notifier.show({ title: 'Office VPN connected', body: '' });
    fake.notifications.at(-1)!.emit('show', {});
    assert.equal(shown, 1);
  });
});
