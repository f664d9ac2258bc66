import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP_USER_MODEL_ID, appUserModelId, isAllowedNavigation, isDrivenLaunch, linuxLaunchArgs, ownAppImage, x11Relaunch, X11_FLAG } from '../../../electron/app-logic/launch';
import { popupPageSource } from '../../../electron/app-logic/popup-page';
import config from '../../../electron-builder.config';
import { APP_BUNDLE_ID } from '../../../shared/app-id';

const wayland = { WAYLAND_DISPLAY: 'wayland-0', XDG_SESSION_TYPE: 'wayland', DISPLAY: ':0' };

describe('launch: Windows AppUserModelID', () => {
  it("packaged: the installer's appId (its Start-menu shortcut carries it); development: the executable's path", () => {
    assert.equal(appUserModelId(true, 'C:\\Users\\me\\AppData\\Local\\Programs\\Linkwatch\\Linkwatch.exe'), APP_USER_MODEL_ID);
    assert.equal(APP_USER_MODEL_ID, 'org.linkwatch.app');
    // One identity: the installer's appId is the bundle id macOS's managed preferences are named after.
    assert.equal(config.appId, APP_BUNDLE_ID);
    assert.equal(appUserModelId(false, 'C:\\src\\linkwatch\\node_modules\\electron\\dist\\electron.exe'), 'C:\\src\\linkwatch\\node_modules\\electron\\dist\\electron.exe');
  });
});

describe('launch: Wayland sessions run through XWayland', () => {
  it('the desktop and autostart entries carry --ozone-platform=x11 on Linux only', () => {
    assert.deepEqual(linuxLaunchArgs('linux'), ['--ozone-platform=x11']);
    // The packaged desktop entry (electron-builder writes its Exec line from executableArgs).
    assert.deepEqual(config.linux?.executableArgs, linuxLaunchArgs('linux'));
    assert.deepEqual(linuxLaunchArgs('win32'), []);
    assert.deepEqual(linuxLaunchArgs('darwin'), []);
  });

  const deb = '/opt/Linkwatch/linkwatch';

  it('a launch without the flag on a Wayland session with XWayland relaunches once, with the same arguments plus the flag', () => {
    assert.deepEqual(x11Relaunch('linux', wayland, [deb, '--foo'], deb), { kind: 'electron', args: ['--foo', X11_FLAG] });
    // The relaunched process has the flag: no loop.
    assert.equal(x11Relaunch('linux', wayland, [deb, '--foo', X11_FLAG], deb), null);
    // The user chose a platform: respected.
    assert.equal(x11Relaunch('linux', wayland, [deb, '--ozone-platform=wayland'], deb), null);
  });

  it('no relaunch on X11, without XWayland (nothing to run on), or off Linux', () => {
    assert.equal(x11Relaunch('linux', { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' }, [deb], deb), null);
    assert.equal(x11Relaunch('linux', { WAYLAND_DISPLAY: 'wayland-0' }, [deb], deb), null);
    assert.equal(x11Relaunch('win32', wayland, ['Linkwatch.exe'], 'C:\\Linkwatch\\Linkwatch.exe'), null);
  });

  it('from its own AppImage: the AppImage file itself is started, not the executable inside its mount', () => {
    const env = { ...wayland, APPIMAGE: '/home/ann/Apps/Linkwatch.AppImage', APPDIR: '/tmp/.mount_LinkwaX1y2Z3' };
    const inside = '/tmp/.mount_LinkwaX1y2Z3/linkwatch';
    assert.deepEqual(x11Relaunch('linux', env, [inside, '--foo'], inside), { kind: 'appimage', command: '/home/ann/Apps/Linkwatch.AppImage', args: ['--foo', X11_FLAG] });
  });

  it("a deb-installed Linkwatch started from another AppImage (a terminal shipped as one) relaunches itself, not that program", () => {
    const env = { ...wayland, APPIMAGE: '/home/ann/Apps/Terminal.AppImage', APPDIR: '/tmp/.mount_TermiQ9' };
    assert.deepEqual(x11Relaunch('linux', env, [deb], deb), { kind: 'electron', args: [X11_FLAG] });
  });

  it('started by a test driver or a debugger (Playwright: --inspect=0 --remote-debugging-port=0 --no-sandbox): not relaunched', () => {
    // What playwright-core's _electron.launch puts in argv for a packaged executable on Linux.
    const playwright = [deb, '--no-sandbox', '--inspect=0', '--remote-debugging-port=0'];
    assert.equal(isDrivenLaunch(playwright), true);
    assert.equal(x11Relaunch('linux', wayland, playwright, deb), null);
    assert.equal(x11Relaunch('linux', wayland, [deb, '--inspect'], deb), null);
    assert.equal(x11Relaunch('linux', wayland, [deb, '--remote-debugging-pipe'], deb), null);
    // --no-sandbox alone is a user's choice, not a driver: the relaunch keeps it.
    assert.equal(isDrivenLaunch([deb, '--no-sandbox']), false);
    assert.deepEqual(x11Relaunch('linux', wayland, [deb, '--no-sandbox'], deb), { kind: 'electron', args: ['--no-sandbox', X11_FLAG] });
    // A look-alike is not a driver's switch, and the executable's own path never counts.
    assert.equal(isDrivenLaunch([deb, '--inspector-theme=dark']), false);
    assert.equal(isDrivenLaunch(['--inspect']), false);
  });
});

describe('launch: which AppImage is ours', () => {
  const appImage = '/home/ann/Apps/Linkwatch.AppImage';
  const appDir = '/tmp/.mount_LinkwaX1y2Z3';

  it('$APPIMAGE only when the executable lies under $APPDIR', () => {
    assert.equal(ownAppImage({ APPIMAGE: appImage, APPDIR: appDir }, `${appDir}/linkwatch`), appImage);
    assert.equal(ownAppImage({ APPIMAGE: appImage, APPDIR: `${appDir}/` }, `${appDir}/usr/bin/linkwatch`), appImage);
    // Inherited from another AppImage: our executable is elsewhere.
    assert.equal(ownAppImage({ APPIMAGE: appImage, APPDIR: appDir }, '/opt/Linkwatch/linkwatch'), null);
    // A sibling mount whose name starts the same is not under it; nor is the mount point itself, nor `..` tricks.
    assert.equal(ownAppImage({ APPIMAGE: appImage, APPDIR: appDir }, `${appDir}x/linkwatch`), null);
    assert.equal(ownAppImage({ APPIMAGE: appImage, APPDIR: appDir }, appDir), null);
    assert.equal(ownAppImage({ APPIMAGE: appImage, APPDIR: appDir }, `${appDir}/../elsewhere/linkwatch`), null);
  });

  it('nothing without both variables, or with relative ones', () => {
    assert.equal(ownAppImage({ APPIMAGE: appImage }, `${appDir}/linkwatch`), null);
    assert.equal(ownAppImage({ APPDIR: appDir }, `${appDir}/linkwatch`), null);
    assert.equal(ownAppImage({ APPIMAGE: 'Linkwatch.AppImage', APPDIR: appDir }, `${appDir}/linkwatch`), null);
    assert.equal(ownAppImage({ APPIMAGE: appImage, APPDIR: 'mnt' }, 'mnt/linkwatch'), null);
  });
});

describe('launch: navigation guard', () => {
  const dev = popupPageSource({ isPackaged: false, devServerUrl: 'http://localhost:5173/', mainDir: '/app/out/main' });
  const built = popupPageSource({ isPackaged: false, devServerUrl: undefined, mainDir: '/app/out/main' });

  it("development on the dev server: Vite's full reload (same origin) passes, anything else is refused", () => {
    assert.equal(isAllowedNavigation('http://localhost:5173/', dev, false), true);
    assert.equal(isAllowedNavigation('http://localhost:5173/index.html?t=1', dev, false), true);
    assert.equal(isAllowedNavigation('http://localhost:5174/', dev, false), false);
    assert.equal(isAllowedNavigation('https://example.com/', dev, false), false);
    assert.equal(isAllowedNavigation('not a url', dev, false), false);
  });

  it('packaged, or loaded from disk: nothing at all, not even the same page', () => {
    assert.equal(isAllowedNavigation('http://localhost:5173/', dev, true), false);
    assert.equal(isAllowedNavigation(built.url, built, false), false);
  });
});
