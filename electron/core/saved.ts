/**
 * Saved connections over a ConnectionSource: the entries it lists, matched to the monitor's live list, and the
 * dials Linkwatch starts, with their progress. One instance per app (and per CLI command); the popup, the tray
 * menu and `linkwatch entries|connect` all read it. Like the monitor, it reports errors as data and keeps the
 * last good list.
 *
 * Only names this instance has itself enumerated are dialled, and only dials it started can be cancelled:
 * what the renderer sends is a name to look up, never a phone-book path or a handle.
 */
import type { Connection, ErrorInfo, MonitorUpdate, Snapshot } from '../../shared/connection';
import type { DialStatus, SavedEntry, SavedState } from '../../shared/saved';
import { BackendError, toErrorInfo } from './backend-error';
import type { ConnectionSource, DialProgress, SourceEntry } from './platforms/source';

/** The part of ConnectionMonitor this needs. */
export interface LiveList {
  readonly snapshot: Snapshot;
  subscribe(listener: (update: MonitorUpdate) => void): () => void;
  refresh(): Promise<Snapshot>;
}

export type SavedListener = (state: SavedState) => void;

/** The live connection for an entry: same name, and the same phone book where both say one. */
export function matchConnection(entry: SourceEntry, connections: readonly Connection[]): Connection | null {
  return (
    connections.find(
      (c) =>
        c.name === entry.name &&
        c.state !== 'disconnected' &&
        (entry.phonebook === null || c.phonebook === null || c.phonebook.toLowerCase() === entry.phonebook.toLowerCase()),
    ) ?? null
  );
}

export class SavedConnections {
  private entries: SourceEntry[] = [];
  private listed = false;
  private available: boolean;
  private error: ErrorInfo | null = null;
  private readonly dials = new Map<string, DialStatus>();
  private readonly listeners = new Set<SavedListener>();
  private unsubscribeLive: (() => void) | null = null;
  private last = '';
  private listing: Promise<void> | null = null;

  constructor(
    private readonly source: ConnectionSource,
    private readonly live: LiveList,
    private readonly now: () => number = Date.now,
  ) {
    this.available = typeof source.listEntries === 'function';
  }

  get state(): SavedState {
    const connections = this.live.snapshot.connections;
    const entries: SavedEntry[] = this.entries.map((entry) => {
      const match = matchConnection(entry, connections);
      const dial = this.dials.get(entry.name) ?? null;
      // A failed dial's connection lingers in the list for a read or two (hung up, not yet gone): it is not
      // "connected" unless it really is.
      const connectionId = match && (dial?.phase !== 'failed' || match.state === 'connected') ? match.id : null;
      const keep = { ...(entry.keepBlocked ? { keepBlocked: entry.keepBlocked } : {}), ...(entry.systemReconnects ? { systemReconnects: entry.systemReconnects } : {}) };
      return { name: entry.name, scope: entry.scope, kind: entry.kind, phonebook: entry.phonebook, connectionId, dial, ...keep };
    });
    return { available: this.available, entries, error: this.error };
  }

  /** Listen for changes (entries, dials, connected-now). The first listener lists the entries. */
  subscribe(listener: SavedListener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) {
      this.unsubscribeLive = this.live.subscribe(() => this.emit());
      void this.refresh();
    }
    return () => {
      if (!this.listeners.delete(listener)) return;
      if (this.listeners.size === 0) {
        this.unsubscribeLive?.();
        this.unsubscribeLive = null;
      }
    };
  }

  /** List the entries again (a failure keeps the last good list, with `error` set). Never throws. */
  refresh(): Promise<SavedState> {
    this.listing ??= (async () => {
      try {
        const entries = this.source.listEntries ? await this.source.listEntries() : null;
        this.available = entries !== null;
        this.entries = entries ?? [];
        this.error = null;
      } catch (caught) {
        this.error = toErrorInfo(caught);
      } finally {
        this.listed = true;
        this.listing = null;
      }
    })();
    return this.listing.then(() => {
      this.emit();
      return this.state;
    });
  }

  /**
   * Start dialling `name` and resolve once it is under way; the dial goes on and reports through listeners.
   * Rejects (BackendError) for a name this instance has not listed, a backend that cannot dial, or a dial of
   * the same entry already under way.
   */
  async start(name: string): Promise<void> {
    await this.begin(name);
  }

  /** Dial `name` to the end: resolves with the last step (connected, failed with the OS's error, cancelled). */
  async connect(name: string, onProgress?: (progress: DialProgress) => void): Promise<DialProgress> {
    return (await this.begin(name, onProgress)).finished;
  }

  /** Cancel a dial this instance started, by the connection id its progress carries. */
  async cancel(connectionId: string): Promise<void> {
    const mine = [...this.dials.values()].some((dial) => dial.phase === 'dialling' && dial.connectionId === connectionId);
    if (!mine) throw new BackendError('EINVAL', `No dial started by Linkwatch is under way with id ${connectionId.slice(0, 100)}`);
    if (!this.source.cancel) throw new BackendError('ENOTSUP', `the ${this.source.backend} backend cannot cancel a dial`);
    await this.source.cancel(connectionId);
  }

  private async begin(name: string, onProgress?: (progress: DialProgress) => void): Promise<{ finished: Promise<DialProgress> }> {
    const source = this.source;
    if (!source.connect) throw new BackendError('ENOTSUP', `the ${source.backend} backend cannot connect saved connections`);
    if (!this.listed) await this.refresh();
    const entry = this.entries.find((e) => e.name === name);
    if (!entry) throw new BackendError('ENOENT', `No saved connection named "${name.slice(0, 100)}"`);
    if (this.dials.get(name)?.phase === 'dialling') throw new BackendError('EBUSY', `"${name}" is already being dialled`);
    // Already connected: the live list is the answer. Dialling again would, on Windows, add a RasDial reference
    // that one Disconnect no longer ends; NetworkManager would re-activate (drop and bring up) the profile.
    const connected = matchConnection(entry, this.live.snapshot.connections);
    if (connected?.state === 'connected') {
      return { finished: Promise.resolve({ connectionId: connected.id, phase: 'connected', detail: 'already connected', error: null }) };
    }
    const startedAt = this.now();
    this.setDial(name, { connectionId: null, phase: 'dialling', detail: 'starting', error: null, startedAt });
    const step = (progress: DialProgress): void => {
      this.setDial(name, { ...progress, error: progress.error ? { code: progress.error.code, message: progress.error.message } : null, startedAt });
      onProgress?.(progress);
    };
    const finished = source.connect(name, step).then(
      (last) => {
        step(last);
        // Cancelled: back to plain. Connected: the dial says so until the live list has the connection (the
        // read asked for here), then the list does (emit drops the dial once it matches).
        if (last.phase === 'cancelled') this.dials.delete(name);
        if (last.phase === 'connected' || last.phase === 'cancelled') void this.live.refresh().then(() => this.emit());
        this.emit();
        return last;
      },
      (caught: unknown) => {
        const failed: DialProgress = { connectionId: null, phase: 'failed', detail: 'error', error: toErrorInfo(caught) };
        step(failed);
        return failed;
      },
    );
    return { finished };
  }

  private setDial(name: string, dial: DialStatus): void {
    this.dials.set(name, dial);
    this.emit();
  }

  private emit(): void {
    for (const entry of this.entries) {
      const dial = this.dials.get(entry.name);
      const match = dial?.phase === 'connected' ? matchConnection(entry, this.live.snapshot.connections) : null;
      if (match?.state === 'connected') this.dials.delete(entry.name);
    }
    const state = this.state;
    const text = JSON.stringify(state);
    if (text === this.last) return;
    this.last = text;
    for (const listener of [...this.listeners]) {
      try {
        listener(state);
      } catch (caught) {
        console.error('linkwatch: saved-connections listener failed:', caught);
      }
    }
  }
}
