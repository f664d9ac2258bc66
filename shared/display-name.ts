import type { Connection } from './connection';

/**
 * What to call the connection: an ad hoc call has no entry name, RAS names it "." + the number dialled. Its own
 * module (re-exported by ./format.ts) so that the popup's list can name rows without taking the `Intl`
 * formatters into the JavaScript its first paint waits for (issue 22: < 75 KB gzip).
 */
export function displayName(connection: Pick<Connection, 'name' | 'adHoc' | 'phoneNumber'>): string {
  if (!connection.adHoc) return connection.name;
  return connection.phoneNumber ?? connection.name.replace(/^\./, '');
}
