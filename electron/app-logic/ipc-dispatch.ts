/**
 * The main-process side of the IPC contract, without Electron: one handler per request channel of
 * `shared/ipc.ts` (a missing one is a compile error), a check that the call comes from the popup's own page,
 * run-time validation of the arguments, and every outcome as an `IpcResult`. Nothing thrown here reaches the
 * renderer or takes the main process down.
 */
import { isRequestChannel, parseRequestArgs, type IpcResult, type RequestArgs, type RequestChannel, type RequestResults } from '../../shared/ipc';
import { toErrorInfo } from '../core/backend-error';

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

function samePage(actual: string, expected: string): boolean {
  let a: URL;
  let b: URL;
  try {
    a = new URL(actual);
    b = new URL(expected);
  } catch {
    return false;
  }
  // file:// URLs have the null origin: compare the file itself. http(s) (dev server): the origin.
  if (b.protocol === 'file:') return a.protocol === 'file:' && decodeURIComponent(a.pathname) === decodeURIComponent(b.pathname);
  return a.origin === b.origin;
}

/** Only the popup's top frame, showing our own page, may call: not an iframe, not a page it navigated to. */
export function isTrustedSender(sender: SenderInfo, page: TrustedPage): boolean {
  if (page.webContentsId === null || sender.webContentsId !== page.webContentsId) return false;
  if (!sender.isMainFrame || sender.frameUrl === null) return false;
  return samePage(sender.frameUrl, page.url);
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
  const log = options.log ?? ((message: string, detail?: unknown) => console.error(`linkwatch: ${message}`, detail ?? ''));
  return {
    async dispatch(channel, sender, args) {
      if (!isRequestChannel(channel)) {
        return { ok: false, error: { code: 'EUNKNOWNCHANNEL', message: `no such request channel: ${String(channel).slice(0, 100)}` } };
      }
      let trusted: boolean;
      try {
        trusted = options.isTrusted(sender);
      } catch {
        trusted = false;
      }
      if (!trusted) {
        log(`refused ${channel} from webContents ${sender.webContentsId} (${sender.frameUrl ?? 'no frame'})`);
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
    },
  };
}
