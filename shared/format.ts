import type { Connection } from './connection';

/** Human-readable figures and names, the same in the popup, the tray, notifications and the CLI table. */

// Sizes, rates and durations are formatted by `Intl` in the user's locale (shared/i18n/intl-format.ts).
export { formatBytes, formatDuration, formatRate } from './i18n/intl-format';

/** What to call the connection: an ad hoc call has no entry name, RAS names it "." + the number dialled. */
export function displayName(connection: Pick<Connection, 'name' | 'adHoc' | 'phoneNumber'>): string {
  if (!connection.adHoc) return connection.name;
  return connection.phoneNumber ?? connection.name.replace(/^\./, '');
}
