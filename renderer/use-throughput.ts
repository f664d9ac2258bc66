import { createContext, useContext, useEffect } from 'react';
import type { LinkwatchBridge } from '../shared/ipc';
import { addSamples, NO_THROUGHPUT, type RateSample, type Throughput } from './throughput';
import { useShownState } from './visibility';

/**
 * Collects the sparklines' samples from the same `connections:update` pushes the list gets: a listener of its
 * own on the bridge, so the connection store stays as it is. No request, no timer; hidden, samples are still
 * kept (they only arrive when the core reads counters) but nothing renders.
 */
export function useThroughput(bridge: LinkwatchBridge | null): Throughput {
  const [throughput, update] = useShownState<Throughput>(NO_THROUGHPUT);
  useEffect(() => {
    if (!bridge) return;
    return bridge.on('connections:update', (pushed) => update((current) => addSamples(current, pushed.snapshot)));
  }, [bridge, update]);
  return throughput;
}

export const ThroughputContext = createContext<Throughput>(NO_THROUGHPUT);

const NONE: readonly RateSample[] = [];

/** The samples of one connection, for its row's sparkline. */
export function useSamples(id: string): readonly RateSample[] {
  return useContext(ThroughputContext).get(id) ?? NONE;
}
