import { useCallback, useEffect, useReducer } from 'react';
import type { ErrorInfo } from '../shared/connection';
import type { LinkwatchBridge } from '../shared/ipc';
import { INITIAL_STATE, reduce, type PopupState } from './store';
import type { StoreObserver } from './use-announcer';

export interface ConnectionsStore {
  state: PopupState;
  /** Hangs up one connection; resolves to the error to show, or null once the core accepted it. */
  hangUp(id: string): Promise<ErrorInfo | null>;
}

const NO_BRIDGE: ErrorInfo = { code: 'ENOBRIDGE', message: 'The popup is not connected to Linkwatch' };

/**
 * The store hook: subscribes once through the bridge, then every `connections:update` push goes through the
 * reducer. The popup never polls; `observer` (stable) sees the same answer and updates (the announcer).
 */
export function useConnections(bridge: LinkwatchBridge | null, observer?: StoreObserver): ConnectionsStore {
  const [state, dispatch] = useReducer(reduce, INITIAL_STATE, (initial) => (bridge ? initial : reduce(initial, { type: 'subscribe-failed', error: NO_BRIDGE })));

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
  }, [bridge, observer]);

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

  return { state, hangUp };
}
