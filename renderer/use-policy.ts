import { useEffect, useState } from 'react';
import type { LinkwatchBridge } from '../shared/ipc';
import type { PolicyState } from '../shared/policy';

const NONE: PolicyState = { locked: [], hideConnectControls: false };

/**
 * The administrator's policy as the popup needs it: which settings are locked ("Set by your organisation")
 * and whether Connect/Cancel/Disconnect are offered. Read once, followed through `settings:policy` pushes.
 * Until the answer comes, nothing is locked and the controls show: the main process refuses a request the
 * policy forbids anyway (request-handlers.ts), so the page is never the only guard.
 */
export function usePolicy(bridge: LinkwatchBridge | null): PolicyState {
  const [policy, setPolicy] = useState<PolicyState>(NONE);
  useEffect(() => {
    if (!bridge) return;
    let live = true;
    const off = bridge.on('settings:policy', (next) => setPolicy(next));
    bridge.invoke('settings:policy').then(
      (result) => {
        if (live && result.ok) setPolicy(result.value);
      },
      () => {},
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  return policy;
}
