/**
 * The history's events (shared/history-events.ts) from what the core already says: a connection's health
 * turning `stalled` and back (from the monitor's updates), and every result of a Keep connected attempt.
 * Writes go through `write` (HistoryStore.insertEvent in the app); a failing disk is logged once per message
 * and never reaches the monitor.
 */
import type { MonitorUpdate } from '../../../shared/connection';
import type { HistoryEvent } from '../../../shared/history-events';
import type { ReconnectEvent } from '../../../shared/reconnect';
import { toErrorInfo } from '../backend-error';

export type EventWriter = (event: Omit<HistoryEvent, 'id'>) => void;

export class EventHistory {
  /** Per connection id: stalled as last recorded. */
  private readonly stalled = new Set<string>();
  private readonly reported = new Set<string>();

  constructor(
    private readonly write: EventWriter,
    private readonly log: (message: string) => void = (message) => console.error(`linkwatch: history: ${message}`),
  ) {}

  /** Feed every monitor update. */
  update(update: MonitorUpdate): void {
    const at = update.snapshot.takenAt ?? Date.now();
    const present = new Set<string>();
    for (const connection of update.snapshot.connections) {
      present.add(connection.id);
      const health = connection.health;
      const stalledNow = health?.status === 'stalled';
      if (stalledNow && !this.stalled.has(connection.id)) {
        this.stalled.add(connection.id);
        this.put({ at, name: connection.name, connectionId: connection.id, kind: 'stalled', detail: health.reason, attempt: null, error: null });
      } else if (!stalledNow && this.stalled.has(connection.id) && health) {
        this.stalled.delete(connection.id);
        this.put({ at, name: connection.name, connectionId: connection.id, kind: 'recovered', detail: health.reason, attempt: null, error: null });
      }
    }
    for (const id of [...this.stalled]) if (!present.has(id)) this.stalled.delete(id);
  }

  /** Feed every Keep connected event; the results of attempts (and a stop) are recorded. */
  reconnect(event: ReconnectEvent): void {
    if (event.step === 'scheduled' || event.step === 'dialling') return;
    const detail = event.step === 'stopped' ? `stopped (${event.cause})` : event.step;
    this.put({ at: event.at, name: event.name, connectionId: null, kind: 'reconnect', detail, attempt: event.attempt, error: event.error });
  }

  private put(event: Omit<HistoryEvent, 'id'>): void {
    try {
      this.write(event);
    } catch (caught) {
      const message = toErrorInfo(caught).message;
      if (!this.reported.has(message)) {
        this.reported.add(message);
        this.log(`cannot record an event: ${message}`);
      }
    }
  }
}
