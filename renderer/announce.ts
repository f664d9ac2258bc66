/**
 * What the live region says, and when. A connection that flaps (up, down, up within a second or two) must
 * not make a screen reader read three sentences: transitions are collected while events keep coming and
 * settled once things are quiet (or after a maximum wait), and only a net change of presence is spoken.
 * Pure functions; the timer lives in `use-announcer.ts`.
 */
import type { Connection, ErrorInfo, MonitorEvent } from '../shared/connection';
import { displayName } from '../shared/format';
import { translate } from '../shared/i18n';
import { errorSentence } from '../shared/i18n/words';
import type { SavedState } from '../shared/saved';

/** `up`: the connection is connected. `down`: it dropped (removed, or its state became disconnected). */
export type Presence = 'up' | 'down';

export interface Transition {
  id: string;
  presence: Presence;
  /** The sentence to speak if this transition survives settling. */
  text: string;
}

/** Quiet time after the last transition before speaking. */
export const ANNOUNCE_QUIET_MS = 700;
/** Longest a transition waits while a flapping connection keeps producing more. */
export const ANNOUNCE_MAX_WAIT_MS = 3000;

export function upText(connection: Connection): string {
  return translate('popup', 'announce.up', { name: displayName(connection) });
}

export function downText(connection: Connection): string {
  return translate('popup', 'announce.down', { name: displayName(connection) });
}

/** Dials that failed since `before` (one sentence each, said once: the row's status says the rest). */
export function failedDials(before: SavedState | null, after: SavedState): string[] {
  const failedBefore = new Set((before?.entries ?? []).filter((entry) => entry.dial?.phase === 'failed').map((entry) => `${entry.scope}:${entry.name}:${entry.dial?.startedAt}`));
  return after.entries
    .filter((entry) => entry.dial?.phase === 'failed' && !failedBefore.has(`${entry.scope}:${entry.name}:${entry.dial.startedAt}`))
    .map((entry) => translate('popup', 'announce.failed', { name: entry.name, reason: entry.dial?.error ? errorSentence(entry.dial.error) : translate('popup', 'row.status.failed') }));
}

/** The list went stale (the backend's read failed) or came back: said once per change, not per failed read. */
export function staleChange(before: ErrorInfo | null, after: ErrorInfo | null): string | null {
  if (before === null && after !== null) return translate('popup', 'announce.stale');
  if (before !== null && after === null) return translate('popup', 'announce.recovered');
  return null;
}

/** The connects and drops in one update's events, in event order. */
export function transitionsOf(events: readonly MonitorEvent[]): Transition[] {
  const transitions: Transition[] = [];
  for (const event of events) {
    if (event.type === 'error') continue;
    const { connection } = event;
    if (event.type === 'removed') {
      transitions.push({ id: connection.id, presence: 'down', text: downText(connection) });
    } else if (event.type === 'added') {
      if (connection.state === 'connected') transitions.push({ id: connection.id, presence: 'up', text: upText(connection) });
    } else if (connection.state !== event.previous.state) {
      if (connection.state === 'connected') transitions.push({ id: connection.id, presence: 'up', text: upText(connection) });
      else if (connection.state === 'disconnected') transitions.push({ id: connection.id, presence: 'down', text: downText(connection) });
    }
  }
  return transitions;
}

/** What the listener already knows at subscribe time: connected rows are up, and are not announced. */
export function initialPresence(connections: readonly Connection[]): Map<string, Presence> {
  return new Map(connections.filter((connection) => connection.state === 'connected').map((connection) => [connection.id, 'up']));
}

/**
 * Settles the pending transitions against what was last spoken: per connection the latest transition
 * wins, and it is spoken only if it differs from the presence last announced (unknown counts as down).
 */
export function settle(announced: ReadonlyMap<string, Presence>, pending: readonly Transition[]): { messages: string[]; announced: Map<string, Presence> } {
  const latest = new Map<string, Transition>();
  for (const transition of pending) {
    latest.delete(transition.id); // re-insert so the order is that of each connection's last transition
    latest.set(transition.id, transition);
  }
  const next = new Map(announced);
  const messages: string[] = [];
  for (const transition of latest.values()) {
    const before = announced.get(transition.id) ?? 'down';
    if (transition.presence !== before) messages.push(transition.text);
    if (transition.presence === 'up') next.set(transition.id, 'up');
    else next.delete(transition.id);
  }
  return { messages, announced: next };
}

/** When to settle: a quiet period after the last transition, but never later than the maximum wait. */
export function settleAt(firstPendingAt: number, lastPendingAt: number): number {
  return Math.min(lastPendingAt + ANNOUNCE_QUIET_MS, firstPendingAt + ANNOUNCE_MAX_WAIT_MS);
}
