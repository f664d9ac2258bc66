/**
 * What Keep connected says in notifications (shared/reconnect.ts): "Office VPN reconnected after 12 s"; the
 * first failed attempt of an outage with its reason and the next try; a failure that needs the user once,
 * saying that Linkwatch now waits. Later failed attempts of the same outage stay quiet (the popup and the
 * history have them): a server down for an hour must not toast twelve times.
 */
import type { ReconnectEvent } from '../../shared/reconnect';
import { formatDuration } from '../../shared/format';
import type { Toast } from './notification-policy';

function seconds(ms: number): string {
  return ms < 60_000 ? `${Math.max(1, Math.round(ms / 1000))} s` : formatDuration(ms);
}

export function reconnectToast(event: ReconnectEvent): Toast | null {
  const reason = event.error ? `${event.error.message} (${event.error.code})` : 'no reason given';
  switch (event.step) {
    case 'connected':
      return { title: event.downForMs === null ? `${event.name} reconnected` : `${event.name} reconnected after ${seconds(event.downForMs)}`, body: `Keep connected: attempt ${event.attempt}.` };
    case 'failed':
      if (event.attempt !== 1) return null;
      return { title: `${event.name} could not reconnect yet`, body: `${reason}. Next attempt in ${seconds(event.delayMs ?? 0)}.` };
    case 'needs-user':
      return { title: `${event.name} could not reconnect`, body: `${reason}. Linkwatch will not retry: connect it yourself once this is fixed.` };
    default:
      return null;
  }
}
