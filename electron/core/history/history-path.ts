/**
 * Where the history lives: `history.sqlite` in the app's user-data folder, which is Electron's
 * `app.getPath('userData')`: the OS's per-user application-data folder plus the app's name (`productName`,
 * "Linkwatch"). The CLI has no Electron to ask, so it derives the same folder by Electron's rules:
 *   Windows  %APPDATA%\Linkwatch\history.sqlite
 *   macOS    ~/Library/Application Support/Linkwatch/history.sqlite
 *   Linux    $XDG_CONFIG_HOME/Linkwatch/history.sqlite (~/.config/Linkwatch/… when unset)
 * `LINKWATCH_HISTORY` names another file, for the app and the CLI alike (tests, a second profile).
 */
import { join, posix, win32 } from 'node:path';

export const HISTORY_FILE_NAME = 'history.sqlite';
export const APP_FOLDER_NAME = 'Linkwatch';

/** The file the app writes, given its userData folder. */
export function appHistoryPath(userData: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.LINKWATCH_HISTORY || join(userData, HISTORY_FILE_NAME);
}

/** The file the CLI reads: the app's, found without Electron. */
export function cliHistoryPath(platform: NodeJS.Platform, env: NodeJS.ProcessEnv, home: string): string {
  if (env.LINKWATCH_HISTORY) return env.LINKWATCH_HISTORY;
  if (platform === 'win32') {
    return win32.join(env.APPDATA || win32.join(home, 'AppData', 'Roaming'), APP_FOLDER_NAME, HISTORY_FILE_NAME);
  }
  if (platform === 'darwin') return posix.join(home, 'Library', 'Application Support', APP_FOLDER_NAME, HISTORY_FILE_NAME);
  const config = env.XDG_CONFIG_HOME || posix.join(home, '.config');
  return posix.join(config, APP_FOLDER_NAME, HISTORY_FILE_NAME);
}
