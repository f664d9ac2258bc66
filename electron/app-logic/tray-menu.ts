/**
 * The tray's context menu as data, so its order and wording are tested without Electron. "Open" comes first:
 * on Linux (StatusNotifier/AppIndicator) a click on the icon often opens this menu instead of the popup.
 */
import type { Connection } from '../../shared/connection';
import type { Settings } from '../../shared/ipc';
import type { SavedState } from '../../shared/saved';
import type { Policy, PolicySettingKey } from '../../shared/policy';
import '../../shared/i18n/all';
import { translator } from '../../shared/i18n';

// Every word of the menu comes from the catalogue's `tray` namespace (shared/i18n/en/tray.json).
const t = translator('tray');

export type TrayMenuAction = 'open' | 'start-at-login' | 'notifications' | 'export' | 'quit';

/** One saved connection in the Connect submenu: clicking it dials `name` (a name main listed itself). */
export interface TrayConnectItem {
  name: string;
  label: string;
  enabled: boolean;
}

export type TrayMenuItem =
  | { kind: 'action'; action: TrayMenuAction; label: string; checked?: boolean; enabled?: boolean }
  /** A line that cannot be clicked: why a setting is off or did not take (shown under that setting). */
  | { kind: 'note'; label: string }
  | { kind: 'connect'; label: string; items: TrayConnectItem[] }
  | { kind: 'disconnect'; label: string; items: TrayDisconnectItem[] }
  /** Keep connected, one checkbox per saved entry (clicking toggles `name`); see keepSubmenu. */
  | { kind: 'keep'; label: string; items: TrayKeepItem[] }
  | { kind: 'separator' };

/** One active connection in the Disconnect submenu: clicking it hangs up `id` (issue 29). */
export interface TrayDisconnectItem {
  id: string;
  label: string;
}

/** One saved entry in the Keep Connected submenu. */
export interface TrayKeepItem {
  name: string;
  label: string;
  checked: boolean;
  enabled: boolean;
}

/**
 * Keep Connected: every saved entry with a checkbox (off by default). An entry that cannot be kept is greyed
 * with the reason in its label ("no saved password"); one the system reconnects itself says so. Absent
 * without saved entries.
 */
export function keepSubmenu(saved: SavedState | undefined, kept: readonly string[] = []): TrayMenuItem | null {
  if (!saved?.available || saved.entries.length === 0) return null;
  const items = saved.entries.slice(0, MAX_CONNECT_ITEMS).map((entry): TrayKeepItem => {
    const checked = kept.includes(entry.name);
    if (entry.keepBlocked) return { name: entry.name, label: `${entry.name} (${entry.keepBlocked})`, checked: false, enabled: false };
    if (entry.systemReconnects) return { name: entry.name, label: `${entry.name} (${entry.systemReconnects})`, checked, enabled: checked };
    return { name: entry.name, label: entry.name, checked, enabled: true };
  });
  return { kind: 'keep', label: t('menu.keep'), items };
}

/** Why a setting was turned off or did not take, shown under it until it is fixed. */
export type TrayMenuNotes = Partial<Record<'start-at-login' | 'notifications', string>>;

/** Menus are short: beyond this many saved entries the popup's Saved section is the place. */
export const MAX_CONNECT_ITEMS = 20;

export interface TrayMenuInput {
  settings: Settings;
  /** Whether this platform/build can register a login item (not on Linux without an autostart location). */
  canStartAtLogin: boolean;
  notes?: TrayMenuNotes;
  appName?: string;
  /** Saved connections; without them (or without a backend that has them) there is no Connect submenu. */
  saved?: SavedState;
  /** The administrator's policy: locked settings are greyed with a note; it may hide the Connect submenu. */
  policy?: Policy;
  /** The active connections; those Linkwatch can hang up make the Disconnect submenu. */
  connections?: readonly Pick<Connection, 'id' | 'name' | 'canDisconnect'>[];
}

/**
 * Under a setting the administrator's policy locks (Chrome, Edge and Firefox say the same): `menu.locked`. A
 * function, not a constant: the words are those of the locale in force when the menu is built (main.ts sets
 * it from app.getLocale() once the app is ready, after this module has loaded).
 */
export function lockedNote(): string {
  return t('menu.locked');
}

/**
 * The Connect submenu: every saved entry, the connected ones and those being dialled greyed with their
 * state, the rest clickable. Absent when the backend offers no saved connections or there are none.
 */
export function connectSubmenu(saved: SavedState | undefined): TrayMenuItem | null {
  if (!saved?.available || saved.entries.length === 0) return null;
  const items = saved.entries.slice(0, MAX_CONNECT_ITEMS).map((entry): TrayConnectItem => {
    if (entry.connectionId) return { name: entry.name, label: t('menu.connected', { name: entry.name }), enabled: false };
    if (entry.dial?.phase === 'dialling') return { name: entry.name, label: t('menu.connecting', { name: entry.name }), enabled: false };
    return { name: entry.name, label: entry.name, enabled: true };
  });
  return { kind: 'connect', label: t('menu.connect'), items };
}

/**
 * The Disconnect submenu: every active connection Linkwatch can hang up (RAS connections on Windows, what
 * NetworkManager owns on Linux), as nm-applet and the VPN tray apps offer it. Absent when there is none.
 */
export function disconnectSubmenu(connections: TrayMenuInput['connections']): TrayMenuItem | null {
  const items = (connections ?? []).filter((c) => c.canDisconnect).slice(0, MAX_CONNECT_ITEMS);
  return items.length > 0 ? { kind: 'disconnect', label: 'Disconnect', items: items.map((c) => ({ id: c.id, label: c.name })) } : null;
}

export function trayMenuItems(input: TrayMenuInput): TrayMenuItem[] {
  const appName = input.appName ?? 'Linkwatch';
  const connect = input.policy?.hideConnectControls ? null : connectSubmenu(input.saved);
  // The policy's hideConnectControls covers Disconnect too (shared/policy.ts).
  const disconnect = input.policy?.hideConnectControls ? null : disconnectSubmenu(input.connections);
  const locked = (key: PolicySettingKey): boolean => input.policy !== undefined && Object.hasOwn(input.policy.locked, key);
  const keep = input.policy?.hideConnectControls ? null : keepSubmenu(input.saved, input.settings.keepConnected);
  // Locked by the administrator: the entries are shown as set, none can be toggled.
  if (keep?.kind === 'keep' && locked('keepConnected')) keep.items = keep.items.map((item) => ({ ...item, enabled: false }));
  const note = (key: keyof TrayMenuNotes): TrayMenuItem[] => {
    const text = input.notes?.[key];
    return text ? [{ kind: 'note', label: t('menu.note', { text }) }] : [];
  };
  const lockNote = (key: PolicySettingKey): TrayMenuItem[] => (locked(key) ? [{ kind: 'note', label: lockedNote() }] : []);
  const exportDirectory = input.settings.exportDirectory;
  return [
    { kind: 'action', action: 'open', label: t('menu.open', { app: appName }) },
    ...(connect ? [connect] : []),
    ...(disconnect ? [disconnect] : []),
    ...(keep ? [keep, ...lockNote('keepConnected')] : []),
    { kind: 'separator' },
    {
      kind: 'action',
      action: 'start-at-login',
      label: t('menu.startAtLogin'),
      checked: input.settings.startAtLogin,
      enabled: input.canStartAtLogin && !locked('startAtLogin'),
    },
    ...lockNote('startAtLogin'),
    ...note('start-at-login'),
    { kind: 'action', action: 'notifications', label: t('menu.notifications'), checked: input.settings.notifications, enabled: !locked('notifications') },
    ...lockNote('notifications'),
    ...note('notifications'),
    // Off: a click asks for the folder (the exporter's textfile directory); on: a click turns it off.
    { kind: 'action', action: 'export', label: t('menu.export'), checked: exportDirectory !== null, enabled: !locked('exportDirectory') },
    ...(exportDirectory !== null ? [{ kind: 'note' as const, label: exportDirectory }] : []),
    ...lockNote('exportDirectory'),
    { kind: 'separator' },
    { kind: 'action', action: 'quit', label: t('menu.quit', { app: appName }) },
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
