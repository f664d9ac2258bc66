/**
 * IPC glue: every request channel of `shared/ipc.ts` gets `ipcMain.handle`, answered by the dispatcher
 * (sender check, argument validation, `IpcResult`), and pushes go out typed by channel.
 */
import { ipcMain, type IpcMainInvokeEvent, type WebContents } from 'electron';
import { REQUEST_CHANNELS, type PushChannel, type PushPayloads } from '../shared/ipc';
import { createDispatcher, isTrustedSender, type RequestHandlers, type SenderInfo, type TrustedPage } from './app-logic/ipc-dispatch';

function senderInfo(event: IpcMainInvokeEvent): SenderInfo {
  try {
    const frame = event.senderFrame;
    return { webContentsId: event.sender.id, frameUrl: frame ? frame.url : null, isMainFrame: frame ? frame.parent === null : false };
  } catch {
    // The frame was disposed while the message was in flight: nobody to trust.
    return { webContentsId: event.sender.id, frameUrl: null, isMainFrame: false };
  }
}

/** Register a handler for every request channel; returns the function that removes them (quit). */
export function registerRequestHandlers(handlers: RequestHandlers, trustedPage: () => TrustedPage): () => void {
  const dispatcher = createDispatcher(handlers, { isTrusted: (sender) => isTrustedSender(sender, trustedPage(), process.platform) });
  for (const channel of REQUEST_CHANNELS) {
    ipcMain.handle(channel, (event, ...args: unknown[]) => dispatcher.dispatch(channel, senderInfo(event), args));
  }
  return () => {
    for (const channel of REQUEST_CHANNELS) ipcMain.removeHandler(channel);
  };
}

/** Push to the popup; a window being torn down is skipped rather than thrown at. */
export function push<C extends PushChannel>(contents: WebContents | null, channel: C, payload: PushPayloads[C]): void {
  if (!contents || contents.isDestroyed()) return;
  contents.send(channel, payload);
}
