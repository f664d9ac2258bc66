import { parseArgs } from 'node:util';
import type { Connection, MonitorEvent, Snapshot } from '../../../shared/connection';
import { displayName, formatBytes, formatDuration, formatRate } from '../../../shared/format';
import { collectDiagnostics, formatDiagnostics } from '../diagnostics';
import '../../../shared/i18n/all';
import { translator } from '../../../shared/i18n';
import { ConnectionMonitor, DEFAULT_POLL_INTERVAL_MS } from '../monitor';
import { runHistory, SINCE_FORMATS } from './history-command';
import { runExport } from './export-command';
import { toJsonSnapshot } from '../snapshot-json';
import type { Policy } from '../../../shared/policy';
import { createSource } from '../platforms';
import type { ConnectionSource } from '../platforms/source';
import { SAVED_COMMANDS, parseSavedCommand, runSavedCommand } from './saved-commands';
import { runKeep } from './keep-command';
import { HealthProber } from '../health/prober';

export const USAGE = `Usage: linkwatch <command> [options]

Commands:
  list     Print the active dial-up and VPN connections, then exit
  watch    Print every change (added, changed, removed) until interrupted
  entries  Print the saved connections (Windows phone book, NetworkManager VPN and WireGuard profiles)
  connect <name>         Bring a saved connection up, printing each step; exit 0 once connected
  connect --keep <name>  Bring it up and keep it connected (redial after a drop) until interrupted
  disconnect <id|name>   Hang up an active connection
  diagnose Print every interface the OS reports, listed or not and why, and how the backend reads
  history  Print the sessions recorded by the app: when each was up, for how long, how it ended
  export --prometheus <dir>   Write linkwatch.prom (Prometheus textfile) and linkwatch.json into <dir>

Options:
  --json            Machine-readable output (list, entries, disconnect, history: one object; watch, connect: one per line)
  --stats           Read byte counters too (watch: and throughput, refreshed every second)
  --interval <ms>   Poll period where the backend has no push notifications (default ${DEFAULT_POLL_INTERVAL_MS})
  --since <date>    history: only sessions up at some time since then:
                    ${SINCE_FORMATS}
  --name <entry>    history: only the sessions of this connection (entry name, case-insensitive)
  --keep <entry>    watch, connect: keep this saved connection connected meanwhile (repeatable for watch)
  --probe           watch: every 10 s, an ICMP echo to each connected tunnel's gateway, inside the tunnel only
  --prometheus <dir>  export: the textfile collector's folder (node_exporter, windows_exporter)
  --watch           export: keep the files current until interrupted (then remove them)
  -h, --help        Show this help

Exit status: 0 on success, 1 when the backend failed or the history cannot be read (the JSON still carries
"error") or a connect or disconnect did not succeed, 2 on bad usage. A name with spaces is one quoted argument;
after -- it may start with -.`;

export interface CliIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  /** Resolves when the user interrupts (SIGINT/SIGTERM) or the output closes. */
  interrupted: Promise<void>;
  createSource?: () => ConnectionSource;
  now?: () => number;
  /** How long a read may hang before `list` gives up with an ETIMEDOUT error (the monitor's default). */
  readTimeoutMs?: number;
  /** `history`: the file to read instead of the app's (tests; LINKWATCH_HISTORY does the same). */
  historyPath?: string;
}

/** Options that belong to some commands only: anywhere else they are a usage error, not ignored. */
const ONLY_FOR: Record<string, readonly string[]> = {
  stats: ['list', 'watch'],
  interval: ['list', 'watch'],
  since: ['history'],
  name: ['history'],
  prometheus: ['export'],
  watch: ['export'],
  keep: ['watch', 'connect'],
  probe: ['watch'],
};

/** The `linkwatch` command. Returns the exit status; prints through `io` only. */
export async function runCli(argv: string[], io: CliIo): Promise<number> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        json: { type: 'boolean', default: false },
        stats: { type: 'boolean', default: false },
        interval: { type: 'string' },
        since: { type: 'string' },
        name: { type: 'string' },
        keep: { type: 'string', multiple: true },
        probe: { type: 'boolean', default: false },
        prometheus: { type: 'string' },
        watch: { type: 'boolean', default: false },
        help: { type: 'boolean', short: 'h', default: false },
      },
    });
  } catch (error) {
    io.stderr(`linkwatch: ${(error as Error).message}\n\n${USAGE}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${USAGE}\n`);
    return 0;
  }
  const command = positionals[0];
  if (values.keep !== undefined) {
    // `connect --keep <name>` (the name is the option's value) and `watch --keep <name>…`: keep-command.ts.
    const dialFirst = command === 'connect';
    if (positionals.length !== 1 || (command !== 'connect' && command !== 'watch') || (dialFirst && values.keep.length !== 1)) {
      io.stderr(`linkwatch: --keep is for "connect --keep <name>" and "watch --keep <name>…"\n\n${USAGE}\n`);
      return 2;
    }
    const now = io.now ?? Date.now;
    const source = (io.createSource ?? createSource)();
    const monitor = new ConnectionMonitor(source, { now, readTimeoutMs: io.readTimeoutMs });
    const printer = { event: (event: MonitorEvent, time: string) => (values.json ? JSON.stringify(toJsonEvent(event, time)) : formatEvent(event, time)) };
    try {
      return await runKeep(source, monitor, values.keep, values.json, { ...io, now }, printer, dialFirst);
    } finally {
      monitor.close();
    }
  }
  if (command !== undefined && SAVED_COMMANDS.includes(command)) {
    const saved = parseSavedCommand(positionals);
    if ('error' in saved) {
      io.stderr(`linkwatch: ${saved.error}\n\n${USAGE}\n`);
      return 2;
    }
    const source = (io.createSource ?? createSource)();
    const monitor = new ConnectionMonitor(source, { now: io.now, readTimeoutMs: io.readTimeoutMs });
    try {
      if (saved.command !== 'entries' && (await source.policy?.())?.hideConnectControls) {
        io.stderr(`linkwatch: ${saved.command} is turned off by your organisation's policy (hideConnectControls; see linkwatch diagnose)\n`);
        return 1;
      }
      return await runSavedCommand(saved, source, monitor, values.json, { ...io, now: io.now ?? Date.now });
    } finally {
      monitor.close();
    }
  }
  if (positionals.length !== 1 || (command !== 'list' && command !== 'watch' && command !== 'diagnose' && command !== 'history' && command !== 'export')) {
    io.stderr(`linkwatch: ${command ? `unknown command "${positionals.join(' ')}"` : 'no command given'}\n\n${USAGE}\n`);
    return 2;
  }
  for (const [option, commands] of Object.entries(ONLY_FOR)) {
    const given = (values as Record<string, unknown>)[option];
    if (given !== undefined && given !== false && !commands.includes(command)) {
      io.stderr(`linkwatch: --${option} is for ${commands.join(' and ')}, not ${command}\n`);
      return 2;
    }
  }
  if (command === 'history') {
    return runHistory({ json: values.json, since: values.since, name: values.name }, { stdout: io.stdout, stderr: io.stderr, now: io.now, historyPath: io.historyPath });
  }
  let pollIntervalMs = DEFAULT_POLL_INTERVAL_MS;
  if (values.interval !== undefined) {
    pollIntervalMs = Number(values.interval);
    if (!Number.isInteger(pollIntervalMs) || pollIntervalMs < 10 || pollIntervalMs > 3_600_000) {
      io.stderr(`linkwatch: --interval takes whole milliseconds from 10 to 3600000, not "${values.interval}"\n`);
      return 2;
    }
  }
  if (command === 'export' && values.prometheus === undefined) {
    io.stderr(`linkwatch: export needs --prometheus <dir>, the folder the exporter's textfile collector reads\n`);
    return 2;
  }
  const now = io.now ?? Date.now;
  const source = (io.createSource ?? createSource)();
  const monitor = new ConnectionMonitor(source, { pollIntervalMs, now, readTimeoutMs: io.readTimeoutMs });
  try {
    if (command === 'list') return await list(monitor, values.json, values.stats, io, now);
    if (command === 'diagnose') return await diagnose(monitor, values.json, io, source.policy ? () => source.policy!() : null);
    if (command === 'export') {
      return await runExport({ directory: values.prometheus!, watch: values.watch }, source, monitor, { ...io, statusDocument: toJsonSnapshot });
    }
    return await watch(monitor, values.json, values.stats, io, now, values.probe ? source : null);
  } finally {
    monitor.close();
  }
}

async function list(monitor: ConnectionMonitor, json: boolean, stats: boolean, io: CliIo, now: () => number): Promise<number> {
  const release = stats ? monitor.wantCounters() : null;
  // Subscribed, as `watch` would be: the first update is one read (or its ETIMEDOUT), and it tells whether
  // this machine keeps the list current by push or by polling.
  let unsubscribe = () => {};
  const snapshot = await new Promise<Snapshot>((resolve) => {
    unsubscribe = monitor.subscribe((update) => resolve(update.snapshot));
  });
  unsubscribe();
  release?.();
  if (json) io.stdout(`${JSON.stringify(toJsonSnapshot(snapshot), null, 2)}\n`);
  else io.stdout(formatTable(snapshot, now()));
  if (snapshot.error) {
    if (!json) io.stderr(`linkwatch: ${snapshot.error.message} (${snapshot.error.code})\n`);
    return 1;
  }
  return 0;
}

/** Subscribes (so that push is tried, as `watch` would), waits for the first read, then asks the backend. */
async function diagnose(monitor: ConnectionMonitor, json: boolean, io: CliIo, policy: (() => Promise<Policy>) | null): Promise<number> {
  let unsubscribe: () => void = () => {};
  await new Promise<void>((resolve) => {
    unsubscribe = monitor.subscribe(() => resolve());
  });
  try {
    const diagnostics = await collectDiagnostics(monitor, { policy: policy ?? undefined });
    io.stdout(json ? `${JSON.stringify(diagnostics, null, 2)}\n` : formatDiagnostics(diagnostics));
    return diagnostics.error ? 1 : 0;
  } finally {
    unsubscribe();
  }
}

async function watch(monitor: ConnectionMonitor, json: boolean, stats: boolean, io: CliIo, now: () => number, probed: ConnectionSource | null): Promise<number> {
  let failed = false;
  const release = stats ? monitor.wantCounters() : null;
  // Every connected tunnel's health (healthy, quiet, stalled, verifying) rides on its connection: counters at
  // most once per 10 s per connected tunnel, none while nothing is connected (health-rule.ts).
  const releaseHealth = monitor.wantHealth();
  if (probed && !probed.probe) io.stderr(`linkwatch: the ${probed.backend} backend cannot probe tunnels here\n`);
  const prober = probed?.probe ? new HealthProber(monitor, (request) => probed.probe!(request), () => true) : null;
  const unsubscribe = monitor.subscribe((update) => {
    const time = new Date(now()).toISOString();
    for (const event of update.events) {
      if (event.type === 'error') failed = event.error !== null;
      io.stdout(json ? `${JSON.stringify(toJsonEvent(event, time))}\n` : `${formatEvent(event, time)}\n`);
    }
  });
  prober?.start();
  await io.interrupted;
  prober?.stop();
  unsubscribe();
  release?.();
  releaseHealth();
  return failed ? 1 : 0;
}

export { toJsonSnapshot } from '../snapshot-json';

/** One line of `watch --json`. */
export function toJsonEvent(event: MonitorEvent, time: string) {
  switch (event.type) {
    case 'error':
      return { type: event.type, time, error: event.error };
    case 'changed':
      return { type: event.type, time, connection: event.connection, fields: event.fields };
    default:
      return { type: event.type, time, connection: event.connection };
  }
}

// The human output's words come from the catalogue's `cli` namespace (shared/i18n/en/cli.json); --json is data.
const t = translator('cli');

function describe(connection: Connection): string {
  return connection.adHoc ? t('adHoc', { name: displayName(connection) }) : connection.name;
}

export function formatEvent(event: MonitorEvent, time: string): string {
  switch (event.type) {
    case 'added':
      return `${time}  + ${describe(event.connection)} [${event.connection.kind}] ${event.connection.state}`;
    case 'removed':
      return `${time}  - ${describe(event.connection)} [${event.connection.kind}] ${t('event.gone')}`;
    case 'changed': {
      const { connection, previous, fields } = event;
      const state = fields.includes('state') ? `${previous.state} -> ${connection.state}` : connection.state;
      const health = fields.includes('health') && connection.health ? `, health ${connection.health.status}: ${connection.health.reason}` : '';
      return `${time}  ~ ${describe(connection)} [${connection.kind}] ${state} (${fields.join(', ')})${health}`;
    }
    case 'error':
      return event.error ? `${time}  ! ${event.error.message} (${event.error.code})` : `${time}  ! ${t('event.recovered')}`;
  }
}

const COLUMNS: { title: () => string; cell: (connection: Connection, now: number) => string }[] = [
  { title: () => t('column.name'), cell: (c) => describe(c) },
  { title: () => t('column.kind'), cell: (c) => c.kind },
  { title: () => t('column.state'), cell: (c) => (c.lastError ? t('state.withError', { state: c.state, code: String(c.lastError.code) }) : c.state) },
  { title: () => t('column.device'), cell: (c) => [c.deviceName, c.deviceType].filter(Boolean).join(' · ') },
  { title: () => t('column.addresses'), cell: (c) => c.addresses.join(' ') || '–' },
  { title: () => t('column.upFor'), cell: (c, now) => (c.connectedSince === null ? '–' : formatDuration(now - c.connectedSince)) },
  {
    title: () => t('column.inOut'),
    cell: (c) => {
      if (c.bytesIn === null || c.bytesOut === null) return '–';
      const rates = c.rateIn !== null && c.rateOut !== null ? ` (${formatRate(c.rateIn)} / ${formatRate(c.rateOut)})` : '';
      return `${formatBytes(c.bytesIn)} / ${formatBytes(c.bytesOut)}${rates}`;
    },
  },
];

/** The readable `list`: one line per connection under a header, or a sentence when there are none. */
export function formatTable(snapshot: Snapshot, now: number): string {
  const heading = `${snapshot.platform} · ${snapshot.backend}`;
  if (snapshot.connections.length === 0) {
    return `${t('list.none', { heading })}\n`;
  }
  const rows = snapshot.connections.map((connection) => COLUMNS.map((column) => column.cell(connection, now)));
  const titles = COLUMNS.map((column) => column.title());
  const widths = titles.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  return [line(titles), ...rows.map(line)].join('\n') + '\n';
}
