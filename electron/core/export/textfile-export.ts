/**
 * Keeps two files current in the folder an exporter's textfile collector reads:
 *   linkwatch.prom   Prometheus metrics (prometheus-metrics.ts) for node_exporter / windows_exporter
 *   linkwatch.json   the `linkwatch list --json` document, for osquery's and Fleet's file-reading tables
 * Each is written atomically (write-file-atomic: a temp file in the same folder, fsync, rename), since the
 * collector may read at any moment and must never see half a file; the temp file's name does not end in
 * `.prom`, so the collector never reads it. Written on every change, at most once per `minIntervalMs`.
 */
import { rm } from 'node:fs/promises';
import { join } from 'node:path';
import writeFileAtomic from 'write-file-atomic';
import type { ErrorInfo, Snapshot } from '../../../shared/connection';
import { toErrorInfo } from '../backend-error';
import { MetricsExporter, type DropCount, type ExportEntry } from './prometheus-metrics';

export const PROMETHEUS_FILE = 'linkwatch.prom';
export const STATUS_FILE = 'linkwatch.json';
/** The issue's bound, and the exporters' own scrape cadence is 15 s or more: faster writes would be unread. */
export const DEFAULT_MIN_INTERVAL_MS = 1000;

export interface ExportSources {
  /** The state now. */
  snapshot(): Snapshot;
  /** The document `list --json` prints for that state. */
  statusDocument(snapshot: Snapshot): unknown;
  /** Saved entries, where the backend has them (each not connected is `up` 0). */
  entries?(): Promise<readonly ExportEntry[] | null>;
  /** Drops per connection from the history, where it can be read. */
  drops?(): readonly DropCount[] | null;
}

export interface ExportOptions {
  minIntervalMs?: number;
  /** A write that failed (folder gone, disk full, no permission): reported, and the next change tries again. */
  onError?(error: ErrorInfo): void;
  /** After each successful write (tests, benchmarks). */
  onWritten?(): void;
}

/** Both files for one state; `metrics` keeps what it reported before (gone connections read 0). */
export async function writeExportFiles(directory: string, metrics: MetricsExporter, sources: ExportSources): Promise<void> {
  const snapshot = sources.snapshot();
  const [entries, drops] = await Promise.all([sources.entries?.().catch(() => null) ?? null, Promise.resolve(sources.drops?.() ?? null)]);
  const text = await metrics.render({ snapshot, entries: entries ?? undefined, drops: drops ?? undefined });
  // 0644: the exporter usually runs as a user of its own (node_exporter as `prometheus`).
  await writeFileAtomic(join(directory, PROMETHEUS_FILE), text, { encoding: 'utf8', mode: 0o644 });
  await writeFileAtomic(join(directory, STATUS_FILE), `${JSON.stringify(sources.statusDocument(snapshot), null, 2)}\n`, { encoding: 'utf8', mode: 0o644 });
}

/** The files gone: an exporter that stopped on purpose reports nothing rather than a state that is no more. */
export async function removeExportFiles(directory: string): Promise<void> {
  await Promise.all([rm(join(directory, PROMETHEUS_FILE), { force: true }), rm(join(directory, STATUS_FILE), { force: true })]);
}

/**
 * Writes on `changed()`, at most once per interval: the first change at once, changes within the interval
 * in one write at its end. No timer runs while nothing changes.
 */
export class TextfileExport {
  private readonly metrics = new MetricsExporter();
  private readonly minIntervalMs: number;
  private lastWriteAt = -Infinity;
  private timer: NodeJS.Timeout | null = null;
  private writing: Promise<void> | null = null;
  private pending = false;
  private closed = false;

  constructor(
    readonly directory: string,
    private readonly sources: ExportSources,
    private readonly options: ExportOptions = {},
    private readonly now: () => number = Date.now,
  ) {
    this.minIntervalMs = options.minIntervalMs ?? DEFAULT_MIN_INTERVAL_MS;
  }

  /** Something changed: write now, or at the end of the current interval. */
  changed(): void {
    if (this.closed) return;
    this.pending = true;
    if (this.writing || this.timer) return; // the running write or the armed timer takes it
    const wait = this.lastWriteAt + this.minIntervalMs - this.now();
    if (wait <= 0) void this.write();
    else this.timer = setTimeout(() => {
      this.timer = null;
      void this.write();
    }, wait);
  }

  /** Write what is pending now (the CLI's one-shot export, and before closing). */
  async flush(): Promise<void> {
    if (this.timer) {
      clearTimeout(this.timer);
      this.timer = null;
    }
    if (this.writing) await this.writing;
    if (this.pending) await this.write();
  }

  /** Stop writing; with `remove`, take the files away (the app quit, `export --watch` ended). */
  async close(options: { remove: boolean }): Promise<void> {
    this.closed = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.writing) await this.writing;
    if (options.remove) await removeExportFiles(this.directory).catch((caught: unknown) => this.options.onError?.(toErrorInfo(caught)));
  }

  private write(): Promise<void> {
    this.pending = false;
    this.lastWriteAt = this.now();
    const writing = writeExportFiles(this.directory, this.metrics, this.sources).then(
      () => this.options.onWritten?.(),
      (caught: unknown) => this.options.onError?.(toErrorInfo(caught)),
    );
    this.writing = writing.finally(() => {
      this.writing = null;
      // A change during the write: once more, after the interval.
      if (this.pending && !this.closed) this.changed();
    });
    return this.writing;
  }
}
