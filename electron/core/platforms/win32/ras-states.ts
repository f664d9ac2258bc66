import type { ConnectionState } from '../../../../shared/connection';

/**
 * ras.h `enum tagRASCONNSTATE`, every value. RASCS_PAUSED (0x1000) starts the states in which RasDial waits
 * for the caller; RASCS_DONE (0x2000) starts the terminal ones. RASCS_ApplySettings (24) is WINVER >= 0x601.
 */
export const RASCONNSTATE_NAMES: ReadonlyMap<number, string> = new Map([
  [0, 'RASCS_OpenPort'],
  [1, 'RASCS_PortOpened'],
  [2, 'RASCS_ConnectDevice'],
  [3, 'RASCS_DeviceConnected'],
  [4, 'RASCS_AllDevicesConnected'],
  [5, 'RASCS_Authenticate'],
  [6, 'RASCS_AuthNotify'],
  [7, 'RASCS_AuthRetry'],
  [8, 'RASCS_AuthCallback'],
  [9, 'RASCS_AuthChangePassword'],
  [10, 'RASCS_AuthProject'],
  [11, 'RASCS_AuthLinkSpeed'],
  [12, 'RASCS_AuthAck'],
  [13, 'RASCS_ReAuthenticate'],
  [14, 'RASCS_Authenticated'],
  [15, 'RASCS_PrepareForCallback'],
  [16, 'RASCS_WaitForModemReset'],
  [17, 'RASCS_WaitForCallback'],
  [18, 'RASCS_Projected'],
  [19, 'RASCS_StartAuthentication'],
  [20, 'RASCS_CallbackComplete'],
  [21, 'RASCS_LogonNetwork'],
  [22, 'RASCS_SubEntryConnected'],
  [23, 'RASCS_SubEntryDisconnected'],
  [24, 'RASCS_ApplySettings'],
  [0x1000, 'RASCS_Interactive'],
  [0x1001, 'RASCS_RetryAuthentication'],
  [0x1002, 'RASCS_CallbackSetByCaller'],
  [0x1003, 'RASCS_PasswordExpired'],
  [0x1004, 'RASCS_InvokeEapUI'],
  [0x2000, 'RASCS_Connected'],
  [0x2001, 'RASCS_Disconnected'],
]);

export const RASCS_PAUSED = 0x1000;
export const RASCS_Connected = 0x2000;
export const RASCS_Disconnected = 0x2001;

export interface RasStateInfo {
  state: ConnectionState;
  /** The RASCS_ name, or "RASCONNSTATE 0x…" for a value this ras.h does not know. */
  detail: string;
}

function classify(value: number): ConnectionState {
  if (value === RASCS_Connected) return 'connected';
  if (value === RASCS_Disconnected) return 'disconnected';
  if (value >= RASCS_PAUSED && value < RASCS_Connected && RASCONNSTATE_NAMES.has(value)) return 'paused';
  // Every RasDial step before RASCS_PAUSED, and any value a newer Windows adds, is still on the way up.
  return 'connecting';
}

// Interned so a snapshot of 256 connections allocates no state objects.
const KNOWN: ReadonlyMap<number, RasStateInfo> = new Map(
  [...RASCONNSTATE_NAMES].map(([value, name]) => [value, Object.freeze({ state: classify(value), detail: name })]),
);

/** What a RASCONNSTATE value means for the popup; unknown values are `connecting`, named by their number. */
export function rasState(value: number): RasStateInfo {
  return KNOWN.get(value) ?? { state: 'connecting', detail: `RASCONNSTATE 0x${value.toString(16)} (${value})` };
}
