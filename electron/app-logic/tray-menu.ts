/**
 * The tray's context menu as data, so its order and wording are tested without Electron. "Open" comes first:
 * on Linux (StatusNotifier/AppIndicator) a click on the icon often opens this menu instead of the popup.
 */
import type { Settings } from '../../shared/ipc';

export type TrayMenuAction = 'open' | 'start-at-login' | 'notifications' | 'quit';

export type TrayMenuItem =
  | { kind: 'action'; action: TrayMenuAction; label: string; checked?: boolean; enabled?: boolean }
  | { kind: 'separator' };

export interface TrayMenuInput {
  settings: Settings;
  /** Whether this platform/build can register a login item (not on Linux without an autostart location). */
  canStartAtLogin: boolean;
  appName?: string;
}

export function trayMenuItems(input: TrayMenuInput): TrayMenuItem[] {
  const appName = input.appName ?? 'Linkwatch';
  return [
    { kind: 'action', action: 'open', label: `Open ${appName}` },
    { kind: 'separator' },
    { kind: 'action', action: 'start-at-login', label: 'Start at Login', checked: input.settings.startAtLogin, enabled: input.canStartAtLogin },
    { kind: 'action', action: 'notifications', label: 'Notifications', checked: input.settings.notifications },
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: `Quit ${appName}` },
  ];
}

/**
 * Clicking the tray icon while the popup is open first blurs the popup (which hides it), then delivers the
 * click, which would show it again at once. A click this soon after a blur-hide means "close", not "reopen".
 */
export const CLICK_AFTER_BLUR_MS = 300;

export function shouldShowOnTrayClick(state: { visible: boolean; hiddenByBlurAt: number | null; now: number }): boolean {
  if (state.visible) return false;
  return state.hiddenByBlurAt === null || state.now - state.hiddenByBlurAt > CLICK_AFTER_BLUR_MS;
}
