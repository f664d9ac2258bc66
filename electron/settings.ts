/**
 * Settings glue: the store lives in `userData/settings.json`; "Start at login" is applied to the OS (login
 * item on macOS and Windows, an XDG autostart entry on Linux) and read back from it, since users also
 * change it outside the app (Task Manager's Startup tab, System Settings → Login Items).
 */
import { join } from 'node:path';
import { app } from 'electron';
import { linuxLaunchArgs } from './app-logic/launch';
import { autostartExecutable, autostartPath, isAutostartEnabled, setAutostart } from './app-logic/linux-autostart';
import { loginItemProblem, willLaunchAtLogin } from './app-logic/login-item';
import { SETTINGS_FILE_NAME, SettingsStore } from './app-logic/settings-store';

export async function openSettings(): Promise<SettingsStore> {
  const { store, problem } = await SettingsStore.open(join(app.getPath('userData'), SETTINGS_FILE_NAME));
  if (problem) console.error(`linkwatch: ${problem}`);
  return store;
}

export interface LoginItem {
  /** False in development (it would register the bare Electron binary) and where no mechanism exists. */
  readonly supported: boolean;
  /** What the OS will do at next login; null when unknown. */
  read(): Promise<boolean | null>;
  /** Resolves with null when the OS took the change, else with the reason it did not (macOS unsigned…). */
  apply(enabled: boolean): Promise<string | null>;
}

export function loginItem(): LoginItem {
  const platform = process.platform;
  if (!app.isPackaged || (platform !== 'darwin' && platform !== 'win32' && platform !== 'linux')) {
    return { supported: false, read: async () => null, apply: async () => null };
  }
  if (platform === 'linux') {
    const file = autostartPath(process.env, app.getPath('home'));
    return {
      supported: true,
      read: () => isAutostartEnabled(file),
      apply: async (enabled) => {
        await setAutostart(file, enabled, autostartExecutable(process.env, process.execPath), linuxLaunchArgs(platform));
        return null;
      },
    };
  }
  return {
    supported: true,
    read: async () => willLaunchAtLogin(platform, app.getLoginItemSettings()),
    apply: async (enabled) => {
      // Windows: `enabled` (default true) also sets the StartupApproved switch Task Manager shows.
      app.setLoginItemSettings({ openAtLogin: enabled });
      // Read back: an unsigned macOS build (or a policy) may not have taken it, without an error.
      return enabled ? loginItemProblem(platform, app.getLoginItemSettings()) : null;
    },
  };
}

/**
 * At start: the OS's word wins over the file, so the menu's checkbox tells the truth; but where the
 * administrator's policy locks the setting, the policy's word goes to the OS instead.
 */
export async function reconcileLoginItem(store: SettingsStore, item: LoginItem): Promise<void> {
  if (!item.supported) return;
  try {
    const actual = await item.read();
    if (actual === null || actual === store.get().startAtLogin) return;
    if (store.isLocked('startAtLogin')) await item.apply(store.get().startAtLogin);
    else await store.update({ startAtLogin: actual });
  } catch (caught) {
    console.error('linkwatch: cannot read the login item:', caught);
  }
}
