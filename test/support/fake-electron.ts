/**
 * A stand-in for the parts of Electron's main-process API the glue uses, recording what the app does with
 * them, so `electron/main.ts` can run under plain Node (no Electron binary can be had here). It follows the
 * documented behaviour of each call it fakes, not more: no pixels, no real windows, no OS tray.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join, resolve } from 'node:path';

type Listener = (...args: unknown[]) => unknown;

export interface Rectangle {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** Everything the test looks at or drives. */
export const fake = {
  userData: mkdtempSync(join(tmpdir(), 'linkwatch-fake-electron-')),
  quitCalls: 0,
  trays: [] as FakeTray[],
  windows: [] as FakeBrowserWindow[],
  handlers: new Map<string, Listener>(),
  notifications: [] as FakeNotification[],
  loginItem: { openAtLogin: false },
  permissionRequest: null as null | Listener,
  permissionCheck: null as null | Listener,
  headersReceived: null as null | Listener,
  cursor: { x: 1710, y: 1050 },
  displays: [{ id: 1, bounds: { x: 0, y: 0, width: 1920, height: 1080 }, workArea: { x: 0, y: 0, width: 1920, height: 1032 }, scaleFactor: 1 }],
  log: [] as string[],
  utilityProcesses: [] as FakeUtilityProcess[],
  /** What the next dialog.showOpenDialog answers (Electron: `{ canceled, filePaths }`), and the options it got. */
  openDialogAnswer: { canceled: true, filePaths: [] as string[] },
  openDialogCalls: [] as unknown[],
  /** What app.getLocale() answers (Chromium's application locale, e.g. "en-US"; "en-XA" with --lang=en-XA). */
  locale: 'en-US',
  /** Set when the app really ended: app.exit(code), or a quit nobody prevented. */
  ended: null as null | { how: 'quit' | 'exit'; code: number; at: number },
};

let nextWebContentsId = 1;

class FakeApp extends EventEmitter {
  isPackaged = false;
  dock = undefined;
  private readyResolve: (() => void) | null = null;
  private isReady = false;
  private readonly ready = new Promise<void>((resolve) => {
    this.readyResolve = resolve;
  });

  requestSingleInstanceLock(): boolean {
    return true;
  }
  setAppUserModelId(id: string): void {
    fake.log.push(`appUserModelId ${id}`);
  }
  whenReady(): Promise<void> {
    return this.ready;
  }
  /** The test decides when Electron is ready. */
  becomeReady(): void {
    this.isReady = true;
    this.readyResolve?.();
  }
  /** Electron's docs (app.getLocale): "This API must be called after the ready event is emitted." */
  getLocale(): string {
    if (!this.isReady) throw new Error('fake app.getLocale: called before the ready event');
    return fake.locale;
  }
  getPath(name: string): string {
    if (name === 'userData') return fake.userData;
    if (name === 'home') return join(fake.userData, 'home');
    throw new Error(`fake getPath: ${name}`);
  }
  getAppPath(): string {
    return process.cwd();
  }
  getLoginItemSettings(): { openAtLogin: boolean } {
    return { ...fake.loginItem };
  }
  setLoginItemSettings(settings: { openAtLogin: boolean }): void {
    fake.loginItem.openAtLogin = settings.openAtLogin;
  }
  /** Electron's quit: 'before-quit' first, and a listener that calls preventDefault() cancels the quit. */
  quit(): void {
    fake.quitCalls += 1;
    let prevented = false;
    this.emit('before-quit', { preventDefault: () => (prevented = true) });
    if (prevented) return;
    this.emit('will-quit', { preventDefault() {} });
    fake.ended ??= { how: 'quit', code: 0, at: Date.now() };
  }
  exit(code: number): void {
    fake.log.push(`exit ${code}`);
    fake.ended ??= { how: 'exit', code, at: Date.now() };
  }
  relaunch(options: unknown): void {
    fake.log.push(`relaunch ${JSON.stringify(options)}`);
  }
}

export const app = new FakeApp();

class FakeWebContents extends EventEmitter {
  readonly id = nextWebContentsId++;
  sent: [string, unknown][] = [];
  destroyed = false;
  openHandler: Listener | null = null;
  send(channel: string, payload: unknown): void {
    if (this.destroyed) throw new Error('Object has been destroyed');
    this.sent.push([channel, payload]);
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  setWindowOpenHandler(handler: Listener): void {
    this.openHandler = handler;
  }
}

export class FakeBrowserWindow extends EventEmitter {
  readonly webContents = new FakeWebContents();
  readonly options: Record<string, unknown>;
  visible = false;
  destroyed = false;
  bounds: Rectangle = { x: 0, y: 0, width: 0, height: 0 };
  loaded: string | null = null;

  constructor(options: Record<string, unknown>) {
    super();
    this.options = options;
    this.bounds = { x: 0, y: 0, width: Number(options.width), height: Number(options.height) };
    fake.windows.push(this);
    app.emit('web-contents-created', {}, this.webContents);
  }
  loadFile(path: string): Promise<void> {
    this.loaded = `file ${path}`;
    return Promise.resolve();
  }
  loadURL(url: string): Promise<void> {
    this.loaded = `url ${url}`;
    return Promise.resolve();
  }
  setVisibleOnAllWorkspaces(): void {}
  isDestroyed(): boolean {
    return this.destroyed;
  }
  isVisible(): boolean {
    return this.visible;
  }
  setBounds(bounds: Rectangle): void {
    this.bounds = bounds;
  }
  show(): void {
    if (this.visible) return;
    this.visible = true;
    this.emit('show');
  }
  focus(): void {}
  hide(): void {
    if (!this.visible) return;
    this.visible = false;
    this.emit('hide');
  }
  /** What the window manager does on Alt+F4: 'close' that a listener may cancel. */
  close(): void {
    let prevented = false;
    this.emit('close', { preventDefault: () => (prevented = true) });
    if (!prevented) this.destroy();
  }
  destroy(): void {
    this.destroyed = true;
    this.visible = false;
    this.webContents.destroyed = true;
  }
}
export { FakeBrowserWindow as BrowserWindow };

export class FakeTray extends EventEmitter {
  image: FakeImage;
  tooltip = '';
  contextMenu: FakeMenu | null = null;
  destroyed = false;
  bounds: Rectangle = { x: 1700, y: 1040, width: 24, height: 40 };

  constructor(image: FakeImage) {
    super();
    this.image = image;
    fake.trays.push(this);
  }
  setImage(image: FakeImage): void {
    this.image = image;
  }
  setToolTip(text: string): void {
    this.tooltip = text;
  }
  setContextMenu(menu: FakeMenu): void {
    this.contextMenu = menu;
  }
  setIgnoreDoubleClickEvents(): void {}
  popUpContextMenu(menu: FakeMenu): void {
    this.contextMenu = menu;
  }
  getBounds(): Rectangle {
    return this.bounds;
  }
  isDestroyed(): boolean {
    return this.destroyed;
  }
  destroy(): void {
    this.destroyed = true;
  }
  /** A left click as Electron reports it: (event, bounds, position). */
  click(): void {
    this.emit('click', {}, this.bounds, fake.cursor);
  }
}
export { FakeTray as Tray };

export interface FakeMenuItem {
  label?: string;
  type?: string;
  checked?: boolean;
  enabled?: boolean;
  click?: () => void;
}

export class FakeMenu {
  constructor(readonly items: FakeMenuItem[]) {}
}
export const Menu = {
  buildFromTemplate: (template: FakeMenuItem[]) => new FakeMenu(template),
};

export class FakeImage {
  constructor(readonly path: string) {}
  isEmpty(): boolean {
    return false;
  }
}
export const nativeImage = {
  createFromPath: (path: string) => new FakeImage(path),
};

export const screen = {
  getAllDisplays: () => fake.displays,
  getPrimaryDisplay: () => fake.displays[0],
  getCursorScreenPoint: () => fake.cursor,
};

/** Electron's dialog: showOpenDialog resolves with `{ canceled, filePaths }` (docs: dialog.showOpenDialog). */
export const dialog = {
  showOpenDialog: async (options: unknown) => {
    fake.openDialogCalls.push(options);
    return fake.openDialogAnswer;
  },
};

export const session = {
  defaultSession: {
    setPermissionRequestHandler: (handler: Listener) => (fake.permissionRequest = handler),
    setPermissionCheckHandler: (handler: Listener) => (fake.permissionCheck = handler),
    webRequest: { onHeadersReceived: (handler: Listener) => (fake.headersReceived = handler) },
  },
};

export const ipcMain = {
  handle(channel: string, listener: Listener): void {
    // Electron refuses a second handler for one channel.
    if (fake.handlers.has(channel)) throw new Error(`Attempted to register a second handler for '${channel}'`);
    fake.handlers.set(channel, listener);
  },
  removeHandler(channel: string): void {
    fake.handlers.delete(channel);
  },
};

export class FakeNotification extends EventEmitter {
  static isSupported(): boolean {
    return true;
  }
  shown = false;
  constructor(readonly options: { title: string; body: string }) {
    super();
    fake.notifications.push(this);
  }
  show(): void {
    this.shown = true;
  }
}
export { FakeNotification as Notification };

/**
 * utilityProcess as documented: fork(modulePath, args, options) → a child with Node whose messages arrive as
 * 'message', 'exit' with its code, kill(), pid. Stood in by child_process.fork (the core entry serves both
 * through the same protocol). The built layout's out/main/core-process.js does not exist when main.ts runs
 * from source: a missing modulePath is taken from electron/core/host/<name>.ts, run through tsx.
 */
export class FakeUtilityProcess extends EventEmitter {
  pid: number | undefined;
  /** Every message the child sent, in order (tests wait for its hello). */
  readonly received: unknown[] = [];
  private readonly child: ChildProcess;
  constructor(
    readonly modulePath: string,
    readonly options: { serviceName?: string; env?: NodeJS.ProcessEnv },
  ) {
    super();
    const source = existsSync(modulePath) ? modulePath : resolve('electron/core/host', basename(modulePath).replace(/\.js$/, '.ts'));
    this.child = fork(source, [], { env: options.env ?? process.env, execArgv: ['--import', 'tsx'], serialization: 'advanced', stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
    this.pid = this.child.pid;
    this.child.on('message', (message) => {
      this.received.push(message);
      this.emit('message', message);
    });
    this.child.on('exit', (code, signal) => {
      this.pid = undefined;
      this.emit('exit', code ?? (signal ? 1 : 0));
    });
    fake.utilityProcesses.push(this);
  }
  postMessage(message: unknown): void {
    if (this.child.connected) this.child.send(message as object);
  }
  kill(): boolean {
    return this.child.kill('SIGTERM');
  }
}
export const utilityProcess = {
  fork: (modulePath: string, _args: string[] = [], options: { serviceName?: string; env?: NodeJS.ProcessEnv } = {}) => new FakeUtilityProcess(modulePath, options),
};

/** What ipcMain.handle's listener receives from a frame of a webContents. */
export function invokeEvent(webContentsId: number, frameUrl: string | null, isMainFrame = true): unknown {
  return {
    sender: { id: webContentsId },
    senderFrame: frameUrl === null ? null : { url: frameUrl, parent: isMainFrame ? null : {} },
  };
}

/**
 * powerMonitor: an EventEmitter as Electron's is (its 'resume' event is emitted after the system wakes from
 * sleep); a test emits 'resume' itself.
 */
export const powerMonitor = new EventEmitter();
