/**
 * Decisions made before and at startup, in plain Node: which AppUserModelID Windows gets, whether a Linux
 * launch runs through XWayland, and which navigations the popup may make.
 */
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
 * The arguments to relaunch with, when this launch would run as a native Wayland client; null to go on.
 * `argv` is process.argv: the executable first (and, unpackaged, the app folder).
 */
export function x11RelaunchArgs(platform: string, env: NodeJS.ProcessEnv, argv: readonly string[]): string[] | null {
  if (platform !== 'linux' || !isWaylandWithXWayland(env)) return null;
  if (argv.some((arg) => arg === X11_FLAG || arg.startsWith('--ozone-platform=') || arg === '--ozone-platform')) return null;
  return [...argv.slice(1), X11_FLAG];
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
 * grace (core-client.ts, 1 s) and is killed; past this deadline the app exits regardless.
 */
export const QUIT_DEADLINE_MS = 3000;
