/**
 * The main-process side of the IPC contract, without Electron: one handler per request channel of
 * `shared/ipc.ts` (a missing one is a compile error), a check that the call comes from the popup's own page,
 * run-time validation of the arguments, and every outcome as an `IpcResult`. Nothing thrown here reaches the
 * renderer or takes the main process down.
 */
import { isRequestChannel, parseRequestArgs, type IpcResult, type RequestArgs, type RequestChannel, type RequestResults } from '../../shared/ipc';
import { describeValue, toErrorInfo } from '../core/backend-error';

export type RequestHandler<C extends RequestChannel> = (...args: RequestArgs<C>) => RequestResults[C] | Promise<RequestResults[C]>;

/** Exactly one handler per request channel. */
export type RequestHandlers = { [C in RequestChannel]: RequestHandler<C> };

/** Who sent a request, as read from Electron's `IpcMainInvokeEvent` (`sender.id`, `senderFrame`). */
export interface SenderInfo {
  webContentsId: number;
  /** `senderFrame.url`; null when the frame is gone (navigated away or destroyed) before the call arrived. */
  frameUrl: string | null;
  /** The frame is its page's top frame, not an iframe. */
  isMainFrame: boolean;
}

/** What the popup is: its webContents and the page it must be showing. */
export interface TrustedPage {
  webContentsId: number | null;
  /** The URL the popup loads (file:// of index.html, or the dev server's URL). */
  url: string;
}

/**
 * A file: URL's path as Windows compares it: the drive letter in one case. Chromium's URL canonicalizer
 * upper-cases the drive letter of a file: URL (url/url_canon_fileurl.cc, FileDoDriveSpec), while Node's
 * pathToFileURL keeps the case it is given: an app started as `c:\…` loads `file:///C:/…`. Drive letters are
 * case-insensitive on Windows; the rest of the path is left as it is, since Chromium keeps its case and a
 * folder can be made case-sensitive (`fsutil file setCaseSensitiveInfo`).
 */
function comparablePath(pathname: string, platform: string): string {
  const decoded = decodeURIComponent(pathname);
  if (platform !== 'win32') return decoded;
  return decoded.replace(/^\/([a-z]):(?=\/|$)/i, (_whole, drive: string) => `/${drive.toUpperCase()}:`);
}

/**
 * The same page: for file: URLs the same host and the same file (a `file://other.host/…/index.html` is another
 * machine's file, not ours); for http(s) (the dev server) the same origin. Query and fragment do not make
 * another page. Never throws: a URL that does not parse or decode is not ours.
 */
function samePage(actual: string, expected: string, platform: string): boolean {
  try {
    const a = new URL(actual);
    const b = new URL(expected);
    if (b.protocol === 'file:') {
      return a.protocol === 'file:' && a.host === b.host && comparablePath(a.pathname, platform) === comparablePath(b.pathname, platform);
    }
    return a.origin === b.origin;
  } catch {
    return false;
  }
}

/**
 * Only the popup's top frame, showing our own page, may call: not an iframe, not a page it navigated to.
 * `platform`: whose path rules the file: URL follows (process.platform in the app).
 */
export function isTrustedSender(sender: SenderInfo, page: TrustedPage, platform: string = process.platform): boolean {
  if (page.webContentsId === null || sender.webContentsId !== page.webContentsId) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  return samePage(sender.frameUrl, page.url, platform);
}

export interface IpcDispatcher {
  /** Answer one request. Never throws and never rejects. */
  dispatch(channel: unknown, sender: SenderInfo, args: readonly unknown[]): Promise<IpcResult<unknown>>;
}

export interface DispatcherOptions {
  isTrusted: (sender: SenderInfo) => boolean;
  /** Where failures are reported (the main process's log). */
  log?: (message: string, detail?: unknown) => void;
}

export function createDispatcher(handlers: RequestHandlers, options: DispatcherOptions): IpcDispatcher {
  const write = options.log ?? ((message: string, detail?: unknown) => console.error(`linkwatch: ${message}`, detail ?? ''));
  // Logging a hostile value (a getter that throws while it is formatted) must not turn an answer into a throw.
  const log = (message: string, detail?: unknown): void => {
    try {
      write(message, detail);
    } catch {
      /* nothing more to do: the answer still goes back */
    }
  };

  async function answer(channel: unknown, sender: SenderInfo, args: readonly unknown[]): Promise<IpcResult<unknown>> {
    if (!isRequestChannel(channel)) {
      return { ok: false, error: { code: 'EUNKNOWNCHANNEL', message: `no such request channel: ${describeValue(channel).slice(0, 100)}` } };
    }
    let trusted: boolean;
    try {
      trusted = options.isTrusted(sender);
    } catch {
      trusted = false;
    }
    if (!trusted) {
      log(`refused ${channel} from webContents ${describeValue(sender.webContentsId)} (${describeValue(sender.frameUrl ?? 'no frame')})`);
      return { ok: false, error: { code: 'EFORBIDDEN', message: `${channel}: the sender is not the Linkwatch popup` } };
    }
    const parsed = parseRequestArgs(channel, [...args]);
    if (!parsed.ok) return parsed;
    try {
      // The map pairs each channel with its handler; TypeScript cannot follow a generic key through it.
      const handler = handlers[channel] as (...handlerArgs: unknown[]) => unknown;
      const value = await handler(...(parsed.value as unknown[]));
      return { ok: true, value };
    } catch (caught) {
      log(`${channel} failed`, caught);
      return { ok: false, error: toErrorInfo(caught) };
    }
  }

  return {
    async dispatch(channel, sender, args) {
      try {
        return await answer(channel, sender, args);
      } catch (caught) {
        // Not reachable with what Electron hands us; the contract says never throw, so still an answer.
        log('dispatch failed', caught);
        return { ok: false, error: { code: 'EINTERNAL', message: toErrorInfo(caught).message } };
      }
    },
  };
}
