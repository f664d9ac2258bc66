import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLICK_AFTER_BLUR_MS, shouldShowOnTrayClick, trayMenuItems, type TrayMenuItem } from '../../../electron/app-logic/tray-menu';

function labelsOf(items: TrayMenuItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'separator') return '---';
    if (item.kind === 'note') return `(${item.label})`;
    return `${item.label}${item.checked === undefined ? '' : item.checked ? ' [x]' : ' [ ]'}`;
  });
}

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
