/**
 * The preload's `window.linkwatch`, built over anything shaped like `ipcRenderer` so it runs in plain Node
 * tests. Only the channels of `shared/ipc.ts` pass; `ipcRenderer` itself, and the IPC event (which carries
 * `sender`), never reach the page.
 */
import { PUSH_CHANNELS, REQUEST_CHANNELS, type IpcResult, type LinkwatchBridge, type PushChannel, type RequestChannel } from '../../shared/ipc';

/** The part of Electron's `ipcRenderer` the bridge uses. */
export interface RendererIpc {
  invoke(channel: string, ...args: unknown[]): Promise<unknown>;
  on(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
  removeListener(channel: string, listener: (event: unknown, ...args: unknown[]) => void): unknown;
}

const requestChannels = new Set<string>(REQUEST_CHANNELS);
const pushChannels = new Set<string>(PUSH_CHANNELS);

function failure(code: string, message: string): IpcResult<never> {
  return { ok: false, error: { code, message } };
}

export function createBridge(ipc: RendererIpc): LinkwatchBridge {
  const bridge = {
    async invoke(channel: RequestChannel, ...args: unknown[]): Promise<IpcResult<unknown>> {
      if (!requestChannels.has(channel)) return failure('EUNKNOWNCHANNEL', `no such request channel: ${String(channel)}`);
      try {
        return (await ipc.invoke(channel, ...args)) as IpcResult<unknown>;
      } catch (caught) {
        // Only when main has no handler yet (starting, quitting): still an answer, not an exception.
        return failure('EIPC', caught instanceof Error ? caught.message : String(caught));
      }
    },
    on(channel: PushChannel, listener: (payload: unknown) => void): () => void {
      if (!pushChannels.has(channel)) throw new Error(`no such push channel: ${String(channel)}`);
      if (typeof listener !== 'function') throw new TypeError('listener must be a function');
      const forward = (_event: unknown, payload: unknown): void => listener(payload);
      ipc.on(channel, forward);
      return () => {
        ipc.removeListener(channel, forward);
      };
    },
  };
  // The generic signatures of LinkwatchBridge are checked where the popup calls them; this object implements
  // them for every channel at once.
  return bridge as LinkwatchBridge;
}
