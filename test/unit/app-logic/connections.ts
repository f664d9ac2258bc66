/** Connections and snapshots as the monitor produces them, for the app-logic tests. */
import type { Connection, MonitorUpdate, Snapshot } from '../../../shared/connection';

export function connection(overrides: Partial<Connection> & Pick<Connection, 'id' | 'name'>): Connection {
  return {
    kind: 'vpn',
    state: 'connected',
    stateDetail: 'RASCS_Connected',
    deviceType: 'vpn',
    deviceName: 'WAN Miniport (IKEv2)',
    phonebook: null,
    adHoc: false,
    phoneNumber: null,
    owner: null,
    addresses: [],
    mtu: 1400,
    bytesIn: null,
    bytesOut: null,
    rateIn: null,
    rateOut: null,
    connectedSince: 1_700_000_000_000,
    lastError: null,
    canDisconnect: true,
    ...overrides,
  };
}

export function snapshot(connections: Connection[], overrides: Partial<Snapshot> = {}): Snapshot {
  return { platform: 'win32', backend: 'rasapi32', connections, error: null, takenAt: 1_700_000_000_000, ...overrides };
}

/** An update carrying only the snapshot: the policies read the snapshot, not the event list. */
export function update(connections: Connection[]): MonitorUpdate {
  return { events: [], snapshot: snapshot(connections) };
}
