import { useCallback, useEffect } from 'react';
import type { ErrorInfo } from '../shared/connection';
import type { LinkwatchBridge } from '../shared/ipc';
import { INITIAL_STATE, reduce, type PopupState } from './store';
import type { StoreObserver } from './use-announcer';
import { useShownState } from './visibility';

export interface ConnectionsStore {
  state: PopupState;
  /** Hangs up one connection; resolves to the error to show, or null once the core accepted it. */
  hangUp(id: string): Promise<ErrorInfo | null>;
  /** Reads the list again now (Retry under a stale list); resolves once the answer is in the store. */
  refresh(): Promise<void>;
}

const NO_BRIDGE: ErrorInfo = { code: 'ENOBRIDGE', message: 'The popup is not connected to Linkwatch' };
type Action = Parameters<typeof reduce>[1];

/**
 * The store hook: subscribes once through the bridge, then every `connections:update` push goes through the
 * reducer. The popup never polls; `observer` (stable) sees the same answer and updates (the announcer).
 */
export function useConnections(bridge: LinkwatchBridge | null, observer?: StoreObserver): ConnectionsStore {
  // Applied at once, rendered only while the popup is shown (visibility.ts): hidden, it does not render.
  const [state, update] = useShownState<PopupState>(() => (bridge ? INITIAL_STATE : reduce(INITIAL_STATE, { type: 'subscribe-failed', error: NO_BRIDGE })));
  const dispatch = useCallback((action: Action) => update((current) => reduce(current, action)), [update]);

  useEffect(() => {
    if (!bridge) return;
    let live = true;
    // Listen before asking, so no push between the answer and the listener is lost; the reducer drops
    // whichever of the two snapshots is older.
    const off = bridge.on('connections:update', (update) => {
      if (!live) return;
      dispatch({ type: 'update', update });
      observer?.update(update);
    });
    void bridge.invoke('connections:subscribe').then(
      (result) => {
        if (!live) return;
        if (result.ok) {
          dispatch({ type: 'subscribed', snapshot: result.value });
          observer?.subscribed(result.value);
        } else {
          dispatch({ type: 'subscribe-failed', error: result.error });
        }
      },
      (caught: unknown) => {
        if (live) dispatch({ type: 'subscribe-failed', error: { code: 'EIPC', message: String(caught) } });
      },
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge, observer, dispatch]);

  const hangUp = useCallback(
    async (id: string): Promise<ErrorInfo | null> => {
      if (!bridge) return NO_BRIDGE;
      try {
        const result = await bridge.invoke('connections:hang-up', id);
        return result.ok ? null : result.error;
      } catch (caught) {
        // The contract says errors come back as data; a rejected invoke means the bridge itself broke.
        return { code: 'EIPC', message: String(caught) };
      }
    },
    [bridge],
  );

  const refresh = useCallback(async (): Promise<void> => {
    if (!bridge) return;
    try {
      const result = await bridge.invoke('connections:refresh');
      if (result.ok) dispatch({ type: 'refreshed', snapshot: result.value });
    } catch {
      // The bridge itself broke: the banner stays, as it should.
    }
  }, [bridge, dispatch]);

  return { state, hangUp, refresh };
}
