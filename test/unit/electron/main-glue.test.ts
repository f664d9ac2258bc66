/**
 * The main process run end to end under plain Node, against a recording stand-in for Electron's API
 * (test/support/fake-electron.ts): what the user gets from the tray, the popup window and IPC.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { REQUEST_CHANNELS, type IpcResult } from '../../../shared/ipc';
import { app, fake, invokeEvent, powerMonitor, type FakeBrowserWindow, type FakeTray } from '../../support/fake-electron';

register('../../support/fake-electron-hooks.js', import.meta.url);

let tray: FakeTray;
let popup: FakeBrowserWindow;
const pageUrl = pathToFileURL(resolve('renderer/index.html')).href;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

async function invoke(channel: string, args: unknown[] = [], sender = invokeEvent(popup.webContents.id, pageUrl)): Promise<IpcResult<unknown>> {
  const handler = fake.handlers.get(channel);
  assert.ok(handler, `no handler for ${channel}`);
  return (await handler(sender, ...args)) as IpcResult<unknown>;
}

function menuLabels(): string[] {
  return (tray.contextMenu?.items ?? []).map((item) => (item.type === 'separator' ? '---' : `${item.label}${item.type === 'checkbox' ? (item.checked ? ' [x]' : ' [ ]') : ''}`));
}

function pushes(channel: string): unknown[] {
  return popup.webContents.sent.filter(([name]) => name === channel).map(([, payload]) => payload);
}

before(async () => {
  await import('../../../electron/main');
  app.becomeReady();
  await until(() => fake.trays.length === 1 && fake.handlers.size === REQUEST_CHANNELS.length, 'the tray and the IPC handlers');
  tray = fake.trays[0] as FakeTray;
  popup = fake.windows[0] as FakeBrowserWindow;
});

after(async () => {
  if (!tray.destroyed) app.quit();
  for (const core of fake.utilityProcesses) core.kill();
  await rm(fake.userData, { recursive: true, force: true, maxRetries: 5 });
});

describe('main process glue (Electron API faked)', () => {
  it('one popup window: hidden, frameless, off the taskbar, sandboxed, our preload, our page', () => {
    assert.equal(fake.windows.length, 1);
    const options = popup.options as Record<string, unknown> & { webPreferences: Record<string, unknown> };
    assert.equal(options.show, false);
    assert.equal(options.frame, false);
    assert.equal(options.resizable, false);
    assert.equal(options.skipTaskbar, true);
    assert.equal(options.alwaysOnTop, true);
    assert.deepEqual(
      { contextIsolation: options.webPreferences.contextIsolation, sandbox: options.webPreferences.sandbox, nodeIntegration: options.webPreferences.nodeIntegration, webSecurity: options.webPreferences.webSecurity },
      { contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
    );
    assert.match(String(options.webPreferences.preload), /[/\\]preload[/\\]preload\.cjs$/);
    assert.match(popup.loaded ?? '', /^file .*renderer[/\\]index\.html$/);
  });

  it('the page cannot open windows, navigate away, or get any permission; responses carry the CSP', () => {
    assert.deepEqual(popup.webContents.openHandler?.({ url: 'https://example.com' }), { action: 'deny' });
    let prevented = false;
    popup.webContents.emit('will-navigate', { url: 'https://example.com', preventDefault: () => (prevented = true) }, 'https://example.com');
    assert.equal(prevented, true);
    prevented = false;
    // Not a dev-server page (no ELECTRON_RENDERER_URL): even a same-origin navigation is refused.
    popup.webContents.emit('will-navigate', { url: pageUrl, preventDefault: () => (prevented = true) }, pageUrl);
    assert.equal(prevented, true);
    let granted: boolean | null = null;
    fake.permissionRequest?.(popup.webContents, 'media', (answer: boolean) => (granted = answer), {});
    assert.equal(granted, false);
    assert.equal(fake.permissionCheck?.(popup.webContents, 'notifications', 'file://', {}), false);
    let headers: Record<string, string[]> = {};
    fake.headersReceived?.({ responseHeaders: {} }, (response: { responseHeaders: Record<string, string[]> }) => (headers = response.responseHeaders));
    assert.match(headers['Content-Security-Policy']?.[0] ?? '', /default-src 'none'/);
  });

  it('the tray shows a state icon, a short tooltip, and a menu with Open first', async () => {
    assert.match(tray.image.path, /[/\\]tray[/\\]tray-(idle|connected|connecting|error)(Template)?\.png$/);
    await until(() => tray.tooltip !== 'Linkwatch: starting…', 'the first read');
    assert.ok(tray.tooltip.length <= 127, tray.tooltip);
    assert.deepEqual(menuLabels(), ['Open Linkwatch', '---', 'Start at Login [ ]', 'Notifications [x]', 'Export for Prometheus… [ ]', '---', 'Quit Linkwatch']);
    // Not packaged: registering the bare Electron binary at login would be wrong.
    assert.equal(tray.contextMenu?.items[2]?.enabled, false);
  });

  it('IPC answers the popup, and refuses other senders and bad arguments as data', async () => {
    assert.deepEqual(await invoke('settings:get'), { ok: true, value: { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null } });
    const stranger = await invoke('settings:get', [], invokeEvent(popup.webContents.id + 100, pageUrl));
    assert.equal(!stranger.ok && stranger.error.code, 'EFORBIDDEN');
    const iframe = await invoke('settings:get', [], invokeEvent(popup.webContents.id, pageUrl, false));
    assert.equal(!iframe.ok && iframe.error.code, 'EFORBIDDEN');
    const bad = await invoke('settings:set', [{ notifications: 'maybe' }]);
    assert.equal(!bad.ok && bad.error.code, 'EINVALIDARGS');
    const subscribed = await invoke('connections:subscribe');
    assert.equal(subscribed.ok, true);
  });

  it('the history is kept in userData/history.sqlite and answers the popup', async () => {
    const sessions = await invoke('history:sessions', [{ since: 0, limit: 10 }]);
    assert.equal(sessions.ok, true, JSON.stringify(sessions));
    assert.ok(Array.isArray(sessions.ok && sessions.value));
    const days = await invoke('history:days', [7]);
    assert.equal(days.ok, true, JSON.stringify(days));
    assert.ok(existsSync(join(fake.userData, 'history.sqlite')));
    const bad = await invoke('history:sessions', [{ limit: 1_000_000 }]);
    assert.equal(!bad.ok && bad.error.code, 'EINVALIDARGS');
  });

  it('a settings change is saved, shown in the tray menu, and pushed to the popup', async () => {
    assert.deepEqual(await invoke('settings:set', [{ notifications: false }]), { ok: true, value: { notifications: false, startAtLogin: false, historyDays: 90, exportDirectory: null } });
    // The file holds what the user chose, nothing more.
    assert.deepEqual(JSON.parse(await readFile(join(fake.userData, 'settings.json'), 'utf8')), { notifications: false });
    assert.equal(menuLabels()[3], 'Notifications [ ]');
    assert.deepEqual(pushes('settings:changed').at(-1), { notifications: false, startAtLogin: false, historyDays: 90, exportDirectory: null });
    // And from the menu back again.
    tray.contextMenu?.items[3]?.click?.();
    await until(() => menuLabels()[3] === 'Notifications [x]', 'the menu to follow');
    const saved = async (): Promise<unknown> => JSON.parse(await readFile(join(fake.userData, 'settings.json'), 'utf8'));
    for (let i = 0; i < 100 && (await saved().catch(() => null) as { notifications?: boolean } | null)?.notifications !== true; i += 1) {
      await new Promise((done) => setTimeout(done, 10));
    }
    assert.deepEqual(await saved(), { notifications: true });
  });

  it('Export for Prometheus…: the folder comes from the OS chooser; the files appear there, and go when it is turned off', async () => {
    const folder = await mkdtemp(join(tmpdir(), 'linkwatch-export-glue-'));
    try {
      const exportItem = () => tray.contextMenu?.items.find((item) => item.label === 'Export for Prometheus…');
      fake.openDialogAnswer = { canceled: true, filePaths: [] };
      exportItem()?.click?.();
      await until(() => fake.openDialogCalls.length === 1, 'the folder chooser');
      const chooser = fake.openDialogCalls[0] as { title?: string; buttonLabel?: string; properties?: string[] };
      assert.deepEqual([chooser.title, chooser.buttonLabel, chooser.properties], ['Export for Prometheus', 'Export here', ['openDirectory', 'createDirectory']]);
      assert.equal(exportItem()?.checked, false, 'cancelled: still off');
      fake.openDialogAnswer = { canceled: false, filePaths: [folder] };
      exportItem()?.click?.();
      await until(() => existsSync(join(folder, 'linkwatch.prom')) && existsSync(join(folder, 'linkwatch.json')), 'the export files');
      assert.equal(exportItem()?.checked, true);
      assert.ok(menuLabels().includes(folder), 'the folder shows under the item');
      assert.match(await readFile(join(folder, 'linkwatch.prom'), 'utf8'), /^linkwatch_backend_up\{backend="[^"]+"\} [01]$/m);
      exportItem()?.click?.();
      await until(() => !existsSync(join(folder, 'linkwatch.prom')) && !existsSync(join(folder, 'linkwatch.json')), 'the files removed');
      assert.equal(exportItem()?.checked, false);
      // The popup cannot set the folder: files would be written wherever a page said.
      const refused = await invoke('settings:set', [{ exportDirectory: folder }]);
      assert.equal(!refused.ok && refused.error.code, 'EINVALIDARGS');
    } finally {
      await rm(folder, { recursive: true, force: true });
    }
  });

  it('a left click opens the popup above the tray icon; the popup is told it is visible', () => {
    tray.click();
    assert.equal(popup.visible, true);
    // Taskbar at the bottom (work area ends at 1032), icon centred at x = 1712, popup 360×480, 8 px gap.
    assert.deepEqual(popup.bounds, { x: 1712 - 180, y: 1032 - 480 - 8, width: 360, height: 480 });
    assert.equal(pushes('popup:visibility').at(-1), true);
  });

  it('losing focus hides it; the click that caused the blur does not reopen it', () => {
    popup.emit('blur');
    assert.equal(popup.visible, false);
    assert.equal(pushes('popup:visibility').at(-1), false);
    tray.click();
    assert.equal(popup.visible, false);
  });

  it('Escape (popup:hide) and Alt+F4 hide the popup without destroying it', async () => {
    tray.contextMenu?.items[0]?.click?.();
    assert.equal(popup.visible, true);
    assert.deepEqual(await invoke('popup:hide'), { ok: true, value: null });
    assert.equal(popup.visible, false);
    tray.contextMenu?.items[0]?.click?.();
    popup.close();
    assert.equal(popup.visible, false);
    assert.equal(popup.destroyed, false);
  });

  it('a second launch shows the popup', () => {
    app.emit('second-instance', {}, [], process.cwd(), {});
    assert.equal(popup.visible, true);
    popup.hide();
  });

  it('the connections are read in a core process of their own, not in this one', async () => {
    assert.equal(fake.utilityProcesses.length, 1);
    const core = fake.utilityProcesses[0]!;
    assert.equal(core.options.serviceName, 'Linkwatch core');
    assert.match(core.modulePath, /[/\\]core-process\.js$/);
    assert.ok(core.pid && core.pid !== process.pid);
  });

  it('Keep connected is wired (issue 26): resume from sleep is heard; a name main never listed is refused as data', async () => {
    assert.equal(powerMonitor.listenerCount('resume'), 1, "powerMonitor 'resume' reaches Keep connected");
    const refused = await invoke('connections:keep', ['Not A Saved Entry', true]);
    assert.equal(refused.ok, false);
    const settings = JSON.parse(await readFile(join(fake.userData, 'settings.json'), 'utf8').catch(() => '{}')) as { keepConnected?: string[] };
    assert.ok(!(settings.keepConnected ?? []).includes('Not A Saved Entry'), 'nothing kept that main did not list');
    // Resume with nothing kept and nothing down: no dial, no error.
    powerMonitor.emit('resume');
  });

  it('Quit in the menu: not inside the click handler; then tray gone, window gone, IPC removed, core process ended', async () => {
    const core = fake.utilityProcesses[0]!;
    tray.contextMenu?.items.at(-1)?.click?.();
    // Deferred out of the menu's click handler (destroying the tray inside it crashes on macOS).
    assert.equal(fake.quitCalls, 0);
    assert.equal(tray.destroyed, false);
    await until(() => fake.ended !== null, 'the app to end');
    assert.equal(fake.quitCalls >= 1, true);
    assert.equal(tray.destroyed, true);
    assert.equal(popup.destroyed, true);
    assert.equal(fake.handlers.size, 0);
    assert.equal(powerMonitor.listenerCount('resume'), 0, 'Keep connected let go of powerMonitor');
    assert.equal(core.pid, undefined, 'the core process is gone before the app ends');
    assert.deepEqual(fake.ended && { how: fake.ended.how, code: fake.ended.code }, { how: 'quit', code: 0 });
  });
});
