import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { APP_USER_MODEL_ID, appUserModelId, isAllowedNavigation, linuxLaunchArgs, x11RelaunchArgs, X11_FLAG } from '../../../electron/app-logic/launch';
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

  it('a launch without the flag on a Wayland session with XWayland relaunches once, with the same arguments plus the flag', () => {
    assert.deepEqual(x11RelaunchArgs('linux', wayland, ['/opt/Linkwatch/linkwatch', '--foo']), ['--foo', X11_FLAG]);
    // The relaunched process has the flag: no loop.
    assert.equal(x11RelaunchArgs('linux', wayland, ['/opt/Linkwatch/linkwatch', '--foo', X11_FLAG]), null);
    // The user chose a platform: respected.
    assert.equal(x11RelaunchArgs('linux', wayland, ['/opt/Linkwatch/linkwatch', '--ozone-platform=wayland']), null);
  });

  it('no relaunch on X11, without XWayland (nothing to run on), or off Linux', () => {
    assert.equal(x11RelaunchArgs('linux', { DISPLAY: ':0', XDG_SESSION_TYPE: 'x11' }, ['/opt/Linkwatch/linkwatch']), null);
    assert.equal(x11RelaunchArgs('linux', { WAYLAND_DISPLAY: 'wayland-0' }, ['/opt/Linkwatch/linkwatch']), null);
    assert.equal(x11RelaunchArgs('win32', wayland, ['Linkwatch.exe']), null);
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
