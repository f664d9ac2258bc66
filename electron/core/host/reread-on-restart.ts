/**
 * A core process that died, or came back, is news now: the monitor reads at once. Where push is complete
 * (netlink: no safety read) nothing else would: the list would keep the dead core's ECORE error, or miss
 * what changed while no core was watching, until the next change. The new core's subscriptions are made
 * again by the client (core-client.ts); this makes the read that catches up.
 */
import type { ConnectionMonitor } from '../monitor';
import type { CoreSource } from './core-client';

export function rereadOnCoreRestart(core: Pick<CoreSource, 'onStatusChange'>, monitor: Pick<ConnectionMonitor, 'refresh'>): () => void {
  return core.onStatusChange((status) => {
    if (status.state === 'restarting' || status.state === 'running') void monitor.refresh();
  });
}
