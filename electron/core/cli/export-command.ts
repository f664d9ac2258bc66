/**
 * `linkwatch export --prometheus DIR [--watch]`: the textfile export (core/export/) from the command line, for
 * machines where the app does not run (servers, kiosks) or a fleet tool starts it: once, or kept current until
 * interrupted. The history's drop counts come from the app's file, read-only, where it exists.
 */
import { stat } from 'node:fs/promises';
import { homedir } from 'node:os';
import type { Snapshot } from '../../../shared/connection';
import { toErrorInfo } from '../backend-error';
import { dropCountsFromHistory, type DropCount, type ExportEntry } from '../export/prometheus-metrics';
import { PROMETHEUS_FILE, STATUS_FILE, TextfileExport } from '../export/textfile-export';
import { cliHistoryPath } from '../history/history-path';
import { HistoryStore } from '../history/history-store';
import type { ConnectionMonitor } from '../monitor';
import type { ConnectionSource } from '../platforms/source';
import '../../../shared/i18n/all';
import { translator } from '../../../shared/i18n';

// The messages' words come from the catalogue's `cli` namespace (shared/i18n/en/cli.json).
const t = translator('cli');

export interface ExportCommand {
  directory: string;
  watch: boolean;
}

export interface ExportIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  interrupted: Promise<void>;
  /** The `list --json` document for a snapshot (cli-app's toJsonSnapshot). */
  statusDocument: (snapshot: Snapshot) => unknown;
  historyPath?: string;
  minIntervalMs?: number;
}

/** The history's drops, or null (no file yet, an older Node without node:sqlite): the metric is then left out. */
function openDrops(path: string): { drops: () => DropCount[] | null; close: () => void } {
  let opened: HistoryStore;
  try {
    opened = HistoryStore.open(path, { readOnly: true });
  } catch {
    return { drops: () => null, close: () => {} };
  }
  return {
    drops: () => {
      try {
        return dropCountsFromHistory(opened.dropCounts());
      } catch {
        return null;
      }
    },
    close: () => opened.close(),
  };
}

export async function runExport(command: ExportCommand, source: ConnectionSource, monitor: ConnectionMonitor, io: ExportIo): Promise<number> {
  try {
    if (!(await stat(command.directory)).isDirectory()) throw new Error(t('export.notAFolder'));
  } catch (caught) {
    io.stderr(`linkwatch: ${t('export.badFolder', { directory: command.directory, message: toErrorInfo(caught).message })}\n`);
    return 1;
  }
  const history = openDrops(io.historyPath ?? cliHistoryPath(process.platform, process.env, homedir()));
  let failed: string | null = null;
  const entries = source.listEntries
    ? async (): Promise<ExportEntry[] | null> => (await source.listEntries?.())?.map((entry) => ({ name: entry.name, kind: entry.kind })) ?? null
    : undefined;
  const exporter = new TextfileExport(
    command.directory,
    { snapshot: () => monitor.snapshot, statusDocument: io.statusDocument, entries, drops: history.drops },
    {
      minIntervalMs: io.minIntervalMs,
      onError: (error) => {
        failed = error.message;
        io.stderr(`linkwatch: ${t('export.writeFailed', { message: error.message })}\n`);
      },
      onWritten: () => {
        failed = null;
      },
    },
  );
  let unsubscribe: () => void = () => {};
  // Kept current, the export carries each connected tunnel's health (issue 26): counters at most once per 10 s,
  // and only while something is connected.
  const releaseHealth = command.watch ? monitor.wantHealth() : null;
  try {
    // The first update is one read: the files describe it before `export` returns (or `--watch` goes on).
    await new Promise<void>((resolve) => {
      unsubscribe = monitor.subscribe(() => {
        exporter.changed();
        resolve();
      });
    });
    await exporter.flush();
    if (!command.watch) {
      if (!failed) io.stdout(`${t('export.wrote', { prometheus: PROMETHEUS_FILE, status: STATUS_FILE, directory: command.directory })}\n`);
      return failed || monitor.snapshot.error ? 1 : 0;
    }
    await io.interrupted;
    await exporter.flush();
    // Stopped on purpose: no file left to claim a state that is no more (a crash leaves the last one, and
    // the collector's node_textfile_mtime_seconds shows its age).
    await exporter.close({ remove: true });
    return failed ? 1 : 0;
  } finally {
    unsubscribe();
    releaseHealth?.();
    await exporter.close({ remove: false });
    history.close();
  }
}
