/**
 * The main process (electron/main.ts, Electron's API faked by test/support/fake-electron.ts) with a backend
 * that never answers: the RAS fake with `!delay-ms`, as RasMan hanging at login. The tray, the popup, IPC and
 * the second-instance handler must be there anyway, the popup must say it is still reading, and quitting
 * must end the app within 5 s and leave no core process behind.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import type { Snapshot } from '../../../shared/connection';
import { REQUEST_CHANNELS, type IpcResult } from '../../../shared/ipc';
import { app, fake, invokeEvent, type FakeBrowserWindow, type FakeTray } from '../../support/fake-electron';
import { fakeRasPath, writeFakeRasState } from '../../support/fake-ras';
import { pidAlive } from '../../support/processes';

register('../../support/fake-electron-hooks.js', import.meta.url);

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-hung-'));
const stateFile = join(dir, 'ras-state');
const pageUrl = pathToFileURL(resolve('renderer/index.html')).href;
let tray: FakeTray;
let popup: FakeBrowserWindow;

async function until(condition: () => boolean, what: string, ms = 5000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

before(async () => {
  // Every RasEnumConnectionsW blocks for a minute: the first read cannot answer during this test.
  writeFakeRasState(stateFile, [{ handle: 0x10, name: 'Office VPN' }], { delayMs: 60_000 });
  process.env.LINKWATCH_RASAPI = fakeRasPath();
  process.env.FAKE_RAS_STATE = stateFile;
  await import('../../../electron/main');
  // A second launch while the app is still starting (before Electron is even ready).
  app.emit('second-instance', {}, [], process.cwd(), {});
  app.becomeReady();
  await until(() => fake.trays.length === 1 && fake.handlers.size === REQUEST_CHANNELS.length, 'the tray and the IPC handlers', 3000);
  tray = fake.trays[0] as FakeTray;
  popup = fake.windows[0] as FakeBrowserWindow;
});

after(() => {
  for (const core of fake.utilityProcesses) core.kill();
  delete process.env.LINKWATCH_RASAPI;
  delete process.env.FAKE_RAS_STATE;
  rmSync(dir, { recursive: true, force: true });
  rmSync(fake.userData, { recursive: true, force: true });
});

describe('main process with a backend that hangs (RasMan stuck at login)', () => {
  it('the tray, its menu and IPC are there although no read has answered; the tooltip says so', async () => {
    // The core process is up and inside RasEnumConnectionsW (it said hello, then took the first read).
    await until(() => fake.utilityProcesses[0]?.received.some((m) => (m as { type?: string }).type === 'hello') === true, 'the core process', 10_000);
    await new Promise((done) => setTimeout(done, 300));
    assert.equal(tray.tooltip, 'Linkwatch: starting…');
    assert.equal(tray.contextMenu?.items[0]?.label, 'Open Linkwatch');
  });

  it('the popup subscribes and gets a snapshot not read yet (it shows "Reading connections…")', async () => {
    const handler = fake.handlers.get('connections:subscribe')!;
    const answer = (await handler(invokeEvent(popup.webContents.id, pageUrl))) as IpcResult<Snapshot>;
    assert.equal(answer.ok, true);
    assert.equal(answer.ok && answer.value.takenAt, null);
    assert.equal(answer.ok && answer.value.backend, 'rasapi32');
  });

  it('a second launch during startup was not lost: the popup opened as soon as it existed', () => {
    assert.equal(popup.visible, true);
    popup.hide();
  });

  it('a second launch shows the popup', () => {
    app.emit('second-instance', {}, [], process.cwd(), {});
    assert.equal(popup.visible, true);
    popup.hide();
  });

  it('Quit ends the app within 5 s and the hung core process is gone', async () => {
    const pid = fake.utilityProcesses[0]!.pid!;
    assert.ok(pidAlive(pid));
    const started = Date.now();
    tray.contextMenu?.items.at(-1)?.click?.();
    await until(() => fake.ended !== null, 'the app to end', 6000);
    const took = fake.ended!.at - started;
    assert.ok(took < 5000, `quit took ${took} ms`);
    assert.equal(tray.destroyed, true);
    await until(() => !pidAlive(pid), 'the core process to be gone', 1000);
  });
});
