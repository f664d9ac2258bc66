/**
 * "Start at login" as the OS really has it, and what to tell the user when the OS did not take it.
 * The glue (settings.ts) passes what `app.getLoginItemSettings()` returned; these decide.
 */

/** The part of Electron's LoginItemSettings read here (fields are per OS; absent elsewhere). */
export interface LoginItemReport {
  openAtLogin: boolean;
  /** Windows: the Run value exists AND its StartupApproved entry is not disabled (Task Manager's Startup apps). */
  executableWillLaunchAtLogin?: boolean;
  /** macOS 13+: 'not-registered' | 'enabled' | 'requires-approval' | 'not-found'. */
  status?: string;
}

/**
 * Whether the OS will start Linkwatch at the next login. Windows: `openAtLogin` only says the Run value
 * exists, and stays true after the user disables the app in Task Manager's Startup apps;
 * `executableWillLaunchAtLogin` also reads that switch. macOS 13+: only status 'enabled' starts it.
 */
export function willLaunchAtLogin(platform: string, report: LoginItemReport): boolean {
  if (platform === 'win32') return report.executableWillLaunchAtLogin ?? report.openAtLogin;
  if (platform === 'darwin' && report.status !== undefined) return report.status === 'enabled';
  return report.openAtLogin;
}

/**
 * After turning "Start at login" on: null when the OS took it, else the reason to show (the setting is then
 * turned off again, so the checkbox never claims what will not happen).
 */
export function loginItemProblem(platform: string, report: LoginItemReport): string | null {
  if (willLaunchAtLogin(platform, report)) return null;
  if (platform === 'darwin') {
    if (report.status === 'requires-approval') return 'macOS needs your approval: System Settings → General → Login Items';
    return 'macOS did not add Linkwatch to the login items (an unsigned build cannot register itself)';
  }
  if (platform === 'win32') return 'Windows did not enable it (check Task Manager → Startup apps)';
  return 'the login item was not saved';
}
