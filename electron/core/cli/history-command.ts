/**
 * `linkwatch history [--json] [--since <date>] [--name <entry>]`: the sessions the app recorded, read from
 * the same file (read-only, while the app may be writing it: WAL lets both). JSON schema in README.md.
 */
import type { HistoryEvent } from '../../../shared/history-events';
import '../../../shared/i18n/all';
import { translator } from '../../../shared/i18n';
import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import type { HistorySession } from '../../../shared/history';
import { displayName, formatBytes, formatDuration } from '../../../shared/format';
import { toErrorInfo } from '../backend-error';
import { cliHistoryPath } from '../history/history-path';
import { HistoryStore } from '../history/history-store';

export interface HistoryOptions {
  json: boolean;
  since?: string;
  name?: string;
}

export interface HistoryIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  now?: () => number;
  /** The history file (default: the app's, see history-path.ts). */
  historyPath?: string;
}

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;
const RELATIVE = /^(\d{1,6})([dhm])$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?(Z|[+-]\d{2}:\d{2})?$/;

/** What `--since` accepts, for the usage text and its error. */
export const SINCE_FORMATS = '"today", "yesterday", 7d / 12h / 30m (ago), 2026-12-01 (local midnight), or 2026-12-01T08:30[:00][Z|+01:00]';

/**
 * `--since`'s text as epoch milliseconds, or null when it is not a date this command accepts. Strict on
 * purpose (Date.parse takes "1", "Dec 1" and much else, differently per engine): every field is checked, and
 * a date that does not exist (2026-02-30, 24:00) is refused rather than rolled over.
 */
export function parseSince(text: string, now: number): number | null {
  const value = text.trim();
  if (value === 'today' || value === 'yesterday') {
    const midnight = new Date(now);
    midnight.setHours(0, 0, 0, 0);
    if (value === 'yesterday') midnight.setDate(midnight.getDate() - 1);
    return midnight.getTime();
  }
  const relative = RELATIVE.exec(value);
  if (relative) {
    const unit = relative[2] === 'd' ? DAY_MS : relative[2] === 'h' ? HOUR_MS : 60_000;
    const result = now - Number(relative[1]) * unit;
    return Number.isFinite(result) && result >= 0 ? result : null;
  }
  const date = DATE.exec(value);
  const dateTime = date ? null : DATE_TIME.exec(value);
  const fields = date ?? dateTime;
  if (!fields) return null;
  const [year, month, day] = [Number(fields[1]), Number(fields[2]), Number(fields[3])];
  const [hour, minute, second, milli] = dateTime ? [Number(dateTime[4]), Number(dateTime[5]), Number(dateTime[6] ?? 0), Number((dateTime[7] ?? '0').padEnd(3, '0'))] : [0, 0, 0, 0];
  if (year < 1970 || month < 1 || month > 12 || day < 1 || day > daysIn(year, month) || hour > 23 || minute > 59 || second > 59) return null;
  const zone = dateTime?.[8];
  if (zone === undefined) return new Date(year, month - 1, day, hour, minute, second, milli).getTime();
  let offset = 0;
  if (zone !== 'Z') {
    const [zoneHours, zoneMinutes] = [Number(zone.slice(1, 3)), Number(zone.slice(4, 6))];
    if (zoneHours > 14 || zoneMinutes > 59) return null;
    offset = (zone.startsWith('-') ? -1 : 1) * (zoneHours * 60 + zoneMinutes) * 60_000;
  }
  return Date.UTC(year, month - 1, day, hour, minute, second, milli) - offset;
}

function daysIn(year: number, month: number): number {
  return new Date(Date.UTC(year, month, 0)).getUTCDate();
}

/** Validate the options; a usage error is returned as its message (exit 2). */
export function historyQuery(options: HistoryOptions, now: number): { since?: number; name?: string } | string {
  const query: { since?: number; name?: string } = {};
  if (options.since !== undefined) {
    const since = parseSince(options.since, now);
    if (since === null) return `--since takes ${SINCE_FORMATS}, not "${options.since.slice(0, 100)}"`;
    query.since = since;
  }
  if (options.name !== undefined) {
    if (options.name.trim() === '' || options.name.length > 512) return '--name takes the entry name of a connection (1 to 512 characters)';
    query.name = options.name;
  }
  return query;
}

export async function runHistory(options: HistoryOptions, io: HistoryIo): Promise<number> {
  const now = (io.now ?? Date.now)();
  const query = historyQuery(options, now);
  if (typeof query === 'string') {
    io.stderr(`linkwatch: ${query}\n`);
    return 2;
  }
  const file = io.historyPath ?? cliHistoryPath(process.platform, process.env, homedir());
  // No file yet: the app has not recorded anything. Not an error, and nothing is created.
  if (!existsSync(file)) {
    printSessions(options.json, file, [], null, io, now);
    return 0;
  }
  let store: HistoryStore;
  try {
    store = HistoryStore.open(file, { readOnly: true });
  } catch (caught) {
    const error = toErrorInfo(caught);
    printSessions(options.json, file, [], error, io, now);
    return 1;
  }
  try {
    // Stalls, recoveries and Keep connected's attempts (issue 26), with the same --since and --name.
    printSessions(options.json, file, store.iterateSessions(query), null, io, now, store.events(query));
    return 0;
  } catch (caught) {
    // Damaged mid-read: what was printed stays printed; the error says why the rest is missing.
    io.stderr(`linkwatch: cannot read ${file}: ${toErrorInfo(caught).message}\n`);
    return 1;
  } finally {
    store.close();
  }
}

/** The session object of `history --json` (README): the stored session, its field order fixed. */
export function toJsonSession(session: HistorySession) {
  return {
    id: session.id,
    connectionId: session.connectionId,
    name: session.name,
    kind: session.kind,
    deviceType: session.deviceType,
    deviceName: session.deviceName,
    adHoc: session.adHoc,
    phoneNumber: session.phoneNumber,
    addresses: session.addresses,
    connectedAt: session.connectedAt,
    endedAt: session.endedAt,
    end: session.end,
    durationMs: session.durationMs,
    lastState: session.lastState,
    lastStateDetail: session.lastStateDetail,
    lastError: session.lastError,
    bytesIn: session.bytesIn,
    bytesOut: session.bytesOut,
  };
}

const CHUNK = 1000;

function printSessions(json: boolean, file: string, sessions: Iterable<HistorySession>, error: { code: number | string; message: string } | null, io: HistoryIo, now: number, events: readonly HistoryEvent[] = []): void {
  if (json) {
    // Streamed in chunks: 100 000 sessions are tens of megabytes, never one string.
    io.stdout(`{\n  "file": ${JSON.stringify(file)},\n  "sessions": [`);
    let chunk: string[] = [];
    let first = true;
    for (const session of sessions) {
      chunk.push(JSON.stringify(toJsonSession(session)));
      if (chunk.length === CHUNK) {
        io.stdout(`${first ? '\n' : ',\n'}    ${chunk.join(',\n    ')}`);
        first = false;
        chunk = [];
      }
    }
    if (chunk.length > 0) io.stdout(`${first ? '\n' : ',\n'}    ${chunk.join(',\n    ')}`);
    if (chunk.length > 0 || !first) io.stdout('\n  ');
    io.stdout(`],\n  "events": [${events.map((event) => `\n    ${JSON.stringify(event)}`).join(',')}${events.length > 0 ? '\n  ' : ''}],\n  "error": ${JSON.stringify(error)}\n}\n`);
    return;
  }
  if (error) {
    io.stderr(`linkwatch: ${t('history.cannotRead', { file, message: error.message, code: String(error.code) })}\n`);
    return;
  }
  const rows = [...sessions].map((session) => COLUMNS.map((column) => column.cell(session, now)));
  if (rows.length === 0) {
    io.stdout(`${t('history.none', { file })}\n`);
  } else {
    const titles = COLUMNS.map((column) => column.title());
    const widths = titles.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
    const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
    io.stdout([line(titles), ...rows.map(line)].join('\n') + '\n');
  }
  // Issue 26's events, after the sessions (English only for now: not yet in the string catalogue).
  if (events.length > 0) {
    const described = events.map((event) => {
      const what = event.kind === 'reconnect' ? `reconnect attempt ${event.attempt ?? '?'}: ${event.detail}` : `${event.kind}: ${event.detail}`;
      const error = event.error ? ` (${printable(String(event.error.code), 20)}: ${printable(event.error.message)})` : '';
      return `${new Date(event.at).toISOString()}  ${printable(event.name, 40)}  ${printable(what)}${error}`;
    });
    io.stdout(`\nEVENTS\n${described.join('\n')}\n`);
  }
}

/** Outside text in a terminal: control characters (a name with an escape sequence) shown, not obeyed. */
function printable(text: string, max = 80): string {
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  const clean = text.replace(/[\u0000-\u001f\u007f-\u009f]/g, '?');
  return clean.length > max ? `${clean.slice(0, max - 1)}…` : clean;
}

// The human output's words come from the catalogue's `cli` namespace (shared/i18n/en/cli.json).
const t = translator('cli');
const END_KEYS = { dropped: 'history.end.dropped', 'hung-up': 'history.end.hungUp', unknown: 'history.end.unknown' } as const;

/** Local "2026-12-01 09:12". */
export function localMinute(epoch: number): string {
  const date = new Date(epoch);
  const two = (value: number) => String(value).padStart(2, '0');
  return `${date.getFullYear()}-${two(date.getMonth() + 1)}-${two(date.getDate())} ${two(date.getHours())}:${two(date.getMinutes())}`;
}

const COLUMNS: { title: () => string; cell: (session: HistorySession, now: number) => string }[] = [
  { title: () => t('column.connected'), cell: (s) => localMinute(s.connectedAt) },
  { title: () => t('column.name'), cell: (s) => printable(displayName(s), 40) },
  { title: () => t('column.kind'), cell: (s) => s.kind },
  { title: () => t('column.upFor'), cell: (s, now) => (s.durationMs === null ? `${formatDuration(now - s.connectedAt)}+` : formatDuration(s.durationMs)) },
  { title: () => t('column.end'), cell: (s) => t(s.end === null ? 'history.end.open' : END_KEYS[s.end]) },
  { title: () => t('column.lastError'), cell: (s) => (s.lastError ? printable(`${s.lastError.code}: ${s.lastError.message}`) : '–') },
  { title: () => t('column.inOut'), cell: (s) => (s.bytesIn === null || s.bytesOut === null ? '–' : `${formatBytes(s.bytesIn)} / ${formatBytes(s.bytesOut)}`) },
];
