/**
 * The popup: a frameless, sandboxed window that opens next to the tray, hides when it loses focus, and shows
 * only our own page. Created hidden at start so the first click shows it at once.
 */
import { app, BrowserWindow, screen, session, type WebContents } from 'electron';
import type { PushChannel, PushPayloads } from '../shared/ipc';
import type { TrustedPage } from './app-logic/ipc-dispatch';
import { contentSecurityPolicy, withCsp, type PageSource } from './app-logic/popup-page';
import { placePopup, type Point, type Rect } from './app-logic/popup-position';
import { shouldShowOnTrayClick } from './app-logic/tray-menu';
import { push } from './ipc';

export const POPUP_SIZE = { width: 360, height: 480 } as const;

export interface TrayAnchor {
  /** `Tray.getBounds()` or the click's bounds (all zeros on Linux). */
  trayBounds: Rect;
  /** `screen.getCursorScreenPoint()`: stale on Linux over the panel; placePopup decides whether to use it. */
  cursor: Point;
}

export interface PopupOptions {
  source: PageSource;
  preload: string;
  onVisibilityChange(visible: boolean): void;
}

/**
 * Every webContents the app ever makes: no new windows, no navigation away, no <webview>. `allowNavigation`
 * lets one kind through (app-logic/launch.ts: the dev server's own full reload, in development only).
 */
export function hardenWebContents(allowNavigation: (url: string) => boolean = () => false): void {
  app.on('web-contents-created', (_event, contents) => {
    contents.setWindowOpenHandler(() => ({ action: 'deny' }));
    contents.on('will-navigate', (event) => {
      if (!allowNavigation(event.url)) event.preventDefault();
    });
    // Frames too (will-navigate covers only the top frame). Neither fires for our own loadFile/loadURL.
    contents.on('will-frame-navigate', (event) => {
      if (!event.isMainFrame || !allowNavigation(event.url)) event.preventDefault();
    });
    contents.on('will-attach-webview', (event) => event.preventDefault());
  });
}

/** No permission (camera, notifications from the page, geolocation…) is granted to any page, ever. */
export function denyPermissions(source: PageSource): void {
  const ses = session.defaultSession;
  ses.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  ses.setPermissionCheckHandler(() => false);
  // The built page carries its CSP in index.html; the dev server's responses get it as a header too.
  const csp = contentSecurityPolicy(source);
  ses.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withCsp(details.responseHeaders, csp) });
  });
}

export class PopupWindow {
  private readonly window: BrowserWindow;
  private readonly source: PageSource;
  private readonly onVisibilityChange: (visible: boolean) => void;
  private hiddenByBlurAt: number | null = null;
  private quitting = false;

  constructor(options: PopupOptions) {
    this.source = options.source;
    this.onVisibilityChange = options.onVisibilityChange;
    this.window = new BrowserWindow({
      width: POPUP_SIZE.width,
      height: POPUP_SIZE.height,
      show: false,
      frame: false,
      resizable: false,
      movable: false,
      minimizable: false,
      maximizable: false,
      fullscreenable: false,
      skipTaskbar: true,
      alwaysOnTop: true,
      title: 'Linkwatch',
      webPreferences: {
        preload: options.preload,
        contextIsolation: true,
        sandbox: true,
        nodeIntegration: false,
        webSecurity: true,
        spellcheck: false,
      },
    });
    if (process.platform === 'darwin') {
      // Open over full-screen apps and on the current Space, as menu bar extras do.
      this.window.setVisibleOnAllWorkspaces(true, { visibleOnFullScreen: true });
    }

    this.window.on('blur', () => {
      if (!this.window.isVisible()) return;
      this.hiddenByBlurAt = Date.now();
      this.hide();
    });
    this.window.on('show', () => this.onVisibilityChange(true));
    this.window.on('hide', () => this.onVisibilityChange(false));
    // Alt+F4 and the like hide the popup; only quitting closes it.
    this.window.on('close', (event) => {
      if (this.quitting) return;
      event.preventDefault();
      this.hide();
    });
    this.window.webContents.on('render-process-gone', (_event, details) => {
      console.error(`linkwatch: popup renderer gone (${details.reason}); reloading`);
      if (!this.window.isDestroyed()) this.load();
    });
    this.load();
  }

  private load(): void {
    const loaded = this.source.kind === 'file' ? this.window.loadFile(this.source.path) : this.window.loadURL(this.source.url);
    loaded.catch((caught: unknown) => console.error('linkwatch: cannot load the popup page:', caught));
  }

  get contents(): WebContents | null {
    return this.window.isDestroyed() ? null : this.window.webContents;
  }

  /** What the IPC sender check compares with. */
  get trustedPage(): TrustedPage {
    return { webContentsId: this.contents?.id ?? null, url: this.source.url };
  }

  isVisible(): boolean {
    return !this.window.isDestroyed() && this.window.isVisible();
  }

  showAt(anchor: TrayAnchor): void {
    if (this.window.isDestroyed()) return;
    const { x, y } = placePopup({
      trayBounds: anchor.trayBounds,
      cursor: anchor.cursor,
      displays: screen.getAllDisplays(),
      primary: screen.getPrimaryDisplay(),
      size: POPUP_SIZE,
      platform: process.platform,
    });
    // setBounds, not setPosition: moving between displays of different scale keeps the size right on Windows.
    this.window.setBounds({ x, y, ...POPUP_SIZE });
    this.window.show();
    this.window.focus();
  }

  hide(): void {
    if (!this.window.isDestroyed() && this.window.isVisible()) this.window.hide();
  }

  /** Left click on the tray icon. */
  toggle(anchor: TrayAnchor): void {
    if (shouldShowOnTrayClick({ visible: this.isVisible(), hiddenByBlurAt: this.hiddenByBlurAt, now: Date.now() })) this.showAt(anchor);
    else this.hide();
  }

  send<C extends PushChannel>(channel: C, payload: PushPayloads[C]): void {
    push(this.contents, channel, payload);
  }

  destroy(): void {
    this.quitting = true;
    if (!this.window.isDestroyed()) this.window.destroy();
  }
}
