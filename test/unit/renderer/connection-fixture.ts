import type { Connection, MonitorUpdate, Snapshot } from '../../../shared/connection';

export { connection } from '../../support/connections';

export function snapshot(connections: Connection[], takenAt: number | null, error: Snapshot['error'] = null): Snapshot {
  return { platform: 'win32', backend: 'rasapi32', updates: 'push', connections, error, takenAt, verdict: null };
}

export function update(events: MonitorUpdate['events'], after: Snapshot): MonitorUpdate {
  return { events, snapshot: after };
}
