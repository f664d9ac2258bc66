/**
 * `linkwatch entries | connect <name> | disconnect <id|name>`: the saved connections from the command line.
 * Parsing is a pure function (tested with generated arguments); running goes through the same core as the
 * app (SavedConnections over the monitor), so a script sees what the popup shows.
 */
import type { Connection, ErrorInfo, Snapshot } from '../../../shared/connection';
import type { SavedEntry, SavedState } from '../../../shared/saved';
import { toErrorInfo } from '../backend-error';
import type { ConnectionMonitor } from '../monitor';
import type { ConnectionSource, DialProgress } from '../platforms/source';
import { SavedConnections } from '../saved';

export type SavedCommand = { command: 'entries' } | { command: 'connect'; name: string } | { command: 'disconnect'; target: string };

export const SAVED_COMMANDS: readonly string[] = ['entries', 'connect', 'disconnect'];

/** After an interrupt, how long `connect` waits for the dial to say it is cancelled before answering itself
 * (cli.ts ends the process 1 s after the signal at the latest). */
export const INTERRUPT_ANSWER_MS = 700;

/**
 * The positionals of a saved-connection command, or why they are not one. Names are taken whole, as given:
 * a name with spaces is one (quoted) argument; one starting with "-" follows `--`.
 */
export function parseSavedCommand(positionals: readonly string[]): SavedCommand | { error: string } {
  const [command, ...rest] = positionals;
  switch (command) {
    case 'entries':
      return rest.length === 0 ? { command } : { error: `"entries" takes no argument (got ${rest.length})` };
    case 'connect':
    case 'disconnect': {
      const what = command === 'connect' ? 'the name of a saved connection' : 'a connection id or name';
      if (rest.length !== 1) return { error: `"${command}" takes one argument, ${what} (got ${rest.length}; quote a name with spaces)` };
      const value = rest[0]!;
      if (value.length === 0 || value.length > 256) return { error: `"${command}" takes ${what} of 1 to 256 characters` };
      return command === 'connect' ? { command, name: value } : { command, target: value };
    }
    default:
      return { error: `unknown command "${positionals.join(' ')}"` };
  }
}

export interface SavedIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  interrupted: Promise<void>;
  now: () => number;
}

/** `entries --json`: the schema documented in README.md. */
export function toJsonEntries(snapshot: Snapshot, state: SavedState) {
  return { platform: snapshot.platform, backend: snapshot.backend, available: state.available, entries: state.entries, error: state.error };
}

const SCOPES: Record<SavedEntry['scope'], string> = { user: 'user', allUsers: 'all users', system: 'system', service: 'network service' };

export function formatEntries(snapshot: Snapshot, state: SavedState): string {
  const heading = `${snapshot.platform} · ${snapshot.backend}`;
  if (!state.available) return `No saved connections on this system (${heading}).\n`;
  if (state.entries.length === 0) return `No saved connections (${heading}).\n`;
  const rows = state.entries.map((e) => [e.name, e.kind, SCOPES[e.scope], e.connectionId ? `connected (${e.connectionId})` : 'not connected']);
  const header = ['NAME', 'KIND', 'SAVED FOR', 'STATE'];
  const widths = header.map((title, i) => Math.max(title.length, ...rows.map((row) => row[i]!.length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i]!)).join('  ').trimEnd();
  return [line(header), ...rows.map(line)].join('\n') + '\n';
}

/** One line of `connect --json`. */
export function toJsonProgress(name: string, progress: DialProgress, time: string) {
  return { type: 'progress', time, name, connectionId: progress.connectionId, phase: progress.phase, detail: progress.detail, error: progress.error };
}

function errorText(error: ErrorInfo): string {
  return `${error.message} (${error.code})`;
}

export async function runSavedCommand(command: SavedCommand, source: ConnectionSource, monitor: ConnectionMonitor, json: boolean, io: SavedIo): Promise<number> {
  const saved = new SavedConnections(source, monitor, io.now);
  const snapshot = await monitor.refresh();
  switch (command.command) {
    case 'entries': {
      const state = await saved.refresh();
      if (json) io.stdout(`${JSON.stringify(toJsonEntries(snapshot, state), null, 2)}\n`);
      else io.stdout(formatEntries(snapshot, state));
      if (state.error) {
        if (!json) io.stderr(`linkwatch: ${errorText(state.error)}\n`);
        return 1;
      }
      return 0;
    }
    case 'connect':
      return connect(saved, command.name, json, io);
    case 'disconnect':
      return disconnect(monitor, snapshot, command.target, json, io);
  }
}

async function connect(saved: SavedConnections, name: string, json: boolean, io: SavedIo): Promise<number> {
  const print = (progress: DialProgress): void => {
    const time = new Date(io.now()).toISOString();
    if (json) io.stdout(`${JSON.stringify(toJsonProgress(name, progress, time))}\n`);
    else if (progress.phase === 'failed') io.stderr(`linkwatch: ${name}: ${progress.error ? errorText(progress.error) : 'failed'}\n`);
    else io.stdout(`${time}  ${name}: ${progress.phase === 'dialling' ? progress.detail : progress.phase}${progress.connectionId && progress.phase === 'connected' ? ` (${progress.connectionId})` : ''}\n`);
  };
  let current: string | null = null;
  try {
    await saved.refresh();
    if (!saved.state.entries.some((e) => e.name === name)) {
      const known = saved.state.entries.map((e) => JSON.stringify(e.name)).join(', ') || 'none';
      throw new Error(`No saved connection named "${name}" (saved: ${known})`);
    }
  } catch (caught) {
    const error = { ...toErrorInfo(caught), code: 'ENOENT' };
    if (json) io.stdout(`${JSON.stringify(toJsonProgress(name, { connectionId: null, phase: 'failed', detail: 'error', error }, new Date(io.now()).toISOString()))}\n`);
    else io.stderr(`linkwatch: ${errorText(error)}\n`);
    return 1;
  }
  let stopping = false;
  const hangUp = (id: string) => void saved.cancel(id).catch(() => undefined);
  const dial = saved.connect(name, (progress) => {
    current = progress.connectionId;
    // Interrupted before the dial had its handle: hung up as soon as it has one.
    if (stopping && current && progress.phase === 'dialling') hangUp(current);
    if (progress.phase === 'dialling') print(progress);
  });
  // The first Ctrl-C/SIGTERM while dialling cancels the dial (RasHangUpW on what it dialled, DeactivateConnection)
  // and ends the command within INTERRUPT_ANSWER_MS, whether or not the backend has confirmed by then: RAS's
  // hang-up is under way once RasHangUpW has returned, and the process must not outlive the user's request.
  const interrupted = io.interrupted.then(async (): Promise<DialProgress> => {
    stopping = true;
    if (current) hangUp(current);
    await new Promise((resolve) => setTimeout(resolve, INTERRUPT_ANSWER_MS).unref());
    return { connectionId: current, phase: 'cancelled', detail: 'interrupted', error: null };
  });
  const last = await Promise.race([dial, interrupted]);
  print(last);
  return last.phase === 'connected' ? 0 : 1;
}

async function disconnect(monitor: ConnectionMonitor, snapshot: Snapshot, target: string, json: boolean, io: SavedIo): Promise<number> {
  const byId = snapshot.connections.find((c) => c.id === target);
  const byName = snapshot.connections.filter((c) => c.name === target);
  let connection: Connection | undefined = byId;
  let error: ErrorInfo | null = null;
  if (!connection && byName.length > 1) {
    error = { code: 'EAMBIGUOUS', message: `${byName.length} connections are named "${target}": give the id (${byName.map((c) => c.id).join(', ')})` };
  } else {
    connection ??= byName[0];
    if (!connection) error = { code: 'ENOENT', message: `No active connection with the id or name "${target}"` };
  }
  if (connection && !error) {
    try {
      await monitor.hangUp(connection.id);
    } catch (caught) {
      error = toErrorInfo(caught);
    }
  }
  const done = connection && !error ? { id: connection.id, name: connection.name } : null;
  if (json) io.stdout(`${JSON.stringify({ disconnected: done, error }, null, 2)}\n`);
  else if (done) io.stdout(`Disconnected ${done.name} (${done.id}).\n`);
  if (error) {
    if (!json) io.stderr(`linkwatch: ${errorText(error)}\n`);
    return 1;
  }
  return 0;
}
