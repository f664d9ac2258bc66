/**
 * Connections for tests, one definition: as a backend reports them (`sourceConnection`) and as the monitor
 * hands them on (`connection`). Every field filled the way the RAS backend fills it; override what the test
 * is about.
 */
import type { Connection } from '../../shared/connection';
import type { SourceConnection } from '../../electron/core/platforms/source';

/** A connection as a backend reports it, with every field filled the way the RAS backend would. */
export function sourceConnection(overrides: Partial<SourceConnection> & { id: string }): SourceConnection {
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
    lastError: null,
    canDisconnect: false,
    ...overrides,
  };
}

/** A complete Connection as the monitor hands it to the tray, the CLI and the popup. */
export function connection(overrides: Partial<Connection> & { id: string }): Connection {
  const { upSince: _upSince, ...reading } = sourceConnection({ canDisconnect: true, ...overrides });
  return { ...reading, rateIn: null, rateOut: null, connectedSince: 1_000, routing: null, ...overrides };
}
