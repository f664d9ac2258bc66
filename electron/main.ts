/**
 * Linkwatch's main process: wires the connection monitor to the tray, the popup, notifications and IPC.
 * Kept thin on purpose: every decision lives in app-logic/ and core/, which run and are tested without
 * Electron.
 */
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app } from 'electron';
import type { Settings } from '../shared/ipc';
import { toErrorInfo } from './core/backend-error';
import { createRequestHandlers } from './app-logic/request-handlers';
import { NotificationPolicy } from './app-logic/notification-policy';
import { popupPageSource, preloadPath, trayIconDir } from './app-logic/popup-page';
import { trayMenuItems, type TrayMenuAction } from './app-logic/tray-menu';
import { ConnectionMonitor } from './core/monitor';
import { SavedConnections } from './core/saved';
import { startThreadedSource } from './core/platforms/threaded-source';
import { registerRequestHandlers } from './ipc';
import { createNotifier } from './notifications';
import { denyPermissions, hardenWebContents, PopupWindow, type TrayAnchor } from './popup-window';
import { loginItem, openSettings, reconcileLoginItem } from './settings';
import { AppTray } from './tray';

/** Windows shows toasts only for an app with an AppUserModelID; it must equal the packager's appId. */
const APP_USER_MODEL_ID = 'org.linkwatch.app';

async function start(): Promise<void> {
  await app.whenReady();
  // No Dock icon: Linkwatch lives in the menu bar (the packaged app also sets LSUIElement).
  app.dock?.hide();

  const mainDir = dirname(fileURLToPath(import.meta.url));
  const source = popupPageSource({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, mainDir });
  const iconDir = trayIconDir(mainDir);
  hardenWebContents();
  denyPermissions(source);

  const settings = await openSettings();
  const login = loginItem();
  await reconcileLoginItem(settings, login);

  // The backend's native calls run on a worker thread: a stuck RasMan RPC must not freeze the tray and IPC.
  // Backend reads run on a worker thread, so a slow OS call cannot freeze the tray and IPC.
  const connectionSource = await startThreadedSource({ workerUrl: new URL('./source-worker.js', import.meta.url) });
  const monitor = new ConnectionMonitor(connectionSource);
  // Saved connections (phone book, NetworkManager): the popup's Saved section and the tray's Connect submenu.
  const saved = new SavedConnections(connectionSource, monitor);
  let popupSavedSubscribed = false;
  let releaseCounters: (() => void) | null = null;
  let popupSubscribed = false;

  const popup = new PopupWindow({
    source,
    preload: preloadPath(mainDir),
    onVisibilityChange: (visible) => {
      // Someone looks: counters, and changes within a quarter second; hidden, the quiet cadence (FIELD-NOTES).
      if (visible && !releaseCounters) releaseCounters = monitor.wantLive();
      if (!visible && releaseCounters) {
        releaseCounters();
        releaseCounters = null;
      }
      popup.send('popup:visibility', visible);
      // A phone book or profile edited elsewhere (Windows' settings, nm-connection-editor) shows when the popup opens.
      if (visible) void saved.refresh();
    },
  });

  const tray = new AppTray({
    iconDir,
    onClick: (anchor) => popup.toggle(anchor),
    onMenuAction: (action, anchor) => onMenuAction(action, anchor),
  });
  const showMenu = (current: Settings): void =>
    tray.setMenu(trayMenuItems({ settings: current, canStartAtLogin: login.supported, saved: saved.state }), (name) => {
      saved.start(name).catch((caught: unknown) => console.error('linkwatch: cannot connect:', toErrorInfo(caught).message));
    });
  showMenu(settings.get());

  const notifier = createNotifier({ iconPath: join(iconDir, 'app.png'), onClick: () => popup.showAt(tray.anchor()) });
  const policy = new NotificationPolicy((toast) => {
    if (settings.get().notifications) notifier.show(toast);
  });

  settings.onChange((next, previous) => {
    if (next.startAtLogin !== previous.startAtLogin) {
      login.apply(next.startAtLogin).catch((caught: unknown) => console.error('linkwatch: cannot change the login item:', caught));
    }
    showMenu(next);
    popup.send('settings:changed', next);
  });

  function onMenuAction(action: TrayMenuAction, anchor: TrayAnchor): void {
    const current = settings.get();
    const saved = (promise: Promise<unknown>): void => {
      promise.catch((caught: unknown) => console.error('linkwatch: cannot save settings:', caught));
    };
    switch (action) {
      case 'open':
        popup.showAt(anchor);
        break;
      case 'start-at-login':
        saved(settings.update({ startAtLogin: !current.startAtLogin }));
        break;
      case 'notifications':
        saved(settings.update({ notifications: !current.notifications }));
        break;
      case 'quit':
        app.quit();
        break;
    }
  }

  const unregisterIpc = registerRequestHandlers(
    createRequestHandlers({
      monitor,
      settings,
      popup,
      onSubscribe: () => {
        popupSubscribed = true;
      },
      saved,
      onSavedSubscribe: () => {
        popupSavedSubscribed = true;
      },
    }),
    () => popup.trustedPage,
  );

  // One subscription for the whole app: the tray always shows the state, so the monitor always reads.
  const unsubscribe = monitor.subscribe((update) => {
    tray.update(update.snapshot);
    policy.update(update);
    if (popupSubscribed) popup.send('connections:update', update);
  });

  const unsubscribeSaved = saved.subscribe((state) => {
    showMenu(settings.get());
    if (popupSavedSubscribed) popup.send('connections:saved', state);
  });

  app.on('second-instance', () => popup.showAt(tray.anchor()));
  // macOS: opening the already running app from Finder or Spotlight activates it instead of a second instance.
  app.on('activate', () => popup.showAt(tray.anchor()));

  let cleanedUp = false;
  app.on('before-quit', () => {
    if (cleanedUp) return;
    cleanedUp = true;
    unsubscribe();
    unsubscribeSaved();
    releaseCounters?.();
    policy.dispose();
    unregisterIpc();
    monitor.close();
    tray.destroy();
    popup.destroy();
  });
}

if (!app.requestSingleInstanceLock()) {
  // Another Linkwatch is running: it got 'second-instance' and shows its popup.
  app.quit();
} else {
  if (process.platform === 'win32') app.setAppUserModelId(APP_USER_MODEL_ID);
  // A tray app lives on with no window open: without a listener Electron would quit here.
  app.on('window-all-closed', () => {});
  start().catch((caught: unknown) => {
    console.error('linkwatch: failed to start:', caught);
    app.exit(1);
  });
}
