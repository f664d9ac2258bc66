/**
 * How the popup words and formats what the core reports. Pure functions only (no DOM, no clock): the unit
 * tests run them under plain Node, and the components pass `now` in from the shared clock.
 */
import type { Connection, ConnectionKind, ConnectionState, ErrorInfo } from '../shared/connection';
import { displayName, formatRate } from '../shared/format';
import { translate } from '../shared/i18n';

// Figures (bytes, rates, durations) are formatted by shared/format.ts, the same in the popup and the CLI.
export { displayName, formatBytes, formatDuration, formatRate } from '../shared/format';

const KIND_LABELS: Record<ConnectionKind, string> = { vpn: 'VPN', broadband: 'Broadband', dialup: 'Dial-up', other: 'Other' };
const STATE_LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting',
  connected: 'Connected',
  paused: 'Paused',
  disconnected: 'Disconnected',
};

export const AD_HOC_LABEL = 'dialled without an entry';

export function kindLabel(kind: ConnectionKind): string {
  return KIND_LABELS[kind];
}

export function stateLabel(state: ConnectionState): string {
  return STATE_LABELS[state];
}


/** "WAN Miniport (IKEv2) · vpn", leaving out a part the backend left empty. */
export function deviceLine(connection: Pick<Connection, 'deviceName' | 'deviceType'>): string {
  return [connection.deviceName, connection.deviceType].filter((part) => part.trim() !== '').join(' · ');
}

/**
 * Elapsed time for a screen reader, to the minute ("less than a minute", "1 hour 2 minutes"): it is part of
 * a row's accessible name, which should not change every second under a screen reader's cursor.
 */
export function spokenDuration(milliseconds: number): string {
  const total = Math.max(0, Math.floor(milliseconds / 1000));
  const plural = (value: number, unit: string): string => `${value} ${unit}${value === 1 ? '' : 's'}`;
  if (total < 60) return 'less than a minute';
  const days = Math.floor(total / 86_400);
  const hours = Math.floor((total % 86_400) / 3600);
  const minutes = Math.floor((total % 3600) / 60);
  const parts: string[] = [];
  if (days > 0) parts.push(plural(days, 'day'));
  if (hours > 0) parts.push(plural(hours, 'hour'));
  if (minutes > 0 && days === 0) parts.push(plural(minutes, 'minute'));
  return parts.join(' ');
}

/** "Access denied (code 691)": how the banner, a row's last error and a failed hang-up read. */
export function formatError(error: ErrorInfo): string {
  // Backends often put the code in the message already ("… (ERROR_AUTHENTICATION_FAILURE, 691)").
  return error.message.includes(String(error.code)) ? error.message : `${error.message} (code ${error.code})`;
}

export function connectionCount(count: number): string {
  return translate('common', 'connections.count', { count });
}

/**
 * One sentence that summarises a row for a screen reader (the row's accessible name): what it is, its state
 * and for how long, the device, the first address and the throughput where known.
 */
export function rowSummary(connection: Connection, now: number): string {
  const parts: string[] = [];
  const name = displayName(connection);
  parts.push(`${kindLabel(connection.kind)} ${name}${connection.adHoc ? `, ${AD_HOC_LABEL}` : ''}`);
  let state = stateLabel(connection.state).toLowerCase();
  if (connection.state === 'connected' && connection.connectedSince !== null) {
    state += ` for ${spokenDuration(now - connection.connectedSince)}`;
  }
  parts.push(state);
  const device = deviceLine(connection);
  if (device) parts.push(device);
  if (connection.addresses.length > 0) parts.push(`address ${connection.addresses.join(', ')}`);
  if (connection.rateIn !== null && connection.rateOut !== null) {
    parts.push(`receiving ${formatRate(connection.rateIn)}, sending ${formatRate(connection.rateOut)}`);
  }
  if (connection.lastError) parts.push(`last error: ${formatError(connection.lastError)}`);
  return parts.join(', ');
}
