import { useEffect, useState } from 'react';
import type { ErrorInfo } from '../shared/connection';
import type { HistoryDay, HistorySession } from '../shared/history';
import type { LinkwatchBridge } from '../shared/ipc';
import { isPopupVisible } from './visibility';

/** The History view covers this many local days, today included. */
export const HISTORY_VIEW_DAYS = 7;
/** And at most this many sessions (the newest): a popup, not a report; `linkwatch history` has the rest. */
export const HISTORY_VIEW_LIMIT = 200;

export interface HistoryState {
  loaded: boolean;
  sessions: HistorySession[];
  days: HistoryDay[];
  error: ErrorInfo | null;
}

const INITIAL: HistoryState = { loaded: false, sessions: [], days: [], error: null };
const NO_BRIDGE: HistoryState = { ...INITIAL, loaded: true, error: { code: 'ENOBRIDGE', message: 'The popup is not connected to Linkwatch' } };

/** Local midnight `HISTORY_VIEW_DAYS - 1` days ago. */
export function historyViewStart(now: number): number {
  const start = new Date(now);
  start.setHours(0, 0, 0, 0);
  start.setDate(start.getDate() - (HISTORY_VIEW_DAYS - 1));
  return start.getTime();
}

/**
 * The History view's data, asked for when the view opens and again when a connection comes or goes while it
 * is open (the pushed update says so): the view follows events, it does not poll.
 */
export function useHistory(bridge: LinkwatchBridge | null, open: boolean): HistoryState {
  const [state, setState] = useState<HistoryState>(INITIAL);

  useEffect(() => {
    if (!open || !bridge) return;
    let live = true;
    const load = (): void => {
      Promise.all([bridge.invoke('history:sessions', { since: historyViewStart(Date.now()), limit: HISTORY_VIEW_LIMIT }), bridge.invoke('history:days', HISTORY_VIEW_DAYS)]).then(
        ([sessions, days]) => {
          if (!live) return;
          if (!sessions.ok) setState({ ...INITIAL, loaded: true, error: sessions.error });
          else if (!days.ok) setState({ ...INITIAL, loaded: true, error: days.error });
          else setState({ loaded: true, sessions: sessions.value, days: days.value, error: null });
        },
        (caught: unknown) => {
          if (live) setState({ ...INITIAL, loaded: true, error: { code: 'EIPC', message: String(caught) } });
        },
      );
    };
    load();
    const off = bridge.on('connections:update', (update) => {
      // Hidden, nothing loads or renders: the popup opens on the list anyway.
      if (isPopupVisible() && update.events.some((event) => event.type === 'added' || event.type === 'removed' || (event.type === 'changed' && event.fields.includes('state')))) load();
    });
    return () => {
      live = false;
      off();
    };
  }, [bridge, open]);

  return bridge ? state : NO_BRIDGE;
}
