/**
 * The pseudo-locale over every Node surface the catalogue serves (the tray menu and tooltip, notifications,
 * the CLI's tables): each word of Linkwatch's own comes out accented and bracketed, so none is hard-coded.
 * Data (names, addresses, codes) passes through as it is. Also: the CLI's usage and usage errors, `entries`,
 * `connect`/`disconnect` and `export` messages, diagnose's policy lines, the tray's "Set by your organisation" and
 * the export folder chooser.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { coalesce, NotificationPolicy, type Toast } from '../../../electron/app-logic/notification-policy';
import { notificationFailure } from '../../../electron/app-logic/notification-failure';
import { trayMenuItems } from '../../../electron/app-logic/tray-menu';
import { trayTooltip } from '../../../electron/app-logic/tray-state';
import { exportDialogWords } from '../../../electron/app-logic/export-dialog';
import { lockedNote } from '../../../electron/app-logic/tray-menu';
import { formatTable, runCli, usage } from '../../../electron/core/cli/cli-app';
import { SINCE_FORMATS } from '../../../electron/core/cli/history-command';
import { runExport } from '../../../electron/core/cli/export-command';
import { formatEntries, parseSavedCommand } from '../../../electron/core/cli/saved-commands';
import { formatPolicy } from '../../../electron/core/diagnostics';
import type { ConnectionMonitor } from '../../../electron/core/monitor';
import type { ConnectionSource } from '../../../electron/core/platforms/source';
import { sourceConnection } from '../../support/scripted-source';
import { setLocale } from '../../../shared/i18n';
import { DEFAULT_SETTINGS } from '../../../shared/ipc';
import { connection, snapshot } from '../renderer/connection-fixture';

afterEach(() => setLocale('en'));

/** What is left of a text once the pseudo-words (⟦…⟧) and the data are taken out: no plain word may remain. */
function plainWords(text: string, data: readonly string[]): string[] {
  let rest = text.replace(/⟦[^⟧]*⟧/g, ' ');
  for (const item of data) rest = rest.split(item).join(' ');
  return rest.match(/[A-Za-z]{2,}/g) ?? [];
}

test('tray menu and tooltip: every word from the catalogue', () => {
  setLocale('en-XA');
  const saved = { available: true, entries: [{ name: 'Office', scope: 'user' as const, kind: 'vpn' as const, phonebook: null, connectionId: 'ras:1', dial: null }], error: null };
  const items = trayMenuItems({ settings: DEFAULT_SETTINGS, canStartAtLogin: true, notes: { notifications: 'x' }, saved });
  const labels = items.flatMap((item) => (item.kind === 'separator' ? [] : item.kind === 'connect' ? [item.label, ...item.items.map((i) => i.label)] : [item.label]));
  assert.ok(labels.length >= 6);
  for (const label of labels) assert.deepEqual(plainWords(label, ['Linkwatch', 'Office']), [], label);
  const tooltip = trayTooltip(snapshot([connection({ id: 'a', name: 'Office', addresses: ['10.0.0.2/32'] }), connection({ id: 'b', name: 'Lab', state: 'connecting' })], 1));
  assert.deepEqual(plainWords(tooltip, ['Linkwatch', 'Office', 'Lab']), [], tooltip);
  assert.match(tooltip, /10\.0\.0\.2/);
});

test('notifications: titles and bodies from the catalogue', () => {
  setLocale('en-XA');
  const toasts: Toast[] = [];
  let fire: (() => void) | null = null;
  const policy = new NotificationPolicy((toast) => toasts.push(toast), { settleMs: 0, clock: { now: () => 0, setTimer: (callback) => ((fire = callback), () => {}) } });
  policy.update({ events: [], snapshot: snapshot([], 1) });
  policy.update({ events: [], snapshot: snapshot([connection({ id: 'a', name: 'Office' })], 2) });
  (fire as (() => void) | null)?.();
  assert.equal(toasts.length, 1);
  assert.deepEqual(plainWords(`${toasts[0]!.title} ${toasts[0]!.body}`, ['Office', 'WAN Miniport (IKEv2)']), [], JSON.stringify(toasts[0]));
  const many = coalesce([{ title: 'a', body: '' }, { title: 'b', body: '' }, { title: 'c', body: '' }, { title: 'd', body: '' }, { title: 'e', body: '' }]);
  assert.deepEqual(plainWords(`${many.title} ${many.body}`, []), []);
  assert.deepEqual(plainWords(notificationFailure('darwin', '').reason, ['macOS']), []);
});

test('the CLI table: headers and sentences from the catalogue, data as it is', () => {
  setLocale('en-XA');
  const table = formatTable(snapshot([connection({ id: 'a', name: 'Office', addresses: ['10.0.0.2/32'], lastError: { code: 691, message: 'x' } })], 1), 1000);
  assert.deepEqual(plainWords(table, ['Office', 'WAN Miniport (IKEv2)', 'vpn', 'connected', '10.0.0.2/32']), [], table);
  const empty = formatTable(snapshot([], 1), 1000);
  assert.deepEqual(plainWords(empty, ['win32', 'rasapi32']), [], empty);
});

test('the CLI: usage, usage errors, entries, disconnect and export messages from the catalogue', async () => {
  setLocale('en-XA');
  // The usage's command and option names are the program's interface, not words: they stay as typed (as does
  // --since's list of formats, history-command.ts's SINCE_FORMATS, which it also prints in its own error).
  const help = usage();
  const names = help.split('\n').flatMap((line) => /^ {2}(\S.*?)(?: {2,}|$)/.exec(line)?.[1] ?? []);
  assert.ok(names.includes('disconnect <id|name>') && names.includes('--prometheus <dir>') && names.includes('-h, --help'), names.join(' | '));
  assert.deepEqual(plainWords(help, [...names, 'linkwatch <command> [options]', SINCE_FORMATS, 'linkwatch.prom', 'linkwatch.json', 'node_exporter', 'windows_exporter']), [], help);
  const options = ['linkwatch', 'interval', 'entries', 'connect', 'disconnect', 'frobnicate'];
  for (const parsed of [parseSavedCommand(['entries', 'x']), parseSavedCommand(['connect']), parseSavedCommand(['disconnect', '']), parseSavedCommand(['frobnicate'])]) {
    assert.ok('error' in parsed);
    assert.deepEqual(plainWords(parsed.error, options), [], parsed.error);
  }
  const entries = { available: true, entries: [{ name: 'Office', scope: 'allUsers' as const, kind: 'vpn' as const, phonebook: null, connectionId: 'ras:1', dial: null }, { name: 'Lab', scope: 'user' as const, kind: 'vpn' as const, phonebook: null, connectionId: null, dial: null }], error: null };
  const table = formatEntries(snapshot([], 1), entries);
  assert.deepEqual(plainWords(table, ['Office', 'Lab', 'vpn', 'ras:1']), [], table);
  const none = formatEntries(snapshot([], 1), { available: false, entries: [], error: null });
  assert.deepEqual(plainWords(none, ['win32', 'rasapi32']), [], none);

  const source: ConnectionSource = { backend: 'rasapi32', read: async () => [sourceConnection({ id: 'ras:7', name: 'Office' })], hangUp: async () => {}, close: () => {} };
  let out = '';
  let err = '';
  const io = { stdout: (text: string) => void (out += text), stderr: (text: string) => void (err += text), interrupted: new Promise<void>(() => {}), createSource: () => source };
  assert.equal(await runCli(['disconnect', 'Office'], io), 0);
  assert.deepEqual(plainWords(out, ['Office', 'ras']), [], out);
  assert.equal(await runCli(['disconnect', 'Nowhere'], io), 1);
  assert.deepEqual(plainWords(err, ['linkwatch', 'Nowhere', 'ENOENT']), [], err);
  err = '';
  assert.equal(await runCli(['list', '--interval', '5'], io), 2);
  assert.deepEqual(plainWords(err, ['linkwatch', 'interval', ...options]), [], err);

  err = '';
  const exported = await runExport({ directory: '/nonexistent/linkwatch-export', watch: false }, source, {} as ConnectionMonitor, { ...io, statusDocument: () => ({}) });
  assert.equal(exported, 1);
  // The system's own text (ENOENT: no such file or directory…) is data, from Node.
  assert.match(err, /^linkwatch: ⟦[^⟧]*⟧/, err);
});

test('diagnose’s policy lines, the tray’s lock note and the export folder chooser from the catalogue', () => {
  setLocale('en-XA');
  const lines = formatPolicy({ source: '/etc/linkwatch/policy.json', locked: { notifications: false }, recommended: { historyDays: 30 }, hideConnectControls: true, problems: ['"theme" is ignored'] });
  for (const line of lines) assert.deepEqual(plainWords(line, ['/etc/linkwatch/policy.json', 'notifications = false', 'historyDays = 30', '"theme" is ignored', 'hideConnectControls']), [], line);
  assert.deepEqual(plainWords(formatPolicy({ source: null, locked: {}, recommended: {}, hideConnectControls: false, problems: [] }).join('\n'), []), []);
  assert.deepEqual(plainWords(lockedNote(), []), []);
  for (const text of Object.values(exportDialogWords())) assert.deepEqual(plainWords(text, ['node_exporter', 'windows_exporter']), [], text);
  setLocale('en');
  assert.equal(lockedNote(), 'Set by your organisation');
});
