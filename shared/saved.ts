/**
 * Saved connections: the entries a user can bring up from Linkwatch (Windows phone-book entries, NetworkManager
 * VPN and WireGuard profiles) and the dials under way. Produced by the core (electron/core/saved.ts), printed by
 * `linkwatch entries --json` (schema in README.md), rendered in the popup's "Saved" section and the tray's
 * Connect submenu. Plain data only; never a password, nor anything standing in for one.
 */
import type { ConnectionKind, ErrorInfo } from './connection';

/**
 * Where the entry is saved: the user's phone book, the all-users phone book, NetworkManager (system), or
 * macOS's network services (service: System Settings' VPNs and Network Extension VPNs).
 */
export type SavedScope = 'user' | 'allUsers' | 'system' | 'service';

/** Where a dial is: under way, up, failed (with `error`), or cancelled by the user. */
export type DialPhase = 'dialling' | 'connected' | 'failed' | 'cancelled';

export interface DialStatus {
  /** The connection being brought up (what `connections:cancel` takes); null until the OS has given it one. */
  connectionId: string | null;
  phase: DialPhase;
  /** The backend's word for the step: a `RASCS_*` state, a NetworkManager state ("activating"). */
  detail: string;
  /** Why it failed: a RAS code and message (`{"code": 691, …}`), a NetworkManager reason. */
  error: ErrorInfo | null;
  /** Epoch ms when the dial started. */
  startedAt: number;
}

export interface SavedEntry {
  /** The entry's name as the OS has it: what `connections:connect` and `linkwatch connect` take. */
  name: string;
  scope: SavedScope;
  kind: ConnectionKind;
  /** The phone-book file (Windows); null elsewhere. Shown to scripts; the popup never sends it back. */
  phonebook: string | null;
  /** The active connection for this entry, matched to the live list; null when it is not up. */
  connectionId: string | null;
  /** The last dial Linkwatch made of it in this session, null when none (or after it connected). */
  dial: DialStatus | null;
  /**
   * Why Linkwatch cannot keep it connected (Keep connected, shared/reconnect.ts): a phone-book entry without a
   * saved password (RasGetEntryDialParamsW's lpfPassword is FALSE), where a redial would have to ask. Absent
   * or null: it can be kept.
   */
  keepBlocked?: string | null;
  /** The system reconnects it itself (NetworkManager `connection.autoconnect`): what the row says instead. */
  systemReconnects?: string | null;
}

/** What `entries --json` prints and what the popup's Saved section gets. */
export interface SavedState {
  /** False when the backend has no saved connections to offer (macOS; Linux without NetworkManager). */
  available: boolean;
  entries: SavedEntry[];
  /** Set when listing the entries failed; `entries` is then the last good list. */
  error: ErrorInfo | null;
}
