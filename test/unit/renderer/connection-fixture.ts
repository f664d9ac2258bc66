import type { Connection, MonitorUpdate, Snapshot } from '../../../shared/connection';

/** A complete Connection as the monitor hands it to the popup; override what the test is about. */
export function connection(overrides: Partial<Connection> & { id: string }): Connection {
  return {
    name: overrides.id,
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
    mtu: null,
    bytesIn: null,
    bytesOut: null,
    rateIn: null,
    rateOut: null,
    connectedSince: 1_000,
    lastError: null,
    canDisconnect: true,
    ...overrides,
  };
}

export function snapshot(connections: Connection[], takenAt: number | null, error: Snapshot['error'] = null): Snapshot {
  return { platform: 'win32', backend: 'rasapi32', connections, error, takenAt };
}

export function update(events: MonitorUpdate['events'], after: Snapshot): MonitorUpdate {
  return { events, snapshot: after };
}
