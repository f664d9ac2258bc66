/**
 * What the user sees of health and Keep connected outside the popup: the tray's fifth state and tooltip, one
 * stall notification per stall (muted per connection, not repeated by a flapping link), the Keep Connected
 * submenu, and the reconnect notifications' wording.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Connection } from '../../../shared/connection';
import type { HealthStatus } from '../../../shared/health';
import type { ReconnectEvent } from '../../../shared/reconnect';
import type { SavedEntry } from '../../../shared/saved';
import { HealthNotifications, REPEAT_AFTER_MS } from '../../../electron/app-logic/health-notifications';
import type { Toast } from '../../../electron/app-logic/notification-policy';
import { reconnectToast } from '../../../electron/app-logic/reconnect-notifications';
import { keepSubmenu, trayMenuItems } from '../../../electron/app-logic/tray-menu';
import { trayStateOf, trayTooltip } from '../../../electron/app-logic/tray-state';
import { FakeClock } from '../../support/fake-clock';
import { connection, snapshot, update } from './connections';

const withHealth = (id: string, name: string, status: HealthStatus | null): Connection =>
  connection({ id, name, health: status ? { status, since: 0, reason: status === 'stalled' ? 'sent 12 KB in 24 s, received nothing' : 'received 1 KB in 10 s', probe: null } : null });

describe('tray: the stalled state', () => {
  it('a connected tunnel that stalled makes the icon "stalled", and its tooltip line says so', () => {
    const s = snapshot([withHealth('a', 'Office VPN', 'stalled'), withHealth('b', 'Home', 'healthy')]);
    assert.equal(trayStateOf(s), 'stalled');
    assert.match(trayTooltip(s), /Office VPN · stalled/);
  });
  it('healthy, quiet and verifying tunnels are plainly connected; an error still wins over a stall', () => {
    for (const status of ['healthy', 'quiet', 'verifying', null] as const) assert.equal(trayStateOf(snapshot([withHealth('a', 'VPN', status)])), 'connected');
    assert.equal(trayStateOf(snapshot([withHealth('a', 'VPN', 'stalled')], { error: { code: 621, message: 'x' } })), 'error');
  });
});

describe('stall notifications', () => {
  function setup(muted: string[] = []) {
    const clock = new FakeClock(1_000_000);
    const toasts: Toast[] = [];
    const notifications = new HealthNotifications((toast) => toasts.push(toast), () => muted, clock);
    return { clock, toasts, notifications };
  }

  it('one notification when it stalls, none while it stays stalled, none on recovery', () => {
    const { toasts, notifications } = setup();
    notifications.update(update([withHealth('a', 'Office VPN', 'healthy')]));
    notifications.update(update([withHealth('a', 'Office VPN', 'stalled')]));
    notifications.update(update([withHealth('a', 'Office VPN', 'stalled')]));
    notifications.update(update([withHealth('a', 'Office VPN', 'healthy')]));
    assert.deepEqual(toasts, [{ title: 'Office VPN stalled', body: 'Connected, but nothing comes back: sent 12 KB in 24 s, received nothing.' }]);
  });

  it('a link flapping between stalled and healthy is announced again only after 10 minutes', () => {
    const { clock, toasts, notifications } = setup();
    for (let i = 0; i < 20; i += 1) {
      notifications.update(update([withHealth('a', 'Office VPN', i % 2 ? 'healthy' : 'stalled')]));
      clock.advance(20_000);
    }
    assert.equal(toasts.length, 1);
    clock.advance(REPEAT_AFTER_MS);
    notifications.update(update([withHealth('a', 'Office VPN', 'stalled')]));
    assert.equal(toasts.length, 2);
  });

  it('muted per connection: that one never, the others still', () => {
    const { toasts, notifications } = setup(['Office VPN']);
    notifications.update(update([withHealth('a', 'Office VPN', 'stalled'), withHealth('b', 'Lab', 'healthy')]));
    notifications.update(update([withHealth('a', 'Office VPN', 'stalled'), withHealth('b', 'Lab', 'stalled')]));
    assert.deepEqual(toasts.map((t) => t.title), ['Lab stalled']);
  });
});

describe('Keep Connected in the tray menu', () => {
  const entry = (name: string, more: Partial<SavedEntry> = {}): SavedEntry => ({ name, scope: 'user', kind: 'vpn', phonebook: null, connectionId: null, dial: null, ...more });
  it('one checkbox per saved entry, off by default, on for the kept ones', () => {
    const menu = keepSubmenu({ available: true, error: null, entries: [entry('Office VPN'), entry('Lab')] }, ['Lab']);
    assert.deepEqual(menu, { kind: 'keep', label: 'Keep Connected', items: [{ name: 'Office VPN', label: 'Office VPN', checked: false, enabled: true }, { name: 'Lab', label: 'Lab', checked: true, enabled: true }] });
  });
  it('an entry without a saved password is greyed with the reason; one NetworkManager reconnects says so', () => {
    const menu = keepSubmenu({ available: true, error: null, entries: [entry('Office VPN', { keepBlocked: 'no saved password' }), entry('wg0', { systemReconnects: 'NetworkManager reconnects it' })] });
    assert.deepEqual(
      menu?.kind === 'keep' && menu.items.map((i) => [i.label, i.enabled]),
      [
        ['Office VPN (no saved password)', false],
        ['wg0 (NetworkManager reconnects it)', false],
      ],
    );
  });
  it('after Connect in the menu, before the settings', () => {
    const items = trayMenuItems({ settings: { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null }, canStartAtLogin: true, saved: { available: true, error: null, entries: [entry('Office VPN')] } });
    assert.deepEqual(items.slice(0, 3).map((i) => i.kind), ['action', 'connect', 'keep']);
  });
});

describe('reconnect notifications', () => {
  const event = (step: ReconnectEvent['step'], more: Partial<ReconnectEvent> = {}): ReconnectEvent => ({ type: 'reconnect', name: 'Office VPN', step, attempt: 1, at: 0, delayMs: null, downForMs: null, error: null, cause: 'dropped', ...more });
  it('"Office VPN reconnected after 12 s"', () => {
    assert.equal(reconnectToast(event('connected', { downForMs: 12_400, attempt: 2 }))?.title, 'Office VPN reconnected after 12 s');
    assert.equal(reconnectToast(event('connected', { downForMs: 185_000 }))?.title, 'Office VPN reconnected after 3m 05s');
  });
  it('the first failure says why and when the next try is; later failures of the same outage are quiet', () => {
    assert.deepEqual(reconnectToast(event('failed', { error: { code: 800, message: 'The VPN server may be unreachable' }, delayMs: 15_000 })), {
      title: 'Office VPN could not reconnect yet',
      body: 'The VPN server may be unreachable (800). Next attempt in 15 s.',
    });
    assert.equal(reconnectToast(event('failed', { attempt: 2, delayMs: 60_000 })), null);
  });
  it('691: once, saying that Linkwatch waits for the user', () => {
    assert.match(reconnectToast(event('needs-user', { error: { code: 691, message: 'The user name or password is not valid' } }))!.body, /691.*will not retry/);
  });
  it('scheduling and dialling make no notification', () => {
    assert.equal(reconnectToast(event('scheduled')), null);
    assert.equal(reconnectToast(event('dialling')), null);
  });
});
