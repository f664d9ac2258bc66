import type { Connection, ConnectionEvent, ConnectionField, ConnectionRouting } from '../../shared/connection';
import type { SourceConnection } from './platforms/source';

/** Previous reading of one connection, as the monitor needs it to compute rates and `connectedSince`. */
export interface PreviousReading {
  connection: Connection;
  readAt: number;
}

/**
 * Completes a backend's reading with what needs history: `connectedSince` (the backend's `upSince` where it
 * knows, else kept from the previous reading while still connected, else now) and throughput from successive
 * counters (null after a counter went backwards: the link was reset, not a negative rate).
 */
export function completeConnection(reading: SourceConnection, previous: PreviousReading | undefined, now: number, routing: ConnectionRouting | null = null): Connection {
  const { upSince, ...rest } = reading;
  let connectedSince: number | null = null;
  if (reading.state === 'connected') {
    connectedSince = upSince ?? (previous?.connection.state === 'connected' ? previous.connection.connectedSince : null) ?? now;
  }
  const elapsedSeconds = previous ? (now - previous.readAt) / 1000 : 0;
  const rate = (current: number | null, before: number | null | undefined, kept: number | null | undefined): number | null => {
    if (current === null || before === null || before === undefined) return null;
    if (elapsedSeconds <= 0) return kept ?? null;
    if (current < before) return null;
    return (current - before) / elapsedSeconds;
  };
  return {
    ...rest,
    connectedSince,
    rateIn: rate(reading.bytesIn, previous?.connection.bytesIn, previous?.connection.rateIn),
    rateOut: rate(reading.bytesOut, previous?.connection.bytesOut, previous?.connection.rateOut),
    routing,
  };
}

/**
 * One backend reading per id: when a read lists an id twice (a backend bug, or two handles rendered alike),
 * the LAST reading of that id wins, at the position of its first. `duplicates` names the ids that repeated,
 * so the caller can say so. Applied before diffing: events and snapshot then speak of one connection per id.
 */
export function lastReadingPerId<T extends { id: string }>(readings: readonly T[]): { readings: T[]; duplicates: string[] } {
  const byId = new Map<string, T>();
  const duplicates = new Set<string>();
  for (const reading of readings) {
    if (byId.has(reading.id)) duplicates.add(reading.id);
    byId.set(reading.id, reading);
  }
  return { readings: duplicates.size === 0 ? [...readings] : [...byId.values()], duplicates: [...duplicates] };
}

/** Deep equality of two field values as JSON would show them, except that NaN equals NaN. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a === 'number' && typeof b === 'number') return Number.isNaN(a) && Number.isNaN(b);
  if (a === null || b === null || typeof a !== 'object' || typeof b !== 'object') return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const keysA = Object.keys(a);
  if (keysA.length !== Object.keys(b).length) return false;
  // Same count and every key of a is b's own: the same keys.
  return keysA.every((key) => Object.hasOwn(b, key) && sameValue((a as Record<string, unknown>)[key], (b as Record<string, unknown>)[key]));
}

/**
 * The fields that differ between two readings of the same connection, in declaration order. The union of
 * both readings' keys is compared: a field that disappeared from the current reading is a change too.
 */
export function changedFields(previous: Connection, current: Connection): ConnectionField[] {
  const fields: ConnectionField[] = [];
  const keys = new Set([...Object.keys(current), ...Object.keys(previous)] as (keyof Connection)[]);
  for (const key of keys) {
    if (key !== 'id' && !sameValue(previous[key], current[key])) fields.push(key);
  }
  return fields;
}

/**
 * Diffs two lists into events: `removed` for ids gone (with their last known state, so a UI can say what
 * dropped), `added` for new ids, `changed` for ids whose fields differ. Order: removed, changed, added.
 * Each list holds an id once (lastReadingPerId).
 */
export function diffConnections(previous: readonly Connection[], current: readonly Connection[]): ConnectionEvent[] {
  const before = new Map(previous.map((connection) => [connection.id, connection]));
  const now = new Map(current.map((connection) => [connection.id, connection]));
  const events: ConnectionEvent[] = [];
  for (const connection of previous) {
    if (!now.has(connection.id)) events.push({ type: 'removed', connection });
  }
  for (const connection of current) {
    const old = before.get(connection.id);
    if (!old) continue;
    const fields = changedFields(old, connection);
    if (fields.length > 0) events.push({ type: 'changed', connection, previous: old, fields });
  }
  for (const connection of current) {
    if (!before.has(connection.id)) events.push({ type: 'added', connection });
  }
  return events;
}
