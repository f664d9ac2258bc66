/** Connections and snapshots as the monitor produces them, for the app-logic tests. */
import type { Connection, MonitorUpdate, Snapshot } from '../../../shared/connection';
import { connection as baseConnection } from '../../support/connections';

export function connection(overrides: Partial<Connection> & Pick<Connection, 'id' | 'name'>): Connection {
  return baseConnection({ mtu: 1400, connectedSince: 1_700_000_000_000, ...overrides });
}

export function snapshot(connections: Connection[], overrides: Partial<Snapshot> = {}): Snapshot {
  return { platform: 'win32', backend: 'rasapi32', updates: 'push', connections, error: null, takenAt: 1_700_000_000_000, verdict: null, ...overrides };
}

/** An update carrying only the snapshot: the policies read the snapshot, not the event list. */
export function update(connections: Connection[]): MonitorUpdate {
  return { events: [], snapshot: snapshot(connections) };
}
