/**
 * Decisions made before and at startup, in plain Node: which AppUserModelID Windows gets, whether a Linux
 * launch runs through XWayland, and which navigations the popup may make.
 */
import { posix } from 'node:path';
import { APP_BUNDLE_ID } from '../../shared/app-id';
import type { PageSource } from './popup-page';

/** Windows shows toasts only for an app whose AppUserModelID matches a Start-menu shortcut: the packager's appId. */
export const APP_USER_MODEL_ID = APP_BUNDLE_ID;

/**
 * Packaged, the installer's shortcut carries APP_USER_MODEL_ID. In development there is no such shortcut;
 * Electron's notification tutorial says to use the executable's path (and pin electron.exe to Start).
 */
export function appUserModelId(isPackaged: boolean, execPath: string): string {
  return isPackaged ? APP_USER_MODEL_ID : execPath;
}

/**
 * Wayland: since Electron 38 the app runs as a native Wayland client where the session is Wayland (GNOME,
 * KDE Plasma 6). There a window cannot place itself, `alwaysOnTop` and `screen.getCursorScreenPoint()` are
 * unsupported and focus/blur differ: a tray popup would open anywhere and never hide. Linkwatch runs through
 * XWayland instead. Chromium picks its ozone platform before the app's JavaScript runs (electron#35630), so
 * `app.commandLine.appendSwitch` is too late: the flag must be on the real command line. The desktop entry
 * and the autostart entry carry it (electron-builder `linux.executableArgs`, linux-autostart.ts); a launch
 * without it on a Wayland session (a terminal, an AppImage started by hand) relaunches itself once with it.
 */
export const X11_FLAG = '--ozone-platform=x11';

/** Arguments to add to a Linux launch of the app; none elsewhere. */
export function linuxLaunchArgs(platform: string): string[] {
  return platform === 'linux' ? [X11_FLAG] : [];
}

/** A Wayland session where XWayland is there to take us (DISPLAY set). */
export function isWaylandWithXWayland(env: NodeJS.ProcessEnv): boolean {
  const wayland = Boolean(env.WAYLAND_DISPLAY) || env.XDG_SESSION_TYPE === 'wayland';
  return wayland && Boolean(env.DISPLAY);
}

/**
 * Switches that only a program driving this process passes: Node's inspector and Chromium's DevTools protocol.
 * Playwright's `_electron.launch` adds `--inspect=0 --remote-debugging-port=0` (and `--no-sandbox` on Linux)
 * to argv (playwright-core, server/electron/electron.ts). The driver holds a connection to THIS process: a
 * relaunched copy would be out of its reach, and the test would see the app exit at start.
 */
const DRIVER_SWITCHES = ['--inspect', '--inspect-brk', '--inspect-port', '--remote-debugging-port', '--remote-debugging-pipe'];

/** argv carries a debugger's or an automation driver's switch (`--inspect=0`, `--remote-debugging-port=0`…). */
export function isDrivenLaunch(argv: readonly string[]): boolean {
  return argv.slice(1).some((arg) => DRIVER_SWITCHES.some((name) => arg === name || arg.startsWith(`${name}=`)));
}

/**
 * The AppImage this process runs from, or null. The AppImage runtime sets `$APPIMAGE` (the file) and `$APPDIR`
 * (where it mounted it, e.g. /tmp/.mount_LinkwaXXXXXX) for the program it starts, and every program that one
 * starts inherits both: a deb-installed Linkwatch launched from an AppImage'd terminal sees the terminal's.
 * Only when our own executable lies under `$APPDIR` is `$APPIMAGE` ours.
 */
export function ownAppImage(env: NodeJS.ProcessEnv, execPath: string): string | null {
  const appImage = env.APPIMAGE;
  const appDir = env.APPDIR;
  // POSIX paths: AppImages are Linux-only, and the decision reads the same on every test runner.
  if (!appImage || !appDir || !posix.isAbsolute(appImage) || !posix.isAbsolute(appDir)) return null;
  const inside = posix.relative(posix.resolve(appDir), posix.resolve(execPath));
  if (inside === '' || inside === '..' || inside.startsWith('../') || posix.isAbsolute(inside)) return null;
  return appImage;
}

/**
 * How to relaunch through XWayland:
 * - `appimage`: start the AppImage file itself, detached, and exit. `app.relaunch` would start Electron's
 *   relauncher helper from this process's executable (shell/browser/relauncher.cc: CHILD_PROCESS_EXE), which
 *   lives in the AppImage's mount; the runtime unmounts it when this process exits, and the helper's launch
 *   of the next instance fails (electron-builder issues 1727, 4650).
 * - `electron`: `app.relaunch({ args })` (the same executable, `args` after it), then exit.
 */
export type RelaunchPlan = { kind: 'appimage'; command: string; args: string[] } | { kind: 'electron'; args: string[] };

/**
 * The relaunch to do when this launch would run as a native Wayland client; null to go on here.
 * `argv` is process.argv (the executable first; a packaged app has no app folder after it). A launch driven
 * by a debugger or a test (isDrivenLaunch) is never relaunched: its driver would lose it.
 */
export function x11Relaunch(platform: string, env: NodeJS.ProcessEnv, argv: readonly string[], execPath: string): RelaunchPlan | null {
  if (platform !== 'linux' || !isWaylandWithXWayland(env)) return null;
  if (argv.some((arg) => arg === X11_FLAG || arg.startsWith('--ozone-platform=') || arg === '--ozone-platform')) return null;
  if (isDrivenLaunch(argv)) return null;
  const args = [...argv.slice(1), X11_FLAG];
  const appImage = ownAppImage(env, execPath);
  return appImage ? { kind: 'appimage', command: appImage, args } : { kind: 'electron', args };
}

/**
 * The popup navigates nowhere, with one exception: in development, Vite's full reload of the dev server page
 * (same origin as the page we loaded). Packaged, nothing at all.
 */
export function isAllowedNavigation(target: string, source: PageSource, isPackaged: boolean): boolean {
  if (isPackaged || source.kind !== 'url') return false;
  try {
    return new URL(target).origin === new URL(source.url).origin;
  } catch {
    return false;
  }
}

/**
 * Quit must be over within 5 s even with a backend hung in a native call: the core process gets its close
 * grace (core-client.ts, 4 s: RasHangUp's documented ~3 s wait for a dial it cancels, plus a margin) and is
 * killed; past this deadline the app exits regardless.
 */
export const QUIT_DEADLINE_MS = 4500;
