/**
 * Linkwatch's main process: wires the connection monitor to the tray, the popup, notifications and IPC.
 * Kept thin on purpose: every decision lives in app-logic/ and core/, which run and are tested without
 * Electron. Nothing native is loaded here: the connection core runs in its own process (core-host.ts), so a
 * backend that hangs or crashes can neither freeze nor kill the tray.
 *
 * Order matters: the tray, the popup, IPC and `second-instance` exist before the backend has answered
 * anything (RasMan can hang at login); the first read is not awaited, the popup says "Reading connections…".
 */
import { spawn } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, powerMonitor } from 'electron';
import type { Settings } from '../shared/ipc';
import { toErrorInfo } from './core/backend-error';
import { appUserModelId, isAllowedNavigation, QUIT_DEADLINE_MS, x11Relaunch } from './app-logic/launch';
import { notificationFailure } from './app-logic/notification-failure';
import { createRequestHandlers, toggledName } from './app-logic/request-handlers';
import { setupStayConnected, type StayConnected } from './app-logic/stay-connected';
import { NotificationPolicy } from './app-logic/notification-policy';
import { popupPageSource, preloadPath, trayIconDir } from './app-logic/popup-page';
import { trayMenuItems, type TrayMenuAction, type TrayMenuNotes } from './app-logic/tray-menu';
import { appHistoryPath } from './core/history/history-path';
import { openHistory } from './core/history/record-history';
import { createCoreSource } from './core/host/core-client';
import { rereadOnCoreRestart } from './core/host/reread-on-restart';
import { ConnectionMonitor } from './core/monitor';
import { SavedConnections } from './core/saved';
import { pickBackend } from './core/platforms/pick';
import { utilityCore } from './core-host';
import { registerRequestHandlers } from './ipc';
import { createNotifier } from './notifications';
import { denyPermissions, hardenWebContents, PopupWindow, type TrayAnchor } from './popup-window';
import { loginItem, openSettings, reconcileLoginItem } from './settings';
import { AppTray } from './tray';
import { AppExport } from './app-logic/app-export';
import { watchPolicy } from './app-logic/policy-sync';
import { toJsonSnapshot } from './core/snapshot-json';
import { chooseExportFolder } from './export-folder';
import { policyState } from '../shared/policy';
import { setLocale } from '../shared/i18n';

/** Shows the popup once the tray exists; a second launch before that is remembered and served then. */
let showPopup: (() => void) | null = null;
let showRequested = false;

async function start(): Promise<void> {
  await app.whenReady();
  // The tray menu, notifications and dialogs speak the app's locale (Chromium's, what the popup's navigator.language
  // also reports; `--lang=en-XA` gives the pseudo-locale). Electron: app.getLocale() only after `ready`.
  setLocale(app.getLocale());
  // No Dock icon: Linkwatch lives in the menu bar (the packaged app also sets LSUIElement).
  app.dock?.hide();

  const mainDir = dirname(fileURLToPath(import.meta.url));
  const source = popupPageSource({ isPackaged: app.isPackaged, devServerUrl: process.env.ELECTRON_RENDERER_URL, mainDir });
  const iconDir = trayIconDir(mainDir);
  hardenWebContents((url) => isAllowedNavigation(url, source, app.isPackaged));
  denyPermissions(source);

  // The core process starts now and answers when it answers; nothing below waits for it.
  const coreEntry = join(mainDir, 'core-process.js');
  const core = createCoreSource({ backend: pickBackend().kind, spawn: utilityCore(coreEntry) });
  const monitor = new ConnectionMonitor(core);

  const settings = await openSettings();
  const login = loginItem();
  // Saved connections (phone book, NetworkManager): the popup's Saved section and the tray's Connect submenu.
  const savedConnections = new SavedConnections(core, monitor);
  let popupSavedSubscribed = false;
  let releaseCounters: (() => void) | null = null;
  let popupSubscribed = false;
  const notes: TrayMenuNotes = {};
  let stayConnected: StayConnected | null = null;

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
      if (visible) void savedConnections.refresh();
    },
  });

  const tray = new AppTray({
    iconDir,
    onClick: (anchor) => popup.toggle(anchor),
    onMenuAction: (action, anchor) => onMenuAction(action, anchor),
  });
  const showMenu = (current: Settings): void =>
    tray.setMenu(
      trayMenuItems({
        settings: current,
        canStartAtLogin: login.supported,
        notes,
        saved: savedConnections.state,
        policy: settings.getPolicy(),
        connections: monitor.snapshot.connections,
      }),
      (name) => {
        savedConnections.start(name).catch((caught: unknown) => console.error('linkwatch: cannot connect:', toErrorInfo(caught).message));
      },
      (id) => {
        monitor.hangUp(id).catch((caught: unknown) => console.error('linkwatch: cannot disconnect:', toErrorInfo(caught).message));
      },
      (name, on) => saved(settings.update({ keepConnected: toggledName(settings.get().keepConnected, name, on) })),
    );
  showMenu(settings.get());

  const notifier = createNotifier({
    iconPath: join(iconDir, 'app.png'),
    onClick: () => popup.showAt(tray.anchor()),
    onFailed: (error) => {
      const failure = notificationFailure(process.platform, error);
      notes.notifications = failure.reason;
      if (failure.turnOff && settings.get().notifications) saved(settings.update({ notifications: false }));
      else showMenu(settings.get());
    },
    onShown: () => {
      if (!notes.notifications) return;
      delete notes.notifications;
      showMenu(settings.get());
    },
  });
  const policy = new NotificationPolicy((toast) => {
    if (settings.get().notifications) notifier.show(toast);
  });

  function saved(promise: Promise<unknown>): void {
    promise.catch((caught: unknown) => console.error('linkwatch: cannot save settings:', caught));
  }

  settings.onChange((next, previous) => {
    if (next.startAtLogin !== previous.startAtLogin) {
      if (next.startAtLogin) delete notes['start-at-login'];
      login.apply(next.startAtLogin).then(
        (problem) => {
          if (!problem) return;
          // The OS did not take it: the checkbox must not claim otherwise; the reason shows under it.
          notes['start-at-login'] = problem;
          saved(settings.update({ startAtLogin: false }));
        },
        (caught: unknown) => console.error('linkwatch: cannot change the login item:', caught),
      );
    }
    if (next.notifications && !previous.notifications) delete notes.notifications;
    showMenu(next);
    popup.send('settings:changed', next);
  });

  function onMenuAction(action: TrayMenuAction, anchor: TrayAnchor): void {
    const current = settings.get();
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
      case 'export':
        if (current.exportDirectory !== null) saved(settings.update({ exportDirectory: null }));
        else saved(chooseExportFolder().then((folder) => (folder === null ? null : settings.update({ exportDirectory: folder }))));
        break;
      case 'quit':
        // Not inside the menu's own click handler: quitting destroys the tray that is still dispatching it
        // (known crashes on macOS). The next turn of the event loop is outside it.
        setImmediate(() => app.quit());
        break;
    }
  }

  // The sessions' history (history.sqlite in userData); it starts listening below, after the tray and popup.
  const history = openHistory(appHistoryPath(app.getPath('userData')), { retentionDays: settings.get().historyDays });
  if (history.problem) console.error(`linkwatch: ${history.problem}`);
  settings.onChange((next, previous) => {
    if (next.historyDays !== previous.historyDays) history.recorder?.setRetentionDays(next.historyDays);
  });

  // The administrator's policy, read in the core process (the Windows registry is read natively there).
  const stopPolicy = watchPolicy(core, settings, (problem) => console.error(`linkwatch: policy: ${problem}`));
  settings.onPolicyChange((next) => {
    showMenu(settings.get());
    popup.send('settings:policy', policyState(next));
  });

  // The Prometheus textfile export, while a folder is set (tray menu or policy).
  const exporter = new AppExport({
    monitor,
    statusDocument: toJsonSnapshot,
    saved: () => savedConnections.state,
    history: history.recorder,
    onError: (error) => console.error(`linkwatch: cannot write the export: ${error.message}`),
  });
  void exporter.setDirectory(settings.get().exportDirectory);
  settings.onChange((next) => void exporter.setDirectory(next.exportDirectory));

  const unregisterIpc = registerRequestHandlers(
    createRequestHandlers({
      monitor,
      settings,
      popup,
      onSubscribe: () => {
        popupSubscribed = true;
      },
      saved: savedConnections,
      onSavedSubscribe: () => {
        popupSavedSubscribed = true;
      },
      history: history.recorder,
      keep: { get statuses() { return stayConnected?.keep.statuses ?? []; } },
    }),
    () => popup.trustedPage,
  );

  showPopup = () => popup.showAt(tray.anchor());
  if (showRequested) showPopup();
  // macOS: opening the already running app from Finder or Spotlight activates it instead of a second instance.
  app.on('activate', () => popup.showAt(tray.anchor()));

  // One subscription for the whole app: the tray always shows the state, so the monitor always reads. Its
  // first read is not awaited: the tray says "starting…" and the popup "Reading connections…" until then.
  const unsubscribe = monitor.subscribe((update) => {
    tray.update(update.snapshot);
    showMenu(settings.get()); // the Disconnect submenu follows the list (an unchanged menu is not rebuilt)
    policy.update(update);
    if (popupSubscribed) popup.send('connections:update', update);
  });
  // After the tray's and the popup's listener: the history's write never delays what they show.
  history.attach(monitor);
  // Health (stall notifications) and Keep connected (issue 26): app-logic/stay-connected.ts.
  const recorder = history.recorder;
  stayConnected = setupStayConnected({
    monitor,
    saved: savedConnections,
    settings,
    notify: (toast) => {
      if (settings.get().notifications) notifier.show(toast);
    },
    ...(recorder ? { recordEvent: (event) => void recorder.store.insertEvent(event) } : {}),
    onResume: (listener) => {
      powerMonitor.on('resume', listener);
      return () => powerMonitor.off('resume', listener);
    },
    onKeepStatus: (statuses) => popup.send('connections:keep', statuses),
    // The core process probes, where its backend can (Linux ping sockets); nothing native runs here.
    ...(core.probe ? { probe: (request) => core.probe!(request), probed: monitor } : {}),
  });
  // A core process that died (or came back) is news now: netlink has no safety read to notice it later.
  rereadOnCoreRestart(core, monitor);

  const unsubscribeSaved = savedConnections.subscribe((state) => {
    showMenu(settings.get());
    exporter.changed();
    if (popupSavedSubscribed) popup.send('connections:saved', state);
  });

  // Reading the login item may touch the disk (Linux autostart): after the tray is up.
  void reconcileLoginItem(settings, login);

  // LINKWATCH_TEST_HOOKS=1 only (the Electron test tier, test/electron/): what the tray shows and how the core
  // runs, read by Playwright in this process, and the tray menu's Open (a tray icon cannot be clicked from a
  // test). Nothing is exposed otherwise.
  if (process.env.LINKWATCH_TEST_HOOKS === '1') {
    const hooks = globalThis as { linkwatchTestState?: unknown; linkwatchTestOpen?: unknown };
    hooks.linkwatchTestState = () => ({ tray: tray.shown(), popupVisible: popup.isVisible(), core: core.status, coreEntry });
    hooks.linkwatchTestOpen = () => onMenuAction('open', tray.anchor());
  }

  let cleanedUp = false;
  app.on('before-quit', (event) => {
    if (cleanedUp) return;
    cleanedUp = true;
    // The UI goes at once; the core process gets a moment to close its source, then is killed, and only
    // then does the app exit: a backend hung in a native call never keeps Linkwatch (and its
    // single-instance lock) alive.
    event.preventDefault();
    unsubscribe();
    unsubscribeSaved();
    stayConnected?.dispose();
    stopPolicy();
    const exportClosed = exporter.close();
    history.close();
    releaseCounters?.();
    policy.dispose();
    unregisterIpc();
    monitor.close();
    tray.destroy();
    popup.destroy();
    const deadline = setTimeout(() => app.exit(0), QUIT_DEADLINE_MS);
    void Promise.allSettled([core.shutdown(), exportClosed]).finally(() => {
      clearTimeout(deadline);
      app.quit();
    });
  });
}

/** Electron's usual start: one instance, a tray that outlives its windows, a second launch shows the popup. */
function startHere(): void {
  if (!app.requestSingleInstanceLock()) {
    // Another Linkwatch is running: it got 'second-instance' and shows its popup.
    app.quit();
    return;
  }
  if (process.platform === 'win32') app.setAppUserModelId(appUserModelId(app.isPackaged, process.execPath));
  // A tray app lives on with no window open: without a listener Electron would quit here.
  app.on('window-all-closed', () => {});
  // At once, not after startup: a second launch during it must not be lost (it quits right after asking).
  app.on('second-instance', () => {
    if (showPopup) showPopup();
    else showRequested = true;
  });
  start().catch((caught: unknown) => {
    console.error('linkwatch: failed to start:', caught);
    app.exit(1);
  });
}

// A Wayland session, launched without the XWayland flag (a terminal, an AppImage run by hand): see launch.ts.
const relaunch = app.isPackaged ? x11Relaunch(process.platform, process.env, process.argv, process.execPath) : null;
if (relaunch?.kind === 'electron') {
  app.relaunch({ args: relaunch.args });
  app.exit(0);
} else if (relaunch?.kind === 'appimage') {
  // The AppImage file itself, in its own session: it outlives this process and the mount that goes with it.
  const child = spawn(relaunch.command, relaunch.args, { detached: true, stdio: 'ignore' });
  child.once('spawn', () => {
    child.unref();
    app.exit(0);
  });
  // Not startable (moved, no longer executable): better a native Wayland popup than no app at all.
  child.once('error', (caught) => {
    console.error(`linkwatch: cannot relaunch ${relaunch.command} through XWayland:`, caught.message);
    startHere();
  });
} else {
  startHere();
}
