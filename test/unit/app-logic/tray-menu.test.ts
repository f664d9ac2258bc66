import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLICK_AFTER_BLUR_MS, MAX_CONNECT_ITEMS, shouldShowOnTrayClick, trayMenuItems, type TrayMenuItem } from '../../../electron/app-logic/tray-menu';
import type { SavedEntry, SavedState } from '../../../shared/saved';

function labelsOf(items: TrayMenuItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'separator') return '---';
    if (item.kind === 'note') return `(${item.label})`;
    if (item.kind === 'connect') return `${item.label} > ${item.items.map((i) => `${i.label}${i.enabled ? '' : ' (off)'}`).join(' | ')}`;
    if (item.kind === 'keep') return `${item.label} > ${item.items.map((i) => `${i.label}${i.checked ? ' [x]' : ' [ ]'}${i.enabled ? '' : ' (off)'}`).join(' | ')}`;
    return `${item.label}${item.checked === undefined ? '' : item.checked ? ' [x]' : ' [ ]'}`;
  });
}
const labelOf = (item: TrayMenuItem): string => labelsOf([item])[0]!;
const entry = (name: string, more: Partial<SavedEntry> = {}): SavedEntry => ({ name, scope: 'user', kind: 'vpn', phonebook: null, connectionId: null, dial: null, ...more });
const settings = { notifications: true, startAtLogin: false, historyDays: 90 };

describe('tray menu', () => {
  it('Open comes first (Linux sends clicks to the menu), Quit last, toggles show the settings', () => {
    const items = trayMenuItems({ settings: { notifications: true, startAtLogin: false, historyDays: 90 }, canStartAtLogin: true });
    assert.deepEqual(labelsOf(items), ['Open Linkwatch', '---', 'Start at Login [ ]', 'Notifications [x]', '---', 'Quit Linkwatch']);
  });

  it('why a setting is off shows right under it, as a line that cannot be clicked', () => {
    const items = trayMenuItems({
      settings: { notifications: false, startAtLogin: false, historyDays: 90 },
      canStartAtLogin: true,
      notes: { 'start-at-login': 'macOS did not add Linkwatch to the login items', notifications: 'macOS refused to show notifications' },
    });
    assert.deepEqual(labelsOf(items), [
      'Open Linkwatch',
      '---',
      'Start at Login [ ]',
      '(⚠ macOS did not add Linkwatch to the login items)',
      'Notifications [ ]',
      '(⚠ macOS refused to show notifications)',
      '---',
      'Quit Linkwatch',
    ]);
  });

  it('Start at Login is greyed out where it cannot work (development builds)', () => {
    const items = trayMenuItems({ settings: { notifications: false, startAtLogin: false, historyDays: 90 }, canStartAtLogin: false });
    const login = items.find((item) => item.kind === 'action' && item.action === 'start-at-login');
    assert.equal(login?.kind === 'action' && login.enabled, false);
  });
});

describe('tray menu: Connect submenu', () => {
  it('lists the saved entries under Open: connected and dialling ones greyed with their state', () => {
    const saved: SavedState = {
      available: true,
      error: null,
      entries: [
        entry('Office VPN'),
        entry('Home', { connectionId: 'ras:1' }),
        entry('Lab', { dial: { connectionId: 'ras:2', phase: 'dialling', detail: 'RASCS_OpenPort', error: null, startedAt: 0 } }),
        entry('Failed once', { dial: { connectionId: null, phase: 'failed', detail: 'x', error: { code: 691, message: 'no' }, startedAt: 0 } }),
      ],
    };
    const labels = trayMenuItems({ settings, canStartAtLogin: true, saved }).map(labelOf);
    assert.deepEqual(labels.slice(0, 2), ['Open Linkwatch', 'Connect > Office VPN | Home (connected) (off) | Lab (connecting…) (off) | Failed once']);
  });

  it('no saved entries, or a backend without them: no Connect submenu at all', () => {
    for (const saved of [undefined, { available: false, entries: [], error: null }, { available: true, entries: [], error: null }]) {
      assert.ok(!trayMenuItems({ settings, canStartAtLogin: true, saved }).some((item) => item.kind === 'connect'));
    }
  });

  it(`at most ${MAX_CONNECT_ITEMS} entries: a menu stays short`, () => {
    const saved: SavedState = { available: true, error: null, entries: Array.from({ length: 50 }, (_, i) => entry(`VPN ${i}`)) };
    const connect = trayMenuItems({ settings, canStartAtLogin: true, saved }).find((item) => item.kind === 'connect');
    assert.equal(connect?.kind === 'connect' && connect.items.length, MAX_CONNECT_ITEMS);
  });
});

describe('tray click toggles the popup', () => {
  it('opens a hidden popup, closes a visible one', () => {
    assert.equal(shouldShowOnTrayClick({ visible: false, hiddenByBlurAt: null, now: 1000 }), true);
    assert.equal(shouldShowOnTrayClick({ visible: true, hiddenByBlurAt: null, now: 1000 }), false);
  });

  it('a click that itself blurred the popup closes it, instead of reopening it at once', () => {
    assert.equal(shouldShowOnTrayClick({ visible: false, hiddenByBlurAt: 1000, now: 1000 + 50 }), false);
    assert.equal(shouldShowOnTrayClick({ visible: false, hiddenByBlurAt: 1000, now: 1000 + CLICK_AFTER_BLUR_MS + 1 }), true);
  });
});
