import { useCallback, useEffect } from 'react';
import type { ErrorInfo } from '../shared/connection';
import type { LinkwatchBridge } from '../shared/ipc';
import type { SavedState } from '../shared/saved';
import type { StoreObserver } from './use-announcer';
import { useShownState } from './visibility';

export interface SavedStore {
  /** Null until main has answered. */
  state: SavedState | null;
  /** Start dialling; resolves to the error to show when main refused to start, else null. */
  connect(name: string): Promise<ErrorInfo | null>;
  cancel(connectionId: string): Promise<ErrorInfo | null>;
}

const NO_BRIDGE: ErrorInfo = { code: 'ENOBRIDGE', message: 'The popup is not connected to Linkwatch' };

/** The saved connections: asked for once, then kept current by `connections:saved` pushes (never polled). */
export function useSaved(bridge: LinkwatchBridge | null, observer?: StoreObserver): SavedStore {
  const [state, update] = useShownState<SavedState | null>(null);

  useEffect(() => {
    if (!bridge) return;
    let live = true;
    let pushed = false;
    const off = bridge.on('connections:saved', (next) => {
      if (!live) return;
      pushed = true;
      update(() => next);
      observer?.saved(next);
    });
    void bridge.invoke('connections:saved').then((result) => {
      // A push that arrived first is newer than this answer.
      if (live && result.ok && !pushed) {
        update(() => result.value);
        observer?.saved(result.value);
      }
    });
    return () => {
      live = false;
      off();
    };
  }, [bridge, observer, update]);

  const call = useCallback(
    async (run: (b: LinkwatchBridge) => ReturnType<LinkwatchBridge['invoke']>): Promise<ErrorInfo | null> => {
      if (!bridge) return NO_BRIDGE;
      try {
        const result = await run(bridge);
        return result.ok ? null : result.error;
      } catch (caught) {
        return { code: 'EIPC', message: String(caught) };
      }
    },
    [bridge],
  );
  const connect = useCallback((name: string) => call((b) => b.invoke('connections:connect', name)), [call]);
  const cancel = useCallback((connectionId: string) => call((b) => b.invoke('connections:cancel', connectionId)), [call]);
  return { state, connect, cancel };
}
