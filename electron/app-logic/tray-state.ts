/**
 * What the tray says at a glance: an icon state and a tooltip, both computed from the monitor's snapshot.
 * Detail belongs in the popup; the tooltip only summarises.
 */
import type { Connection, Snapshot } from '../../shared/connection';
import { displayName } from '../../shared/format';
import '../../shared/i18n/all';
import { translator } from '../../shared/i18n';

// The tooltip's words come from the catalogue's `tray` namespace (shared/i18n/en/tray.json).
const t = translator('tray');

/** `stalled`: a connection says connected, but packets go out and nothing comes back (shared/health.ts). */
export type TrayState = 'idle' | 'connected' | 'connecting' | 'error' | 'stalled';
export const TRAY_STATES: readonly TrayState[] = ['idle', 'connected', 'connecting', 'error', 'stalled'];

/**
 * The Windows tray tooltip is `NOTIFYICONDATAW.szTip[128]`, terminating NUL included: 127 UTF-16 units
 * survive, the rest is cut without warning. The same limit is kept everywhere so every user reads the same.
 */
export const TOOLTIP_MAX = 127;
/** A long phone-book name must not push every other connection out of the tooltip. */
const NAME_MAX = 40;
const ELLIPSIS = '…';

/**
 * The worst news wins: a backend that cannot read (or a dial that failed) is an error; a connected link
 * that stalled (nothing comes back) is "stalled"; any link being set up or paused is "connecting"; any link up is "connected"; otherwise idle.
 */
export function trayStateOf(snapshot: Snapshot): TrayState {
  const { connections } = snapshot;
  if (snapshot.error) return 'error';
  if (connections.some((connection) => connection.state === 'disconnected' && connection.lastError)) return 'error';
  // A dead tunnel that claims to be up is worse news than one still being set up.
  if (connections.some((connection) => connection.state === 'connected' && connection.health?.status === 'stalled')) return 'stalled';
  if (connections.some((connection) => connection.state === 'connecting' || connection.state === 'paused')) return 'connecting';
  if (connections.some((connection) => connection.state === 'connected')) return 'connected';
  return 'idle';
}

/** Cut to `max` UTF-16 units with an ellipsis, never splitting a surrogate pair (emoji in entry names). */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  let end = max - ELLIPSIS.length;
  const code = text.charCodeAt(end - 1);
  if (code >= 0xd800 && code <= 0xdbff) end -= 1;
  return text.slice(0, end).trimEnd() + ELLIPSIS;
}

function firstAddress(connection: Connection): string | null {
  // IPv4 first: it is the one users quote; CIDR suffix dropped, it is noise in a tooltip.
  const v4 = connection.addresses.find((address) => !address.includes(':'));
  const chosen = v4 ?? connection.addresses[0];
  return chosen ? chosen.replace(/\/\d+$/, '') : null;
}

/** One tooltip line for a connection: its name and either its address (up) or what it is doing. */
export function tooltipLine(connection: Connection): string {
  const name = truncate(displayName(connection) || connection.deviceName || t('tooltip.unnamed'), NAME_MAX);
  switch (connection.state) {
    case 'connected': {
      if (connection.health?.status === 'stalled') return t('tooltip.stalled', { name });
      const address = firstAddress(connection);
      return address ? t('tooltip.address', { name, address }) : t('tooltip.connected', { name });
    }
    case 'connecting':
      return t('tooltip.connecting', { name });
    case 'paused':
      return t('tooltip.paused', { name });
    case 'disconnected':
      return connection.lastError ? t('tooltip.failed', { name, code: String(connection.lastError.code) }) : t('tooltip.disconnected', { name });
  }
}

/**
 * "Linkwatch" and one line per connection, as many as fit in TOOLTIP_MAX; the rest become "+N more".
 * A backend error comes first, since it means the list may be stale.
 */
export function trayTooltip(snapshot: Snapshot, appName = 'Linkwatch'): string {
  const lines: string[] = [];
  if (snapshot.error) lines.push(truncate(t('tooltip.cannotRead', { message: snapshot.error.message }), 60));
  const connections = snapshot.connections;
  if (connections.length === 0 && !snapshot.error) {
    return snapshot.takenAt === null ? t('tooltip.starting', { app: appName }) : t('tooltip.none', { app: appName });
  }

  const header = appName;
  const body = connections.map(tooltipLine);
  const join = (parts: string[]): string => [header, ...parts].join('\n');
  // Keep as many lines as fit together with the "+N more" line that accounts for the rest.
  for (let shown = body.length; shown >= 0; shown -= 1) {
    const hidden = body.length - shown;
    const parts = [...lines, ...body.slice(0, shown)];
    if (hidden > 0) parts.push(t('tooltip.more', { count: hidden }));
    const text = join(parts);
    if (text.length <= TOOLTIP_MAX) return text;
  }
  return truncate(join([...lines, t('tooltip.count', { count: body.length })]), TOOLTIP_MAX);
}

/**
 * The icon file for a state. macOS gets "Template" images (black + alpha) that the menu bar recolours for
 * light, dark and highlighted menu bars; the shapes then carry the state. Electron picks the `@1.25x`…`@3x`
 * siblings of the file by the display's scale factor.
 */
export function trayIconFile(state: TrayState, platform: string): string {
  return platform === 'darwin' ? `tray-${state}Template.png` : `tray-${state}.png`;
}
