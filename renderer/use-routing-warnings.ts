import { useCallback, useEffect, useState } from 'react';
import type { RoutingWarning } from '../shared/connection';
import type { LinkwatchBridge, Settings } from '../shared/ipc';

/** Which settings key switches each routing warning (issue 25); an absent key means on. */
export const WARNING_SETTING: Record<RoutingWarning, 'warnIpv6Bypass' | 'warnDnsOutsideTunnel'> = {
  'ipv6-bypass': 'warnIpv6Bypass',
  'dns-outside-tunnel': 'warnDnsOutsideTunnel',
};

export type WarningSwitches = Record<RoutingWarning, boolean>;

function switchesOf(settings: Settings): WarningSwitches {
  return { 'ipv6-bypass': settings.warnIpv6Bypass !== false, 'dns-outside-tunnel': settings.warnDnsOutsideTunnel !== false };
}

/**
 * The routing warnings' switches: read once, followed through `settings:changed` pushes, changed by
 * `settings:set`. Null until read (no warning is shown before the user's choice is known).
 */
export function useRoutingWarnings(bridge: LinkwatchBridge | null): { switches: WarningSwitches | null; setWarning(warning: RoutingWarning, on: boolean): void } {
  const [switches, setSwitches] = useState<WarningSwitches | null>(null);
  useEffect(() => {
    if (!bridge) return;
    let live = true;
    const off = bridge.on('settings:changed', (settings) => setSwitches(switchesOf(settings)));
    bridge.invoke('settings:get').then(
      (result) => {
        if (live && result.ok) setSwitches(switchesOf(result.value));
      },
      () => {},
    );
    return () => {
      live = false;
      off();
    };
  }, [bridge]);
  const setWarning = useCallback(
    (warning: RoutingWarning, on: boolean) => {
      setSwitches((current) => (current ? { ...current, [warning]: on } : current));
      void bridge?.invoke('settings:set', { [WARNING_SETTING[warning]]: on }).then((result) => {
        if (result.ok) setSwitches(switchesOf(result.value));
      });
    },
    [bridge],
  );
  return { switches, setWarning };
}
