/**
 * The tray icon: its image says the state (idle / connected / connecting / error), its tooltip lists the
 * active connections, a left click toggles the popup, and the context menu (right click, or the keyboard via
 * the system's own tray navigation) holds Open, Start at Login, Notifications and Quit.
 */
import { join } from 'node:path';
import { Menu, nativeImage, screen, Tray, type MenuItemConstructorOptions, type NativeImage } from 'electron';
import type { Snapshot } from '../shared/connection';
import { trayIconFile, trayStateOf, trayTooltip, type TrayState } from './app-logic/tray-state';
import type { TrayMenuAction, TrayMenuItem } from './app-logic/tray-menu';
import type { TrayAnchor } from './popup-window';

export interface AppTrayOptions {
  iconDir: string;
  onClick(anchor: TrayAnchor): void;
  onMenuAction(action: TrayMenuAction, anchor: TrayAnchor): void;
}

export class AppTray {
  private readonly tray: Tray;
  private readonly options: AppTrayOptions;
  private readonly images = new Map<TrayState, NativeImage>();
  private state: TrayState | null = null;
  private tooltip = '';
  private menu: Menu | null = null;
  private menuLabels: string[] = [];
  private menuKey = '';

  constructor(options: AppTrayOptions) {
    this.options = options;
    this.tray = new Tray(this.image('idle'));
    this.state = 'idle';
    this.setTooltip('Linkwatch: starting…');
    // macOS delivers two clicks for a quick double click; each would toggle the popup.
    if (process.platform === 'darwin') this.tray.setIgnoreDoubleClickEvents(true);
    this.tray.on('click', (_event, bounds) => this.options.onClick({ trayBounds: bounds, cursor: screen.getCursorScreenPoint() }));
    if (process.platform === 'darwin') {
      // A context menu set with setContextMenu would take the left click on macOS too; the popup owns that.
      this.tray.on('right-click', () => {
        if (this.menu) this.tray.popUpContextMenu(this.menu);
      });
    }
  }

  /** The anchor for a popup opened from elsewhere (menu, second instance, notification click). */
  anchor(): TrayAnchor {
    return { trayBounds: this.tray.getBounds(), cursor: screen.getCursorScreenPoint() };
  }

  update(snapshot: Snapshot): void {
    const state = trayStateOf(snapshot);
    if (state !== this.state) {
      this.state = state;
      this.tray.setImage(this.image(state));
    }
    this.setTooltip(trayTooltip(snapshot));
  }

  setMenu(
    items: readonly TrayMenuItem[],
    onConnect: (name: string) => void = () => {},
    onDisconnect: (id: string) => void = () => {},
    onKeep: (name: string, on: boolean) => void = () => {},
  ): void {
    // Rebuilding an unchanged menu costs a D-Bus round trip on Linux and closes an open menu: skip it.
    const key = JSON.stringify(items);
    if (key === this.menuKey) return;
    this.menuKey = key;
    const template: MenuItemConstructorOptions[] = items.map((item) => {
      if (item.kind === 'separator') return { type: 'separator' };
      if (item.kind === 'connect') {
        return { label: item.label, submenu: item.items.map((entry) => ({ label: entry.label, enabled: entry.enabled, click: () => onConnect(entry.name) })) };
      }
      if (item.kind === 'disconnect') {
        return { label: item.label, submenu: item.items.map((connection) => ({ label: connection.label, click: () => onDisconnect(connection.id) })) };
      }
      if (item.kind === 'note') return { label: item.label, type: 'normal', enabled: false };
      if (item.kind === 'keep') {
        return { label: item.label, submenu: item.items.map((entry) => ({ label: entry.label, type: 'checkbox', checked: entry.checked, enabled: entry.enabled, click: () => onKeep(entry.name, !entry.checked) })) };
      }
      const checkable = item.checked !== undefined;
      return {
        label: item.label,
        type: checkable ? 'checkbox' : 'normal',
        ...(checkable ? { checked: item.checked } : {}),
        enabled: item.enabled ?? true,
        click: () => this.options.onMenuAction(item.action, this.anchor()),
      };
    });
    this.menu = Menu.buildFromTemplate(template);
    this.menuLabels = template.map((item) => (item.type === 'separator' ? '---' : `${item.label ?? ''}${item.type === 'checkbox' ? (item.checked ? ' [x]' : ' [ ]') : ''}`));
    // Linux reads the menu once per setContextMenu: a changed checkbox needs the whole menu set again.
    if (process.platform !== 'darwin') this.tray.setContextMenu(this.menu);
  }

  /** What the tray shows now, as text (the Electron test tier reads it through main.ts's test hook). */
  shown(): { state: TrayState | null; tooltip: string; menu: string[]; destroyed: boolean } {
    return { state: this.state, tooltip: this.tooltip, menu: [...this.menuLabels], destroyed: this.tray.isDestroyed() };
  }

  destroy(): void {
    if (!this.tray.isDestroyed()) this.tray.destroy();
  }

  private setTooltip(text: string): void {
    if (text === this.tooltip) return;
    this.tooltip = text;
    this.tray.setToolTip(text);
  }

  private image(state: TrayState): NativeImage {
    let image = this.images.get(state);
    if (!image) {
      // createFromPath also loads the @1.25x…@3x siblings, and marks "…Template" files as template images.
      const file = join(this.options.iconDir, trayIconFile(state, process.platform));
      image = nativeImage.createFromPath(file);
      if (image.isEmpty()) console.error(`linkwatch: tray icon missing or unreadable: ${file} (run \`npm run icons\`)`);
      this.images.set(state, image);
    }
    return image;
  }
}
