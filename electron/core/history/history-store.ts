/**
 * The history's SQLite file: one table of sessions, opened by the app (which writes it) and by
 * `linkwatch history` (which only reads it), possibly at the same time.
 *
 * Why `node:sqlite`: it is built into Node, so there is no native module to rebuild for Electron's ABI and
 * none to ship per OS and architecture (the FFI library already costs that). Electron builds its Node with SQLite
 * (electron/electron#47706 restored the binding after 37.2.0 lost it, issue #47671); Electron 40 and later
 * embed Node 24, where the module needs no flag, in the main process and in utility processes alike. It is
 * unflagged since Node 22.13 (nodejs/node#55890): on Node 22.12 the CLI needs `--experimental-sqlite`, and
 * says so instead of failing obscurely (see `loadSqlite`).
 *
 * Durability: WAL (readers never wait for the writer, the writer never waits for readers) with
 * `synchronous = NORMAL`: a commit is in the WAL file before `COMMIT` returns, so a crash or kill of the
 * process loses nothing committed (tested by SIGKILL in test/native/history-crash.test.ts); only a power
 * cut can lose the last commits, never the file's consistency. A commit costs microseconds, not an fsync,
 * which keeps the monitor's thread free (measured in `npm run bench`).
 *
 * Text from outside (names, device names, error messages, addresses) is only ever a bound parameter.
 */
import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import type * as NodeSqlite from 'node:sqlite';
import type { DatabaseSync, SQLInputValue, StatementSync } from 'node:sqlite';
import { CONNECTION_KINDS, CONNECTION_STATES, type ConnectionKind, type ConnectionState, type ErrorInfo } from '../../../shared/connection';
import { SESSION_ENDS, type HistoryDay, type HistoryQuery, type HistorySession, type SessionEnd } from '../../../shared/history';
import { HISTORY_EVENT_KINDS, type HistoryEvent, type HistoryEventKind } from '../../../shared/history-events';

type Sqlite = typeof NodeSqlite;

/** `node:sqlite`, or a readable error where this Node has none (22.12 without `--experimental-sqlite`). */
export function loadSqlite(): Sqlite {
  const sqlite = process.getBuiltinModule('node:sqlite') as Sqlite | undefined;
  if (!sqlite) {
    throw new HistoryUnavailableError(`this Node.js (${process.version}) has no node:sqlite: use Node 22.13 or newer, or start Node 22.12 with --experimental-sqlite`);
  }
  return sqlite;
}

export class HistoryUnavailableError extends Error {
  readonly code = 'ENOSQLITE';
}

/** What happened to a connection besides its sessions (schema 2): stalls, recoveries, reconnect attempts. */
const EVENTS_SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  id INTEGER PRIMARY KEY,
  at INTEGER NOT NULL,
  name TEXT NOT NULL,
  connection_id TEXT,
  kind TEXT NOT NULL,
  detail TEXT NOT NULL,
  attempt INTEGER,
  error_code,
  error_message TEXT
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
`;

/** Bumped with every change of the table; a file from a newer Linkwatch is read, never written. */
export const SCHEMA_VERSION = 2;

const SCHEMA = `
CREATE TABLE IF NOT EXISTS sessions (
  id INTEGER PRIMARY KEY,
  connection_id TEXT NOT NULL,
  name TEXT NOT NULL,
  kind TEXT NOT NULL,
  device_type TEXT NOT NULL,
  device_name TEXT NOT NULL,
  ad_hoc INTEGER NOT NULL,
  phone_number TEXT,
  addresses TEXT NOT NULL,
  connected_at INTEGER NOT NULL,
  ended_at INTEGER,
  end_reason TEXT,
  last_seen_at INTEGER NOT NULL,
  last_state TEXT NOT NULL,
  last_state_detail TEXT NOT NULL,
  last_error_code,
  last_error_message TEXT,
  bytes_in INTEGER,
  bytes_out INTEGER
);
CREATE INDEX IF NOT EXISTS sessions_connected_at ON sessions (connected_at);
CREATE INDEX IF NOT EXISTS sessions_ended_at ON sessions (ended_at);
CREATE INDEX IF NOT EXISTS sessions_name ON sessions (name COLLATE NOCASE, connected_at);
${EVENTS_SCHEMA}`;

/** A session as the recorder writes it: everything but the row id and the derived duration. */
export type SessionRecord = Omit<HistorySession, 'id' | 'durationMs'> & { lastSeenAt: number };

export interface OpenOptions {
  /** The CLI: never create, migrate or write the file. */
  readOnly?: boolean;
  /** How long to wait for another connection's lock before failing (default 2 s). */
  busyTimeoutMs?: number;
}

export class HistoryStore {
  private readonly statements = new Map<string, StatementSync>();
  // Kept here, not read from DatabaseSync.isOpen / isTransaction: those came with Node 22.15 / 22.16.
  private closed = false;

  private constructor(
    readonly path: string,
    private readonly db: DatabaseSync,
    readonly readOnly: boolean,
  ) {}

  /** Open (and for a writer, create) the file. Throws with a readable message when it cannot. */
  static open(path: string, options: OpenOptions = {}): HistoryStore {
    const { DatabaseSync } = loadSqlite();
    const readOnly = options.readOnly ?? false;
    if (!readOnly) mkdirSync(dirname(path), { recursive: true });
    const db = new DatabaseSync(path, { readOnly });
    try {
      // A reader meeting the writer mid-checkpoint waits a little instead of failing at once.
      db.exec(`PRAGMA busy_timeout = ${Math.max(0, Math.floor(options.busyTimeoutMs ?? 2000))}`);
      const version = Number((db.prepare('PRAGMA user_version').get() as { user_version: number }).user_version);
      if (version > SCHEMA_VERSION && !readOnly) {
        throw new Error(`${path} was written by a newer Linkwatch (schema ${version}, this one knows ${SCHEMA_VERSION})`);
      }
      if (readOnly && version === 0) {
        // A reader never creates the table: an SQLite file without it is somebody else's.
        const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'sessions'").get();
        if (!table) throw new Error(`${path} is not a Linkwatch history (no sessions table)`);
      }
      if (!readOnly) {
        db.exec('PRAGMA journal_mode = WAL');
        db.exec('PRAGMA synchronous = NORMAL');
        if (version < SCHEMA_VERSION) {
          db.exec('BEGIN IMMEDIATE');
          db.exec(SCHEMA);
          db.exec(`PRAGMA user_version = ${SCHEMA_VERSION}`);
          db.exec('COMMIT');
        }
      }
    } catch (caught) {
      db.close();
      throw caught;
    }
    return new HistoryStore(path, db, readOnly);
  }

  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.db.close();
  }

  /** Run `work` in one transaction: all of it is committed, or none of it. */
  transaction<T>(work: () => T): T {
    this.db.exec('BEGIN IMMEDIATE');
    try {
      const result = work();
      this.db.exec('COMMIT');
      return result;
    } catch (caught) {
      try {
        this.db.exec('ROLLBACK');
      } catch {
        // SQLite already rolled back (a failed COMMIT can do so itself): nothing left to undo.
      }
      throw caught;
    }
  }

  insert(session: SessionRecord): number {
    const result = this.statement(
      `INSERT INTO sessions (connection_id, name, kind, device_type, device_name, ad_hoc, phone_number, addresses, connected_at, ended_at,
         end_reason, last_seen_at, last_state, last_state_detail, last_error_code, last_error_message, bytes_in, bytes_out)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    ).run(session.connectionId, ...this.values(session));
    return Number(result.lastInsertRowid);
  }

  update(id: number, session: SessionRecord): void {
    this.statement(
      `UPDATE sessions SET name = ?, kind = ?, device_type = ?, device_name = ?, ad_hoc = ?, phone_number = ?, addresses = ?,
         connected_at = ?, ended_at = ?, end_reason = ?, last_seen_at = ?, last_state = ?, last_state_detail = ?,
         last_error_code = ?, last_error_message = ?, bytes_in = ?, bytes_out = ?
       WHERE id = ?`,
    ).run(...this.values(session), id);
  }

  /** Every session the last run left open is closed as `unknown`, at the time it was last seen up. */
  closeOpenSessions(): { id: number; connectionId: string; name: string; kind: string; lastSeenAt: number }[] {
    const rows = this.statement(
      `UPDATE sessions SET ended_at = last_seen_at, end_reason = 'unknown' WHERE ended_at IS NULL
       RETURNING id, connection_id AS connectionId, name, kind, last_seen_at AS lastSeenAt`,
    ).all() as { id: number; connectionId: string; name: string; kind: string; lastSeenAt: number }[];
    return rows.map((row) => ({ ...row, id: Number(row.id), lastSeenAt: Number(row.lastSeenAt) }));
  }

  /** Undo `closeOpenSessions` for one session found still up, continuously, after a restart. */
  reopen(id: number, lastSeenAt: number): void {
    this.statement('UPDATE sessions SET ended_at = NULL, end_reason = NULL, last_seen_at = ? WHERE id = ?').run(lastSeenAt, id);
  }

  /** Mark the open sessions as seen up now: an unknown end is then placed within a minute of the truth. */
  touchOpen(now: number): void {
    this.statement('UPDATE sessions SET last_seen_at = ? WHERE ended_at IS NULL').run(now);
  }

  /** Forget sessions that ended before `before` (retention); open sessions are always kept. */
  prune(before: number): number {
    return Number(this.statement('DELETE FROM sessions WHERE ended_at IS NOT NULL AND ended_at < ?').run(before).changes);
  }

  /** Sessions that were up at some time at or after `since`, oldest first (with `limit`, the newest that many). */
  sessions(query: HistoryQuery = {}): HistorySession[] {
    const sessions: HistorySession[] = [];
    for (const session of this.iterateSessions(query)) sessions.push(session);
    return sessions;
  }

  *iterateSessions(query: HistoryQuery = {}): Generator<HistorySession> {
    const { sql, params } = sessionQuery(query);
    const statement = this.statement(sql);
    // StatementSync.iterate came with Node 22.13; on 22.12 (--experimental-sqlite) the rows come all at once.
    const rows = (typeof statement.iterate === 'function' ? statement.iterate(...params) : statement.all(...params)) as Iterable<Record<string, unknown>>;
    if (query.limit === undefined) {
      for (const row of rows) {
        const session = decodeSessionRow(row);
        if (session) yield session;
      }
      return;
    }
    // The newest `limit`, read newest first, handed out oldest first like the rest.
    const newest: HistorySession[] = [];
    for (const row of rows) {
      const session = decodeSessionRow(row);
      if (session) newest.push(session);
    }
    yield* newest.reverse();
  }

  /** Per local day (the day each session connected), from `since` on, newest day first. */
  days(since: number, now: number): HistoryDay[] {
    const rows = this.statement(
      `SELECT date(connected_at / 1000, 'unixepoch', 'localtime') AS day, count(*) AS sessions,
         sum(end_reason = 'dropped') AS drops, sum(max(0, coalesce(ended_at, ?) - connected_at)) AS upMs,
         sum(bytes_in) AS bytesIn, sum(bytes_out) AS bytesOut
       FROM sessions WHERE connected_at >= ? GROUP BY day ORDER BY day DESC`,
    ).all(now, since) as Record<string, unknown>[];
    return rows.flatMap((row) => {
      const day = decodeDayRow(row);
      return day ? [day] : [];
    });
  }

  /** Sessions that ended `dropped`, per entry name and kind (the Prometheus export's drops counter). */
  dropCounts(): { name: string; kind: string; drops: number }[] {
    const rows = this.statement(`SELECT name, kind, count(*) AS drops FROM sessions WHERE end_reason = 'dropped' GROUP BY name, kind ORDER BY name, kind`).all() as Record<
      string,
      unknown
    >[];
    return rows.flatMap((row) =>
      typeof row.name === 'string' && typeof row.kind === 'string' && typeof row.drops === 'number' ? [{ name: row.name, kind: row.kind, drops: row.drops }] : [],
    );
  }

  /** Bytes on disk of the database file itself (the WAL comes on top until a checkpoint). */
  sizeBytes(): number {
    const row = this.db.prepare('SELECT page_count * page_size AS size FROM pragma_page_count(), pragma_page_size()').get() as { size: number };
    return Number(row.size);
  }

  checkpoint(): void {
    this.db.exec('PRAGMA wal_checkpoint(TRUNCATE)');
  }

  /** Record one event (history/health-history.ts, keep-connected's attempts). */
  insertEvent(event: Omit<HistoryEvent, 'id'>): number {
    const result = this.statement('INSERT INTO events (at, name, connection_id, kind, detail, attempt, error_code, error_message) VALUES (?, ?, ?, ?, ?, ?, ?, ?)').run(
      event.at,
      event.name,
      event.connectionId,
      event.kind,
      event.detail,
      event.attempt,
      event.error?.code ?? null,
      event.error?.message ?? null,
    );
    return Number(result.lastInsertRowid);
  }

  /** Events at or after `since` (all when absent), of one entry name when given, oldest first. */
  events(query: Pick<HistoryQuery, 'since' | 'name' | 'limit'> = {}): HistoryEvent[] {
    // A file from schema 1 (read-only, not migrated) has no such table: no events, not an error.
    if (!this.db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'events'").get()) return [];
    const where: string[] = [];
    const params: SQLInputValue[] = [];
    if (query.since !== undefined) {
      where.push('at >= ?');
      params.push(query.since);
    }
    if (query.name !== undefined) {
      where.push('name = ? COLLATE NOCASE');
      params.push(query.name);
    }
    const limit = query.limit !== undefined ? ` LIMIT ${Math.max(0, Math.floor(query.limit))}` : '';
    const rows = this.db
      .prepare(`SELECT * FROM (SELECT * FROM events${where.length > 0 ? ` WHERE ${where.join(' AND ')}` : ''} ORDER BY at DESC, id DESC${limit}) ORDER BY at, id`)
      .all(...params) as Record<string, SQLInputValue>[];
    return rows.map((row) => ({
      id: Number(row.id),
      at: Number(row.at),
      name: String(row.name),
      connectionId: row.connection_id === null ? null : String(row.connection_id),
      kind: HISTORY_EVENT_KINDS.includes(row.kind as HistoryEventKind) ? (row.kind as HistoryEventKind) : 'stalled',
      detail: String(row.detail),
      attempt: row.attempt === null ? null : Number(row.attempt),
      error: row.error_code === null || row.error_code === undefined ? null : { code: typeof row.error_code === 'bigint' ? Number(row.error_code) : (row.error_code as number | string), message: String(row.error_message ?? '') },
    }));
  }

  private statement(sql: string): StatementSync {
    let statement = this.statements.get(sql);
    if (!statement) {
      statement = this.db.prepare(sql);
      this.statements.set(sql, statement);
    }
    return statement;
  }

  private values(session: SessionRecord): SQLInputValue[] {
    return [
      session.name,
      session.kind,
      session.deviceType,
      session.deviceName,
      session.adHoc ? 1 : 0,
      session.phoneNumber,
      JSON.stringify(session.addresses),
      session.connectedAt,
      session.endedAt,
      session.end,
      session.lastSeenAt,
      session.lastState,
      session.lastStateDetail,
      session.lastError ? session.lastError.code : null,
      session.lastError ? session.lastError.message : null,
      session.bytesIn,
      session.bytesOut,
    ];
  }
}

function sessionQuery(query: HistoryQuery): { sql: string; params: SQLInputValue[] } {
  const where: string[] = [];
  const params: SQLInputValue[] = [];
  if (query.since !== undefined) {
    where.push('(ended_at IS NULL OR ended_at >= ? OR connected_at >= ?)');
    params.push(query.since, query.since);
  }
  if (query.name !== undefined) {
    where.push('name = ? COLLATE NOCASE');
    params.push(query.name);
  }
  const filter = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  if (query.limit !== undefined) {
    params.push(query.limit);
    return { sql: `SELECT * FROM sessions ${filter} ORDER BY connected_at DESC, id DESC LIMIT ?`, params };
  }
  return { sql: `SELECT * FROM sessions ${filter} ORDER BY connected_at, id`, params };
}

const MAX_TEXT = 4096;

function text(value: unknown): string | null {
  return typeof value === 'string' ? value.slice(0, MAX_TEXT) : null;
}

function integer(value: unknown): number | null {
  const number = typeof value === 'bigint' ? Number(value) : value;
  return typeof number === 'number' && Number.isSafeInteger(number) ? number : null;
}

function addressesOf(value: unknown): string[] {
  if (typeof value !== 'string') return [];
  try {
    const parsed: unknown = JSON.parse(value);
    return Array.isArray(parsed) ? parsed.filter((item): item is string => typeof item === 'string').slice(0, 64) : [];
  } catch {
    return [];
  }
}

/**
 * One row as read from the file, into a session; null for a row that is not one (the file is outside input:
 * another version, a hand edit, a damaged page). Never throws.
 */
export function decodeSessionRow(row: Record<string, unknown>): HistorySession | null {
  const id = integer(row.id);
  const connectedAt = integer(row.connected_at);
  const name = text(row.name);
  if (id === null || connectedAt === null || name === null) return null;
  const kind = CONNECTION_KINDS.includes(row.kind as ConnectionKind) ? (row.kind as ConnectionKind) : 'other';
  const endedAt = integer(row.ended_at);
  const end = SESSION_ENDS.includes(row.end_reason as SessionEnd) ? (row.end_reason as SessionEnd) : null;
  const closed = endedAt !== null && end !== null;
  const code = integer(row.last_error_code) ?? text(row.last_error_code);
  const message = text(row.last_error_message);
  const lastError: ErrorInfo | null = code !== null ? { code, message: message ?? '' } : null;
  return {
    id,
    connectionId: text(row.connection_id) ?? '',
    name,
    kind,
    deviceType: text(row.device_type) ?? '',
    deviceName: text(row.device_name) ?? '',
    adHoc: integer(row.ad_hoc) === 1,
    phoneNumber: text(row.phone_number),
    addresses: addressesOf(row.addresses),
    connectedAt,
    endedAt: closed ? endedAt : null,
    end: closed ? end : null,
    durationMs: closed ? Math.max(0, endedAt - connectedAt) : null,
    lastState: CONNECTION_STATES.includes(row.last_state as ConnectionState) ? (row.last_state as ConnectionState) : 'disconnected',
    lastStateDetail: text(row.last_state_detail) ?? '',
    lastError,
    bytesIn: nonNegative(integer(row.bytes_in)),
    bytesOut: nonNegative(integer(row.bytes_out)),
  };
}

function nonNegative(value: number | null): number | null {
  return value !== null && value >= 0 ? value : null;
}

export function decodeDayRow(row: Record<string, unknown>): HistoryDay | null {
  const day = text(row.day);
  if (day === null || !/^\d{4}-\d{2}-\d{2}$/.test(day)) return null;
  return {
    day,
    sessions: integer(row.sessions) ?? 0,
    drops: integer(row.drops) ?? 0,
    upMs: integer(row.upMs) ?? 0,
    bytesIn: nonNegative(integer(row.bytesIn)),
    bytesOut: nonNegative(integer(row.bytesOut)),
  };
}
