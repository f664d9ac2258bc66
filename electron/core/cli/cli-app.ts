import { parseArgs } from 'node:util';
import type { Connection, MonitorEvent, Snapshot } from '../../../shared/connection';
import { displayName, formatBytes, formatDuration, formatRate } from '../../../shared/format';
import { WARNING_TEXT, dnsSentence, routingSummary, trafficSentence } from '../../../shared/routing-format';
import { collectDiagnostics, formatDiagnostics } from '../diagnostics';
import '../../../shared/i18n/all';
import { currentLocale, translate, translator } from '../../../shared/i18n';
import { PROMETHEUS_FILE, STATUS_FILE } from '../export/textfile-export';
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

/**
 * `linkwatch --help`: the descriptions from the catalogue (`cli` namespace, `usage.*`) in the locale in force;
 * the command and option names are the program's interface, never translated, so they stay in the code.
 */
export function usage(): string {
  const t = translator('cli');
  const commands: [string, string][] = [
    ['list', t('usage.command.list')],
    ['watch', t('usage.command.watch')],
    ['entries', t('usage.command.entries')],
    ['connect <name>', t('usage.command.connect')],
    ['connect --keep <name>', t('usage.command.connectKeep')],
    ['disconnect <id|name>', t('usage.command.disconnect')],
    ['diagnose', t('usage.command.diagnose')],
    ['history', t('usage.command.history')],
    ['export --prometheus <dir>', t('usage.command.export', { prometheus: PROMETHEUS_FILE, status: STATUS_FILE })],
  ];
  const options: [string, string][] = [
    ['--json', t('usage.option.json')],
    ['--stats', t('usage.option.stats')],
    ['--interval <ms>', t('usage.option.interval', { interval: String(DEFAULT_POLL_INTERVAL_MS) })],
    ['--since <date>', t('usage.option.since')],
    ['', SINCE_FORMATS],
    ['--name <entry>', t('usage.option.name')],
    ['--keep <entry>', t('usage.option.keep')],
    ['--probe', t('usage.option.probe')],
    ['--prometheus <dir>', t('usage.option.prometheus', { exporters: 'node_exporter, windows_exporter' })],
    ['--watch', t('usage.option.watch')],
    ['-h, --help', t('usage.option.help')],
  ];
  const column = (rows: [string, string][]): string[] => {
    const width = Math.max(...rows.map(([left]) => left.length)) + 2;
    return rows.map(([left, text]) => `  ${left.padEnd(width)}${text}`);
  };
  return [t('usage.heading', { synopsis: 'linkwatch <command> [options]' }), '', t('usage.commands'), ...column(commands), '', t('usage.options'), ...column(options), '', t('usage.exit')].join('\n');
}

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

/** "linkwatch: <message>", as every error line of the CLI starts (the program's name is not a word to translate). */
function usageError(message: string): string {
  return `linkwatch: ${message}`;
}

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
    io.stderr(`${usageError((error as Error).message)}\n\n${usage()}\n`);
    return 2;
  }
  const { values, positionals } = parsed;
  if (values.help) {
    io.stdout(`${usage()}\n`);
    return 0;
  }
  const command = positionals[0];
  if (values.keep !== undefined) {
    // `connect --keep <name>` (the name is the option's value) and `watch --keep <name>…`: keep-command.ts.
    const dialFirst = command === 'connect';
    if (positionals.length !== 1 || (command !== 'connect' && command !== 'watch') || (dialFirst && values.keep.length !== 1)) {
      io.stderr(`linkwatch: --keep is for "connect --keep <name>" and "watch --keep <name>…"\n\n${usage()}\n`);
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
      io.stderr(`${usageError(saved.error)}\n\n${usage()}\n`);
      return 2;
    }
    const source = (io.createSource ?? createSource)();
    const monitor = new ConnectionMonitor(source, { now: io.now, readTimeoutMs: io.readTimeoutMs });
    try {
      if (saved.command !== 'entries' && (await source.policy?.())?.hideConnectControls) {
        io.stderr(`${usageError(translate('cli', 'policy.hidden', { command: saved.command }))}\n`);
        return 1;
      }
      return await runSavedCommand(saved, source, monitor, values.json, { ...io, now: io.now ?? Date.now });
    } finally {
      monitor.close();
    }
  }
  if (positionals.length !== 1 || (command !== 'list' && command !== 'watch' && command !== 'diagnose' && command !== 'history' && command !== 'export')) {
    io.stderr(`${usageError(command ? translate('cli', 'usage.unknownCommand', { command: positionals.join(' ') }) : translate('cli', 'usage.noCommand'))}\n\n${usage()}\n`);
    return 2;
  }
  for (const [option, commands] of Object.entries(ONLY_FOR)) {
    const given = (values as Record<string, unknown>)[option];
    if (given !== undefined && given !== false && !commands.includes(command)) {
      const list = new Intl.ListFormat(currentLocale(), { type: 'conjunction' }).format(commands);
      io.stderr(`${usageError(translate('cli', 'usage.optionFor', { option, commands: list, command }))}\n`);
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
      io.stderr(`${usageError(translate('cli', 'usage.interval', { value: values.interval }))}\n`);
      return 2;
    }
  }
  if (command === 'export' && values.prometheus === undefined) {
    io.stderr(`${usageError(translate('cli', 'usage.exportFolder'))}\n`);
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
  let verdictShown: string | undefined;
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
    // The verdict (issue 25) is the snapshot's, not an event's: a line whenever it differs from the last shown.
    const verdict = JSON.stringify(update.snapshot.verdict);
    if (verdict !== verdictShown && (verdictShown !== undefined || update.snapshot.verdict !== null)) {
      verdictShown = verdict;
      io.stdout(json ? `${JSON.stringify({ type: 'verdict', time, verdict: update.snapshot.verdict })}\n` : `${time}  = ${verdictLine(update.snapshot)}\n`);
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
  // Routing (issue 25): the verdict's wording is English for now (shared/routing-format.ts), as is this title.
  { title: () => 'ROUTES', cell: (c) => routingSummary(c.routing) ?? '–' },
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

/** The verdict in one line (watch): traffic, then names, then warnings. */
export function verdictLine(snapshot: Pick<Snapshot, 'connections' | 'verdict'>): string {
  const { connections, verdict } = snapshot;
  if (!verdict) return 'no routing verdict';
  const words = [trafficSentence(connections, verdict), dnsSentence(connections, verdict), ...verdict.warnings.map((w) => `warning: ${WARNING_TEXT[w]}`)];
  return words.filter((w): w is string => w !== null).join('. ');
}

/** The verdict under the `list` table (issue 25): each sentence on its own line, warnings marked. */
export function formatVerdict(snapshot: Pick<Snapshot, 'connections' | 'verdict'>): string {
  const { connections, verdict } = snapshot;
  if (!verdict) return '';
  const lines = [trafficSentence(connections, verdict), dnsSentence(connections, verdict)].filter((l): l is string => l !== null);
  for (const warning of verdict.warnings) lines.push(`Warning: ${WARNING_TEXT[warning]}`);
  return lines.map((l) => `${l}.\n`).join('');
}

/** The readable `list`: one line per connection under a header, or a sentence when there are none. */
export function formatTable(snapshot: Snapshot, now: number): string {
  const heading = `${snapshot.platform} · ${snapshot.backend}`;
  if (snapshot.connections.length === 0) {
    return `${t('list.none', { heading })}\n${formatVerdict(snapshot)}`;
  }
  // The ROUTES column only where the backend reads routes (issue 25).
  const columns = snapshot.verdict === null && snapshot.connections.every((c) => c.routing === null) ? COLUMNS.filter((c) => c.title() !== 'ROUTES') : COLUMNS;
  const rows = snapshot.connections.map((connection) => columns.map((column) => column.cell(connection, now)));
  const titles = columns.map((column) => column.title());
  const widths = titles.map((title, index) => Math.max(title.length, ...rows.map((row) => row[index]!.length)));
  const line = (cells: string[]) => cells.map((cell, index) => cell.padEnd(widths[index]!)).join('  ').trimEnd();
  return [line(titles), ...rows.map(line)].join('\n') + '\n' + formatVerdict(snapshot);
}
