/**
 * The popup under test, for real: the production renderer build (out/renderer, built by global-setup.ts)
 * served from 127.0.0.1 with the app's CSP, and a `window.linkwatch` whose every call lands on a real
 * ConnectionMonitor in this Node process. Any ConnectionSource works (the fake rasapi32, a Linux source, a
 * scripted one), so other backends reuse the same browser tests.
 *
 *     const monitor = new ConnectionMonitor(createRasSource(fake.path));
 *     const popup = await openPopup(page, { monitor, server: popupServer });   // or `test` below
 *     ...
 *     popup.close(); monitor.close();
 *
 * What it stands in for is Electron itself: requests go through the app's own dispatcher and handlers
 * (electron/app-logic: validation by the contract's schemas, errors as `IpcResult` data), updates are
 * pushed in order as electron/main.ts pushes them, and showing the popup claims byte counters as the app does.
 */
import { createReadStream } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { extname, join, normalize, resolve, sep } from 'node:path';
import { test as base, type Page } from '@playwright/test';
import { createDispatcher } from '../../electron/app-logic/ipc-dispatch';
import { createRequestHandlers, type HandlerDeps } from '../../electron/app-logic/request-handlers';
import { effectiveSettings, LockedSettingError } from '../../electron/app-logic/settings-store';
import type { ConnectionMonitor } from '../../electron/core/monitor';
import type { SavedConnections } from '../../electron/core/saved';
import { DEFAULT_SETTINGS, type PushChannel, type PushPayloads, type RequestChannel, type Settings } from '../../shared/ipc';
import { NO_POLICY, type PolicySettingKey, policyState, type Policy } from '../../shared/policy';
import { REPO_ROOT, RENDERER_OUT } from './build-renderer';

/** The popup's Content-Security-Policy, read from renderer/index.html so the server sends the very same. */
export async function popupCsp(): Promise<string> {
  const html = await readFile(join(REPO_ROOT, 'renderer/index.html'), 'utf8');
  const match = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('renderer/index.html has no Content-Security-Policy meta tag');
  return match[1];
}

export interface PopupServer {
  /** URL of the popup page. */
  url: string;
  close(): Promise<void>;
}

const MIME: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.woff2': 'font/woff2',
};

/** A static server for the built popup on 127.0.0.1 (a free port), sending the CSP as a header too. */
export async function servePopup(root: string = RENDERER_OUT): Promise<PopupServer> {
  const csp = await popupCsp();
  const base = resolve(root);
  const server = createServer((request, response) => {
    const pathname = decodeURIComponent(new URL(request.url ?? '/', 'http://127.0.0.1').pathname);
    const file = normalize(join(base, pathname === '/' ? 'index.html' : pathname));
    if (!file.startsWith(base + sep)) {
      response.writeHead(403).end();
      return;
    }
    stat(file).then(
      (info) => {
        if (!info.isFile()) throw new Error('not a file');
        response.writeHead(200, {
          'Content-Type': MIME[extname(file)] ?? 'application/octet-stream',
          'Content-Security-Policy': csp,
          'Cache-Control': 'no-store',
        });
        createReadStream(file).pipe(response);
      },
      () => response.writeHead(404).end(),
    );
  });
  await new Promise<void>((resolveListen) => server.listen(0, '127.0.0.1', resolveListen));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/index.html`,
    close: () => new Promise<void>((resolveClose) => server.close(() => resolveClose())),
  };
}

export interface BridgeOptions {
  monitor: ConnectionMonitor;
  /** Initial settings answered by `settings:get`. */
  settings?: Settings;
  /** Saved connections over the same monitor's source (electron/core/saved.ts), as main.ts makes them. */
  saved?: SavedConnections;
  /** What answers the history channels (a HistoryRecorder over a temp file); without it they answer ENOHISTORY. */
  history?: HandlerDeps['history'];
  /** The administrator's policy in force (`settings:policy`); without it, none. */
  policy?: Policy;
  /** Keep connected's statuses, as main.ts passes them (issue 26). */
  keep?: HandlerDeps['keep'];
}

export interface RequestRecord {
  channel: RequestChannel;
  args: unknown[];
}

/** The Node side of the page's `window.linkwatch`. */
export interface PopupBridge {
  /** Every request the page made, in order (validated or not). */
  readonly requests: readonly RequestRecord[];
  /** Requests that failed in a handler, as the main process would log them. */
  readonly failures: readonly string[];
  /** How many times the page asked to be hidden (`popup:hide`, Escape). */
  hideRequests(): number;
  /** Push on any channel, in order with the monitor's updates. */
  push<C extends PushChannel>(channel: C, payload: PushPayloads[C]): Promise<void>;
  /**
   * A new administrator's policy, as main.ts applies one (app-logic/policy-sync.ts): what `settings:policy`
   * answers from now on, and its `settings:policy` push.
   */
  setPolicy(policy: Policy): Promise<void>;
  /** What the app does when it shows or hides the popup: push `popup:visibility`, claim/release counters. */
  setVisible(visible: boolean): Promise<void>;
  /** Resolves once every push queued so far has reached the page. */
  flushed(): Promise<void>;
  /** Stop listening to the monitor (the monitor itself stays the caller's). */
  close(): void;
}

const PAGE_BINDING = '__linkwatchInvoke';
const PAGE_DISPATCH = '__linkwatchPush';

/**
 * The preload stand-in, run in the page before its scripts: `window.linkwatch` with LinkwatchBridge's
 * shape, `invoke` going to the exposed binding, pushes dispatched by the Node side through `PAGE_DISPATCH`.
 * Playwright injects init scripts and bindings past the page's CSP, as Electron injects a preload. It is
 * source text, not a function: a function would be serialised with whatever helpers the TypeScript loader
 * (tsx, Playwright's) wrapped it in, which do not exist in the page.
 */
const BRIDGE_SCRIPT = `(() => {
  const listeners = new Map();
  Object.defineProperty(window, ${JSON.stringify(PAGE_DISPATCH)}, {
    value: (channel, payload) => {
      for (const listener of [...(listeners.get(channel) || [])]) listener(payload);
    },
  });
  Object.defineProperty(window, 'linkwatch', {
    value: Object.freeze({
      // The binding is looked up per call: Playwright installs it, not necessarily before this script.
      invoke: (channel, ...args) => window[${JSON.stringify(PAGE_BINDING)}](channel, args),
      on: (channel, listener) => {
        let set = listeners.get(channel);
        if (!set) listeners.set(channel, (set = new Set()));
        set.add(listener);
        return () => { set.delete(listener); };
      },
    }),
  });
})();`;

/**
 * Wire `page`'s `window.linkwatch` to `monitor` the way electron/main.ts does, with the app's own request
 * handlers and dispatcher (electron/app-logic): one app-wide subscription to the monitor (the tray's, in the
 * app), whose updates are pushed once the page has subscribed. Call before navigating.
 */
export async function attachBridge(page: Page, { monitor, settings = DEFAULT_SETTINGS, saved, history = null, policy = NO_POLICY, keep }: BridgeOptions): Promise<PopupBridge> {
  const requests: RequestRecord[] = [];
  const failures: string[] = [];
  let hides = 0;
  let current: Settings = { ...settings };
  let currentPolicy: Policy = policy;
  let popupSubscribed = false;
  let releaseCounters: (() => void) | null = null;
  let unsubscribeSaved: (() => void) | null = null;
  // Pushes are chained: each reaches the page before the next is sent, like IPC messages on one channel.
  let queue: Promise<void> = Promise.resolve();

  const push = <C extends PushChannel>(channel: C, payload: PushPayloads[C]): Promise<void> => {
    queue = queue.then(() =>
      page.evaluate(([dispatch, name, data]) => (globalThis as unknown as Record<string, (c: string, p: unknown) => void>)[dispatch]?.(name, data), [PAGE_DISPATCH, channel, payload] as const).then(
        () => undefined,
        () => undefined, // the page closed or navigated: nothing to deliver to
      ),
    );
    return queue;
  };

  const handlers = createRequestHandlers({
    monitor,
    // As the app's SettingsStore (app-logic/settings-store.ts): the policy's locked values win, and a change
    // to a locked setting is refused (LockedSettingError), changing nothing.
    settings: {
      get: () => effectiveSettings(current, currentPolicy),
      update: async (patch) => {
        const locked = (Object.keys(patch) as PolicySettingKey[]).filter((key) => Object.hasOwn(currentPolicy.locked, key));
        if (locked.length > 0) throw new LockedSettingError(locked);
        current = { ...current, ...patch };
        const settings = effectiveSettings(current, currentPolicy);
        void push('settings:changed', settings);
        return settings;
      },
      getPolicy: () => currentPolicy,
    },
    popup: {
      hide: () => {
        hides += 1;
      },
    },
    onSubscribe: () => {
      popupSubscribed = true;
    },
    ...(saved ? { saved } : {}),
    onSavedSubscribe: () => {
      if (saved && !unsubscribeSaved) unsubscribeSaved = saved.subscribe((state) => void push('connections:saved', state));
    },
    history,
    ...(keep ? { keep } : {}),
  });
  // The page is our own; the sender check that matters here is the top frame (no iframe may call).
  const dispatcher = createDispatcher(handlers, { isTrusted: (sender) => sender.isMainFrame, log: (message) => failures.push(message) });
  const unsubscribe = monitor.subscribe((update) => {
    if (popupSubscribed) void push('connections:update', update);
  });

  await page.exposeBinding(PAGE_BINDING, (source, channel: unknown, args: unknown) => {
    const list = Array.isArray(args) ? args : [];
    requests.push({ channel: channel as RequestChannel, args: list });
    const sender = { webContentsId: 1, frameUrl: source.frame.url(), isMainFrame: source.frame === source.page.mainFrame() };
    return dispatcher.dispatch(channel, sender, list);
  });
  await page.addInitScript({ content: BRIDGE_SCRIPT });

  return {
    requests,
    failures,
    hideRequests: () => hides,
    push,
    async setPolicy(next) {
      currentPolicy = next;
      // main.ts pushes both: the policy, and the settings it changed (the store's listeners).
      void push('settings:policy', policyState(next));
      await push('settings:changed', effectiveSettings(current, next));
    },
    async setVisible(visible) {
      if (visible && !releaseCounters) releaseCounters = monitor.wantLive();
      if (!visible && releaseCounters) {
        releaseCounters();
        releaseCounters = null;
      }
      await push('popup:visibility', visible);
    },
    flushed: () => queue,
    close() {
      popupSubscribed = false;
      unsubscribe();
      unsubscribeSaved?.();
      unsubscribeSaved = null;
      releaseCounters?.();
      releaseCounters = null;
    },
  };
}

/** Attach the bridge, open the popup and show it (focus on the first row, counters claimed). */
export async function openPopup(page: Page, options: BridgeOptions & { server: PopupServer }): Promise<PopupBridge> {
  const bridge = await attachBridge(page, options);
  await page.goto(options.server.url);
  await bridge.setVisible(true);
  return bridge;
}

/**
 * Collects what must never happen in the popup: a CSP violation (something inline or remote slipped in) or
 * an uncaught page error. Check the returned list is empty at the end of the test.
 */
export function watchPageProblems(page: Page): string[] {
  const problems: string[] = [];
  page.on('console', (message) => {
    const text = message.text();
    // A <meta> CSP cannot carry frame-ancestors (the app's header does): Chromium's notice is not a violation.
    if (/Content Security Policy/i.test(text) && !/frame-ancestors/.test(text)) problems.push(text);
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  return problems;
}

/** `test` with a worker-scoped `popupServer` fixture: one static server per worker. */
export const test = base.extend<object, { popupServer: PopupServer }>({
  popupServer: [
    // eslint-disable-next-line no-empty-pattern -- Playwright reads the fixture's dependencies from this pattern
    async ({}, use) => {
      const server = await servePopup();
      await use(server);
      await server.close();
    },
    { scope: 'worker' },
  ],
});

export { expect } from '@playwright/test';
