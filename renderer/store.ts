/**
 * The popup's state and the one reducer that changes it: the subscribe answer and every pushed update go
 * through `reduce`. Pure (no DOM, no bridge) so the unit tests drive it with plain objects.
 */
import { applyEvents } from '../shared/apply-events';
import type { Connection, ConnectionEvent, ErrorInfo, MonitorUpdate, Snapshot, UpdateMode } from '../shared/connection';

export interface PopupState {
  /** False until the first snapshot that the core actually read (`takenAt` set) or a failed subscribe. */
  loaded: boolean;
  /** The last good list, in a stable order: rows never jump when the backend reorders its list. */
  connections: Connection[];
  /** The backend's error state (banner); the list above stays as it was last read. */
  error: ErrorInfo | null;
  /** `takenAt` of the newest snapshot applied: an older one arriving late is ignored. */
  takenAt: number | null;
  /** How the core keeps the list current (push or poll), shown discreetly; null before the first snapshot. */
  updates: UpdateMode | null;
  /** `takenAt` of the newest read that succeeded: what a stale list is "as of", and where its timers stop. */
  readAt: number | null;
}

export type PopupAction =
  | { type: 'subscribed'; snapshot: Snapshot }
  | { type: 'subscribe-failed'; error: ErrorInfo }
  | { type: 'update'; update: MonitorUpdate }
  /** The answer to a Retry (`connections:refresh`): a snapshot like the subscribe answer. */
  | { type: 'refreshed'; snapshot: Snapshot };

export const INITIAL_STATE: PopupState = { loaded: false, connections: [], error: null, takenAt: null, updates: null, readAt: null };

export function reduce(state: PopupState, action: PopupAction): PopupState {
  switch (action.type) {
    case 'subscribe-failed':
      return { ...state, loaded: true, error: action.error };
    case 'subscribed':
    case 'refreshed':
      return applySnapshot(state, action.snapshot, null);
    case 'update':
      return applySnapshot(state, action.update.snapshot, action.update.events.filter(isConnectionEvent));
  }
}

function isConnectionEvent(event: MonitorUpdate['events'][number]): event is ConnectionEvent {
  return event.type !== 'error';
}

/**
 * Events applied to the list we hold keep the rows' order and the identity of untouched rows; the snapshot
 * is the truth, so when the two disagree on which connections exist (an update missed before the subscribe
 * answer arrived, for one) the snapshot's list wins.
 */
function applySnapshot(state: PopupState, snapshot: Snapshot, events: ConnectionEvent[] | null): PopupState {
  if (isOlder(snapshot.takenAt, state.takenAt)) return state;
  let connections = snapshot.connections;
  if (events && state.loaded) {
    const applied = applyEvents(state.connections, events);
    if (sameMembers(applied, snapshot.connections)) connections = applied;
  }
  return {
    loaded: state.loaded || snapshot.takenAt !== null,
    connections,
    error: snapshot.error,
    takenAt: snapshot.takenAt ?? state.takenAt,
    updates: snapshot.updates,
    readAt: snapshot.error === null && snapshot.takenAt !== null ? snapshot.takenAt : state.readAt,
  };
}

function isOlder(incoming: number | null, held: number | null): boolean {
  if (held === null) return false;
  return incoming === null || incoming < held;
}

function sameMembers(a: readonly Connection[], b: readonly Connection[]): boolean {
  if (a.length !== b.length) return false;
  const byId = new Map(b.map((connection) => [connection.id, connection]));
  return a.every((connection) => byId.get(connection.id) === connection || sameConnection(connection, byId.get(connection.id)));
}

/** Deep enough for a Connection: its fields are primitives, one string array and one small object. */
function sameConnection(a: Connection, b: Connection | undefined): boolean {
  return b !== undefined && JSON.stringify(a) === JSON.stringify(b);
}
