import assert from 'node:assert/strict';
import { mkdtemp, readFile, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { autostartEntry, autostartExecutable, autostartPath, isAutostartEnabled, quoteExecArg, setAutostart } from '../../../electron/app-logic/linux-autostart';

describe('Linux start at login (XDG autostart)', () => {
  it('goes to $XDG_CONFIG_HOME/autostart, or ~/.config/autostart', () => {
    assert.equal(autostartPath({ XDG_CONFIG_HOME: '/home/ann/.cfg' }, '/home/ann'), '/home/ann/.cfg/autostart/linkwatch.desktop');
    assert.equal(autostartPath({}, '/home/ann'), '/home/ann/.config/autostart/linkwatch.desktop');
    // The spec ignores a relative XDG_CONFIG_HOME.
    assert.equal(autostartPath({ XDG_CONFIG_HOME: 'cfg' }, '/home/ann'), '/home/ann/.config/autostart/linkwatch.desktop');
  });

  it('starts the AppImage itself when run from one, else the executable', () => {
    assert.equal(autostartExecutable({ APPIMAGE: '/home/ann/Apps/Linkwatch.AppImage', APPDIR: '/tmp/.mount_Link' }, '/tmp/.mount_Link/linkwatch'), '/home/ann/Apps/Linkwatch.AppImage');
    assert.equal(autostartExecutable({}, '/opt/Linkwatch/linkwatch'), '/opt/Linkwatch/linkwatch');
  });

  it("never writes another AppImage's path: a deb install started from an AppImage'd terminal starts itself", () => {
    const inherited = { APPIMAGE: '/home/ann/Apps/Terminal.AppImage', APPDIR: '/tmp/.mount_Termi' };
    assert.equal(autostartExecutable(inherited, '/opt/Linkwatch/linkwatch'), '/opt/Linkwatch/linkwatch');
  });

  it('quotes paths with spaces and escapes what the Exec key reserves', () => {
    assert.equal(quoteExecArg('/opt/Linkwatch/linkwatch'), '/opt/Linkwatch/linkwatch');
    assert.equal(quoteExecArg('/home/ann/My Apps/Linkwatch.AppImage'), '"/home/ann/My Apps/Linkwatch.AppImage"');
    assert.equal(quoteExecArg('/home/a$b/x y'), '"/home/a\\$b/x y"');
    assert.equal(quoteExecArg('/opt/100%/lw'), '/opt/100%%/lw');
    assert.match(autostartEntry('/opt/Linkwatch/linkwatch'), /^\[Desktop Entry\]\nType=Application\nName=Linkwatch\n[\s\S]*Exec=\/opt\/Linkwatch\/linkwatch\n/);
    // The XWayland flag travels in the Exec line, as in the packaged desktop entry (app-logic/launch.ts).
    assert.match(autostartEntry('/home/ann/My Apps/Linkwatch.AppImage', ['--ozone-platform=x11']), /\nExec="\/home\/ann\/My Apps\/Linkwatch\.AppImage" --ozone-platform=x11\n/);
  });

  it('turning it on writes the entry (creating the folder), off removes it', async () => {
    const home = await mkdtemp(join(tmpdir(), 'linkwatch-autostart-'));
    try {
      const file = autostartPath({}, home);
      assert.equal(await isAutostartEnabled(file), false);
      await setAutostart(file, true, '/opt/Linkwatch/linkwatch');
      assert.equal(await isAutostartEnabled(file), true);
      assert.match(await readFile(file, 'utf8'), /Exec=\/opt\/Linkwatch\/linkwatch/);
      assert.equal((await stat(file)).mode & 0o777, 0o644);
      await setAutostart(file, false, '/opt/Linkwatch/linkwatch');
      assert.equal(await isAutostartEnabled(file), false);
      await setAutostart(file, false, '/opt/Linkwatch/linkwatch');
    } finally {
      await rm(home, { recursive: true, force: true });
    }
  });
});
