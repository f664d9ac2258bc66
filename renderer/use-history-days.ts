import { useCallback, useEffect, useState } from 'react';
import type { LinkwatchBridge } from '../shared/ipc';

/**
 * The retention setting (`historyDays`) for the History view's control: read once, followed through
 * `settings:changed` pushes (the tray or another window may change settings too), changed by `settings:set`.
 */
export function useHistoryDays(bridge: LinkwatchBridge | null): { days: number | null; setDays(days: number): void } {
  const [days, setDaysState] = useState<number | null>(null);
  useEffect(() => {
    if (!bridge) return;
    let live = true;
    const off = bridge.on('settings:changed', (settings) => setDaysState(settings.historyDays));
    bridge.invoke('settings:get').then(
      (result) => {
        if (live && result.ok) setDaysState(result.value.historyDays);
      },
      () => {},
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  const setDays = useCallback(
    (next: number) => {
      setDaysState(next);
      void bridge?.invoke('settings:set', { historyDays: next }).then((result) => {
        if (result.ok) setDaysState(result.value.historyDays);
      });
    },
    [bridge],
  );
  return { days, setDays };
}
