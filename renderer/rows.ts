/**
 * The popup's one list: every saved entry and every active connection, one row per profile. A saved entry that
 * is dialling or up is the same row as its connection (its button changes in place: Connect → Cancel →
 * Disconnect, Retry after a failure); an active connection with no saved entry (a VPN adapter, a Linux
 * tunnel, an ad hoc call) is a row of its own. Connected rows come first, then those on their way, then the
 * rest; within a group the order the core gave, so rows do not jump while nothing about them changes.
 * Pure: the unit tests run it on plain objects.
 */
import type { Connection, ConnectionKind, ErrorInfo } from '../shared/connection';
import { displayName } from '../shared/format';
import type { SavedEntry, SavedState } from '../shared/saved';

/** What the row says it is doing, one word. */
export type RowStatus = 'connected' | 'connecting' | 'paused' | 'disconnected' | 'idle' | 'failed';

/** The one button of a row. */
export type RowAction = 'connect' | 'cancel-dial' | 'cancel-connecting' | 'disconnect' | 'retry' | null;

export interface Row {
  /** Stable across state changes: the entry's (scope + name) for saved rows, the connection id otherwise. */
  key: string;
  name: string;
  kind: ConnectionKind;
  status: RowStatus;
  connection: Connection | null;
  entry: SavedEntry | null;
  action: RowAction;
  /** The connection id the action acts on (hang-up, cancel); null when the system has not given one yet. */
  target: string | null;
  /** Why the last dial failed, where it did. */
  failure: ErrorInfo | null;
  /** The dialler's step while dialling (`RASCS_*`, NetworkManager's word). */
  step: string | null;
}

const ORDER: Record<RowStatus, number> = { connected: 0, paused: 1, connecting: 2, failed: 3, disconnected: 4, idle: 5 };

function connectionStatus(connection: Connection): RowStatus {
  return connection.state;
}

function connectionAction(connection: Connection): RowAction {
  if (!connection.canDisconnect) return null;
  if (connection.state === 'connecting') return 'cancel-connecting';
  if (connection.state === 'connected' || connection.state === 'paused') return 'disconnect';
  return null;
}

function savedRow(entry: SavedEntry, connection: Connection | null): Row {
  const base = { key: `saved:${entry.scope}:${entry.name}`, name: entry.name, kind: connection?.kind ?? entry.kind, connection, entry, failure: null, step: null };
  const dial = entry.dial;
  if (dial?.phase === 'dialling') return { ...base, status: 'connecting', action: 'cancel-dial', target: dial.connectionId, step: dial.detail };
  if (connection && connection.state !== 'disconnected') return { ...base, status: connectionStatus(connection), action: connectionAction(connection), target: connection.id };
  // A failed dial may leave its connection listed as disconnected (RAS keeps the handle until hung up): still
  // this row, with the dial's reason (or the connection's last error).
  if (dial?.phase === 'failed') return { ...base, status: 'failed', action: 'retry', target: null, failure: dial.error ?? connection?.lastError ?? null };
  return { ...base, status: 'idle', action: 'connect', target: null };
}

export function mergeRows(connections: readonly Connection[], saved: SavedState | null): Row[] {
  const byId = new Map(connections.map((connection) => [connection.id, connection]));
  const claimed = new Set<string>();
  const rows: Row[] = [];
  const entries = saved?.available ? saved.entries : [];
  for (const entry of entries) {
    const id = entry.connectionId ?? entry.dial?.connectionId ?? null;
    // RAS names a connection after its entry: a connection the core did not match (a failed dial's, one made
    // outside Linkwatch) is still this profile's when the name is the entry's.
    const connection = (id ? byId.get(id) : undefined) ?? connections.find((candidate) => !candidate.adHoc && candidate.name === entry.name && !claimed.has(candidate.id)) ?? null;
    if (connection) claimed.add(connection.id);
    rows.push(savedRow(entry, connection));
  }
  for (const connection of connections) {
    if (claimed.has(connection.id)) continue;
    rows.push({
      key: `connection:${connection.id}`,
      name: displayName(connection),
      kind: connection.kind,
      status: connectionStatus(connection),
      connection,
      entry: null,
      action: connectionAction(connection),
      target: connection.id,
      failure: null,
      step: connection.state === 'connecting' ? connection.stateDetail : null,
    });
  }
  // Active connections before saved-only rows within a group (the order above), then by group: a stable sort.
  const active = rows.filter((row) => row.connection).concat(rows.filter((row) => !row.connection));
  return active.map((row, index) => ({ row, index })).sort((a, b) => ORDER[a.row.status] - ORDER[b.row.status] || a.index - b.index).map(({ row }) => row);
}
