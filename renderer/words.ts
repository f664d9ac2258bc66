/**
 * How the popup words a row: its status, the dialler's step, its stable accessible name. Pure (the catalogue
 * is plain data), so the unit tests run it under Node.
 */
import { translate } from '../shared/i18n';
import { connectionType, kindWord } from '../shared/i18n/words';
import type { Row, RowStatus } from './rows';

export function statusWord(status: RowStatus): string {
  return translate('popup', `row.status.${status}`);
}

/** The dialler's steps in plain words (`RASCS_*` from ras.h, NetworkManager's states, macOS's service status); the raw word is in the details. */
const STEPS: Record<string, string> = {
  starting: 'step.starting',
  RASCS_OpenPort: 'step.port',
  RASCS_PortOpened: 'step.port',
  RASCS_ConnectDevice: 'step.device',
  RASCS_DeviceConnected: 'step.device',
  RASCS_AllDevicesConnected: 'step.device',
  RASCS_Authenticate: 'step.signIn',
  RASCS_AuthNotify: 'step.signIn',
  RASCS_AuthAck: 'step.signIn',
  RASCS_AuthRetry: 'step.signIn',
  RASCS_Authenticated: 'step.signedIn',
  RASCS_AuthProject: 'step.network',
  RASCS_Projected: 'step.network',
  RASCS_ApplySettings: 'step.settings',
  'NetworkManager activating': 'step.activating',
  // macOS: the network service's status as scutil words it (configd nc.c nc_status_string)
  Starting: 'step.starting',
  Connecting: 'step.device',
  Disconnecting: 'step.disconnecting',
};

export function stepWord(detail: string): string {
  return translate('popup', STEPS[detail] ?? (/^(NetworkManager )?activat/i.test(detail) ? 'step.activating' : 'step.other'));
}

/** "IKEv2 VPN" for an active connection; the saved entry's kind ("VPN") while it is not up. */
export function rowType(row: Row): string {
  return row.connection ? connectionType(row.connection) : kindWord(row.kind);
}

/**
 * The row's accessible name: name, type and status, the words the row shows in that order, and nothing that
 * changes by itself (no rates, no ticking time, no dialling step): a screen reader re-reads a focused
 * control's name when it changes.
 */
export function rowName(row: Row): string {
  return translate('popup', 'row.name', { name: row.name, type: rowType(row), status: statusWord(row.status) });
}
