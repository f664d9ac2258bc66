import type { SavedEntry } from '../shared/saved';

/** The dialler's steps in words (RASCS_* from ras.h, NetworkManager's active-connection states). */
const STEPS: Record<string, string> = {
  starting: 'Starting',
  RASCS_OpenPort: 'Opening the port',
  RASCS_PortOpened: 'Port opened',
  RASCS_ConnectDevice: 'Connecting the device',
  RASCS_DeviceConnected: 'Device connected',
  RASCS_AllDevicesConnected: 'Devices connected',
  RASCS_Authenticate: 'Signing in',
  RASCS_AuthNotify: 'Signing in',
  RASCS_AuthAck: 'Signing in',
  RASCS_Authenticated: 'Signed in',
  RASCS_AuthProject: 'Setting up the network',
  RASCS_Projected: 'Network set up',
  RASCS_ApplySettings: 'Applying settings',
  'NetworkManager activating': 'Activating',
  'NetworkManager activated': 'Activated',
  // macOS: the network service's status as scutil words it (configd nc.c nc_status_string)
  Connecting: 'Negotiating with the server',
  Disconnecting: 'Disconnecting',
};

export function dialStepText(detail: string): string {
  return STEPS[detail] ?? detail;
}

export const SCOPE_LABELS: Record<SavedEntry['scope'], string> = { user: 'Your connection', allUsers: 'All users', system: 'NetworkManager', service: 'System Settings' };

/** What the row says now, also its screen-reader summary. */
export function savedRowStatus(entry: SavedEntry): string {
  if (entry.dial?.phase === 'dialling') return `Connecting: ${dialStepText(entry.dial.detail)}…`;
  if (entry.connectionId || entry.dial?.phase === 'connected') return 'Connected';
  if (entry.dial?.phase === 'failed') return 'Couldn’t connect';
  return 'Not connected';
}
