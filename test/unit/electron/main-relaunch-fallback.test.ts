/**
 * main.ts's relaunch glue when the AppImage file cannot be started (moved or deleted while running): it says
 * why and starts here, as a native Wayland client, rather than exit and leave the user with nothing.
 * Electron faked (test/support/fake-electron.ts); one scenario per file: main.ts acts when it is imported.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, it } from 'node:test';
import { app, fake } from '../../support/fake-electron';

register('../../support/fake-electron-hooks.js', import.meta.url);

// The XWayland relaunch is decided for Linux only (process.platform); elsewhere main.ts never takes this path.
const notLinux = process.platform !== 'linux' ? `the XWayland relaunch applies to Linux only (this is ${process.platform})` : false;

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-appimage-'));
after(() => rmSync(dir, { recursive: true, force: true }));

it('an AppImage that cannot be started: the app starts here instead of exiting', { skip: notLinux }, async () => {
  Object.assign(process.env, { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0', APPIMAGE: join(dir, 'gone.AppImage'), APPDIR: dirname(process.execPath) });
  app.isPackaged = true;
  const errors: string[] = [];
  const consoleError = console.error;
  console.error = (...args: unknown[]) => errors.push(args.map(String).join(' '));
  try {
    await import('../../../electron/main');
    const deadline = Date.now() + 5000;
    while (app.listenerCount('second-instance') === 0 && Date.now() < deadline) await new Promise((done) => setTimeout(done, 10));
  } finally {
    console.error = consoleError;
  }
  assert.equal(app.listenerCount('second-instance'), 1, 'started here: the single-instance handler is in place');
  assert.equal(fake.ended, null, 'did not exit');
  assert.ok(errors.some((line) => line.includes('cannot relaunch') && line.includes('gone.AppImage')), errors.join('\n'));
});
