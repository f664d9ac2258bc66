/**
 * main.ts's relaunch glue under plain Node (Electron faked, test/support/fake-electron.ts), packaged, on a Wayland
 * session, run from its own AppImage without the XWayland flag: it starts the AppImage FILE (here a script that
 * records its arguments), detached, with the flag, and exits; Electron's app.relaunch (whose helper would run
 * from the AppImage's vanishing mount) is not used, and no tray is made. One scenario per file: main.ts acts
 * when it is imported.
 */
import assert from 'node:assert/strict';
import { chmodSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { register } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, it } from 'node:test';
import { X11_FLAG } from '../../../electron/app-logic/launch';
import { app, fake } from '../../support/fake-electron';

register('../../support/fake-electron-hooks.js', import.meta.url);

// The XWayland relaunch is decided for Linux only (process.platform); elsewhere main.ts never takes this path.
const notLinux = process.platform !== 'linux' ? `the XWayland relaunch applies to Linux only (this is ${process.platform})` : false;

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-appimage-'));
const marker = join(dir, 'started-with');
const appImage = join(dir, 'Linkwatch.AppImage');

after(() => rmSync(dir, { recursive: true, force: true }));

async function until(condition: () => boolean, what: string): Promise<void> {
  const deadline = Date.now() + 5000;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((done) => setTimeout(done, 10));
  }
}

it('from its own AppImage on Wayland: starts the AppImage file with the XWayland flag, detached, then exits', { skip: notLinux }, async () => {
  // The AppImage runtime's variables: this process's executable lies under $APPDIR.
  writeFileSync(appImage, `#!/bin/sh\nprintf '%s\\n' "$@" > '${marker}.tmp' && mv '${marker}.tmp' '${marker}'\n`);
  chmodSync(appImage, 0o755);
  Object.assign(process.env, { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0', APPIMAGE: appImage, APPDIR: dirname(process.execPath) });
  app.isPackaged = true;

  await import('../../../electron/main');
  await until(() => fake.ended !== null, 'the app to exit');
  assert.deepEqual(fake.ended && { how: fake.ended.how, code: fake.ended.code }, { how: 'exit', code: 0 });
  assert.equal(fake.log.some((line) => line.startsWith('relaunch ')), false, 'not through app.relaunch');
  assert.equal(fake.trays.length, 0, 'no tray: this instance never starts');

  await until(() => existsSync(marker), 'the AppImage to run');
  const args = readFileSync(marker, 'utf8').trimEnd().split('\n');
  assert.equal(args.at(-1), X11_FLAG);
  assert.deepEqual(args.slice(0, -1), process.argv.slice(1), 'the same arguments as this launch, then the flag');
});
