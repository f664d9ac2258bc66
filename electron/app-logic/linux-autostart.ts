/**
 * Start at login on Linux. Electron's `app.setLoginItemSettings` covers macOS and Windows only; desktops that
 * follow the XDG Autostart spec (GNOME, KDE, Xfce, Cinnamon…) start what has a .desktop file in
 * `$XDG_CONFIG_HOME/autostart`. Written atomically like the settings.
 */
import { mkdir, readFile, rm } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import { ownAppImage } from './launch';

export const AUTOSTART_FILE_NAME = 'linkwatch.desktop';

export function autostartPath(env: NodeJS.ProcessEnv, homeDir: string): string {
  const configHome = env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME.startsWith('/') ? env.XDG_CONFIG_HOME : join(homeDir, '.config');
  return join(configHome, 'autostart', AUTOSTART_FILE_NAME);
}

/** Desktop Entry spec, "The Exec key": quote arguments with reserved characters; escape " ` $ \ inside. */
export function quoteExecArg(arg: string): string {
  if (!/[\s"'\\`$<>~|&;*?#()]/.test(arg)) return arg.replace(/%/g, '%%');
  return `"${arg.replace(/[\\"`$]/g, (char) => `\\${char}`).replace(/%/g, '%%')}"`;
}

/**
 * The program to start: the AppImage itself when running from one (its mount point changes every run), and
 * only our own AppImage, never one whose `$APPIMAGE` we inherited (launch.ts, ownAppImage).
 */
export function autostartExecutable(env: NodeJS.ProcessEnv, execPath: string): string {
  return ownAppImage(env, execPath) ?? execPath;
}

/** `args`: app-logic/launch.ts's linuxLaunchArgs (XWayland), as the packaged desktop entry has them. */
export function autostartEntry(executable: string, args: readonly string[] = [], appName = 'Linkwatch'): string {
  return [
    '[Desktop Entry]',
    'Type=Application',
    `Name=${appName}`,
    'Comment=Shows active dial-up and VPN connections in the tray',
    `Exec=${[executable, ...args].map(quoteExecArg).join(' ')}`,
    'Terminal=false',
    'X-GNOME-Autostart-enabled=true',
    '',
  ].join('\n');
}

export async function isAutostartEnabled(filePath: string): Promise<boolean> {
  try {
    const text = await readFile(filePath, 'utf8');
    return !/^Hidden\s*=\s*true\s*$/m.test(text) && !/^X-GNOME-Autostart-enabled\s*=\s*false\s*$/m.test(text);
  } catch {
    return false;
  }
}

export async function setAutostart(filePath: string, enabled: boolean, executable: string, args: readonly string[] = []): Promise<void> {
  if (!enabled) {
    await rm(filePath, { force: true });
    return;
  }
  await mkdir(dirname(filePath), { recursive: true });
  await writeFileAtomic(filePath, autostartEntry(executable, args), { encoding: 'utf8', mode: 0o644 });
}
