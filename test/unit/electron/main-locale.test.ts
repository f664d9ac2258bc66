/**
 * The main process speaks the app's locale: main.ts sets the catalogue's locale from Electron's app.getLocale()
 * once the app is ready (the fake throws if it is asked before, as Electron's docs forbid). Under the
 * pseudo-locale (`--lang=en-XA`, what app.getLocale() then answers) the tray menu and the export folder
 * chooser come out accented and bracketed: every word of theirs goes through the catalogue.
 */
import assert from 'node:assert/strict';
import { register } from 'node:module';
import { rm } from 'node:fs/promises';
import { after, before, it } from 'node:test';
import { REQUEST_CHANNELS } from '../../../shared/ipc';
import { app, fake, type FakeTray } from '../../support/fake-electron';

register('../../support/fake-electron-hooks.js', import.meta.url);

let tray: FakeTray;

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

before(async () => {
  fake.locale = 'en-XA';
  await import('../../../electron/main');
  app.becomeReady();
  await until(() => fake.trays.length === 1 && fake.handlers.size === REQUEST_CHANNELS.length, 'the tray and the IPC handlers');
  tray = fake.trays[0] as FakeTray;
});

after(async () => {
  if (!tray.destroyed) app.quit();
  for (const core of fake.utilityProcesses) core.kill();
  await rm(fake.userData, { recursive: true, force: true, maxRetries: 5 });
});

it('app.getLocale() en-XA: the tray menu and the export folder chooser are worded by the catalogue in it', async () => {
  const labels = (tray.contextMenu?.items ?? []).filter((item) => item.type !== 'separator').map((item) => String(item.label));
  assert.ok(labels.length >= 5, labels.join(' | '));
  for (const label of labels) assert.match(label, /^⟦[^A-Za-z]*(Linkwatch)?[^A-Za-z]*⟧$/u, label);
  const exportItem = tray.contextMenu?.items.find((item) => item.type === 'checkbox' && String(item.label).includes('Þŕöɱéţĥéûš'));
  assert.ok(exportItem, 'the export item, in pseudo-words');
  fake.openDialogAnswer = { canceled: true, filePaths: [] };
  exportItem.click?.();
  await until(() => fake.openDialogCalls.length === 1, 'the folder chooser');
  const options = fake.openDialogCalls[0] as { title: string; message: string; buttonLabel: string };
  for (const text of [options.title, options.buttonLabel]) assert.match(text, /^⟦[^A-Za-z]*⟧$/u, text);
  assert.match(options.message, /^⟦.*⟧$/u);
  assert.match(options.message, /node_exporter/, 'the exporters keep their names');
});
