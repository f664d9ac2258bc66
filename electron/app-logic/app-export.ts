/**
 * The app's Prometheus/JSON export: on while the `exportDirectory` setting names a folder (the tray's
 * "Export for Prometheus…", or the administrator's policy), following the monitor's updates with the saved
 * entries and the history's drops. Switching the folder or turning it off removes the files from the old
 * folder, so no exporter keeps reading a state that is no more; so does quitting.
 */
import type { Snapshot } from '../../shared/connection';
import type { ErrorInfo } from '../../shared/connection';
import type { SavedState } from '../../shared/saved';
import { dropCountsFromHistory } from '../core/export/prometheus-metrics';
import { TextfileExport } from '../core/export/textfile-export';

export interface AppExportDeps {
  monitor: { readonly snapshot: Snapshot; subscribe(listener: () => void): () => void };
  /** The `list --json` document for a snapshot. */
  statusDocument(snapshot: Snapshot): unknown;
  /** The saved connections as the app knows them (entries not connected are exported as down). */
  saved?: () => SavedState | null;
  history?: { dropCounts(): { name: string; kind: string; drops: number }[] } | null;
  onError(error: ErrorInfo): void;
  /** The export's bound on writes (default: once a second). */
  minIntervalMs?: number;
}

export class AppExport {
  private exporter: TextfileExport | null = null;
  private unsubscribe: (() => void) | null = null;
  private lastError: string | null = null;

  constructor(private readonly deps: AppExportDeps) {}

  /** The folder to export to now (null: off). Called at start and on every settings change. */
  setDirectory(directory: string | null): Promise<void> {
    if (this.exporter?.directory === directory) return Promise.resolve();
    const previous = this.stop();
    if (directory === null) return previous;
    const { deps } = this;
    const exporter = new TextfileExport(
      directory,
      {
        snapshot: () => deps.monitor.snapshot,
        statusDocument: deps.statusDocument,
        entries: async () => deps.saved?.()?.entries.map((entry) => ({ name: entry.name, kind: entry.kind })) ?? null,
        drops: () => (deps.history ? dropCountsFromHistory(deps.history.dropCounts()) : null),
      },
      {
        minIntervalMs: deps.minIntervalMs,
        // One log line per kind of failure (its code: the message names a new temp file each time), not one
        // per change while the folder stays unwritable.
        onError: (error) => {
          if (String(error.code) === this.lastError) return;
          this.lastError = String(error.code);
          deps.onError(error);
        },
        onWritten: () => {
          this.lastError = null;
        },
      },
    );
    this.exporter = exporter;
    this.unsubscribe = deps.monitor.subscribe(() => exporter.changed());
    exporter.changed(); // the current state at once, not at the next change
    return previous;
  }

  /** Something the export shows changed outside the monitor (saved entries). */
  changed(): void {
    this.exporter?.changed();
  }

  /** Quit: the files go with the app. */
  close(): Promise<void> {
    return this.stop();
  }

  private stop(): Promise<void> {
    this.unsubscribe?.();
    this.unsubscribe = null;
    const exporter = this.exporter;
    this.exporter = null;
    return exporter ? exporter.close({ remove: true }) : Promise.resolve();
  }
}
