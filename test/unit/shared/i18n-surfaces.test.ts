/**
 * The pseudo-locale over every Node surface the catalogue serves (the tray menu and tooltip, notifications,
 * the CLI's tables): each word of Linkwatch's own comes out accented and bracketed, so none is hard-coded.
 * Data (names, addresses, codes) passes through as it is.
 */
import assert from 'node:assert/strict';
import { afterEach, test } from 'node:test';
import { coalesce, NotificationPolicy, type Toast } from '../../../electron/app-logic/notification-policy';
import { notificationFailure } from '../../../electron/app-logic/notification-failure';
import { trayMenuItems } from '../../../electron/app-logic/tray-menu';
import { trayTooltip } from '../../../electron/app-logic/tray-state';
import { formatTable } from '../../../electron/core/cli/cli-app';
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
