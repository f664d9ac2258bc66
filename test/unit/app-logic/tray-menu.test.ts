import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { CLICK_AFTER_BLUR_MS, lockedNote, MAX_CONNECT_ITEMS, shouldShowOnTrayClick, trayMenuItems, type TrayMenuItem } from '../../../electron/app-logic/tray-menu';
import { NO_POLICY, type Policy } from '../../../shared/policy';
import type { SavedEntry, SavedState } from '../../../shared/saved';

function labelsOf(items: TrayMenuItem[]): string[] {
  return items.map((item) => {
    if (item.kind === 'separator') return '---';
    if (item.kind === 'note') return `(${item.label})`;
    if (item.kind === 'connect') return `${item.label} > ${item.items.map((i) => `${i.label}${i.enabled ? '' : ' (off)'}`).join(' | ')}`;
    if (item.kind === 'disconnect') return `${item.label} > ${item.items.map((i) => `${i.label} <${i.id}>`).join(' | ')}`;
    if (item.kind === 'keep') return `${item.label} > ${item.items.map((i) => `${i.label}${i.checked ? ' [x]' : ' [ ]'}${i.enabled ? '' : ' (off)'}`).join(' | ')}`;
    return `${item.label}${item.checked === undefined ? '' : item.checked ? ' [x]' : ' [ ]'}`;
  });
}
const labelOf = (item: TrayMenuItem): string => labelsOf([item])[0]!;
const entry = (name: string, more: Partial<SavedEntry> = {}): SavedEntry => ({ name, scope: 'user', kind: 'vpn', phonebook: null, connectionId: null, dial: null, ...more });
const settings = { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null };

describe('tray menu', () => {
  it('Open comes first (Linux sends clicks to the menu), Quit last, toggles show the settings', () => {
    const items = trayMenuItems({ settings: { notifications: true, startAtLogin: false, historyDays: 90, exportDirectory: null }, canStartAtLogin: true });
    assert.deepEqual(labelsOf(items), ['Open Linkwatch', '---', 'Start at Login [ ]', 'Notifications [x]', 'Export for Prometheus… [ ]', '---', 'Quit Linkwatch']);
  });

  it('why a setting is off shows right under it, as a line that cannot be clicked', () => {
    const items = trayMenuItems({
      settings: { notifications: false, startAtLogin: false, historyDays: 90, exportDirectory: null },
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
      'Export for Prometheus… [ ]',
      '---',
      'Quit Linkwatch',
    ]);
  });

  it('Start at Login is greyed out where it cannot work (development builds)', () => {
    const items = trayMenuItems({ settings: { notifications: false, startAtLogin: false, historyDays: 90, exportDirectory: null }, canStartAtLogin: false });
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

describe("tray menu under the administrator's policy", () => {
  const saved: SavedState = { available: true, error: null, entries: [entry('Office VPN')] };
  const policy = (over: Partial<Policy>): Policy => ({ ...NO_POLICY, source: '/etc/linkwatch/policy.json', ...over });

  it('a locked setting is greyed out, shows its value, and says who set it, right under it', () => {
    const items = trayMenuItems({
      settings: { ...settings, notifications: false, exportDirectory: '/var/lib/node_exporter' },
      canStartAtLogin: true,
      policy: policy({ locked: { notifications: false, exportDirectory: '/var/lib/node_exporter' } }),
    });
    assert.deepEqual(labelsOf(items), [
      'Open Linkwatch',
      '---',
      'Start at Login [ ]',
      'Notifications [ ]',
      `(${lockedNote()})`,
      'Export for Prometheus… [x]',
      '(/var/lib/node_exporter)',
      `(${lockedNote()})`,
      '---',
      'Quit Linkwatch',
    ]);
    const enabled = (action: string) => items.find((item) => item.kind === 'action' && item.action === action);
    assert.equal((enabled('notifications') as { enabled?: boolean }).enabled, false);
    assert.equal((enabled('export') as { enabled?: boolean }).enabled, false);
    assert.equal((enabled('start-at-login') as { enabled?: boolean }).enabled, true, 'what is not locked stays the user\'s');
  });

  it('hideConnectControls: no Connect submenu, whatever the saved entries; a preset alone locks nothing', () => {
    assert.ok(labelsOf(trayMenuItems({ settings, canStartAtLogin: true, saved })).some((label) => label.startsWith('Connect >')));
    const hidden = trayMenuItems({ settings, canStartAtLogin: true, saved, policy: policy({ hideConnectControls: true, recommended: { notifications: false } }) });
    assert.ok(!labelsOf(hidden).some((label) => label.startsWith('Connect')));
    assert.ok(!labelsOf(hidden).includes(`(${lockedNote()})`));
  });
});

describe('tray menu: Disconnect submenu (issue 29)', () => {
  it('lists the active connections Linkwatch can hang up, by name, after Connect; none: no submenu', () => {
    const connections = [
      { id: 'netlink:7:tun0', name: 'Office OpenVPN', canDisconnect: true },
      { id: 'netlink:9:lwhand0', name: 'OpenVPN (lwhand0)', canDisconnect: false },
      { id: 'nm:u-ipsec', name: 'Branch IPsec', canDisconnect: true },
    ];
    const saved: SavedState = { available: true, entries: [entry('Office OpenVPN', { connectionId: 'netlink:7:tun0' })], error: null };
    assert.deepEqual(labelsOf(trayMenuItems({ settings, canStartAtLogin: true, saved, connections })).slice(0, 3), [
      'Open Linkwatch',
      'Connect > Office OpenVPN (connected) (off)',
      'Disconnect > Office OpenVPN <netlink:7:tun0> | Branch IPsec <nm:u-ipsec>',
    ]);
    const none = trayMenuItems({ settings, canStartAtLogin: true, connections: [connections[1]!] });
    assert.ok(!none.some((item) => item.kind === 'disconnect'), 'a tunnel started outside NetworkManager gives no submenu');
  });

  it('hideConnectControls hides Disconnect too', () => {
    const hidden = trayMenuItems({ settings, canStartAtLogin: true, connections: [{ id: 'nm:u-ipsec', name: 'Branch IPsec', canDisconnect: true }], policy: { ...NO_POLICY, hideConnectControls: true } });
    assert.ok(!hidden.some((item) => item.kind === 'disconnect'));
  });
});

describe('tray menu: Keep Connected under a policy that sets it', () => {
  it('the entries the policy keeps are checked, none can be toggled, and the menu says who set them', () => {
    const saved: SavedState = { available: true, error: null, entries: [entry('Office VPN'), entry('Lab')] };
    const policy: Policy = { ...NO_POLICY, source: 'HKLM', locked: { keepConnected: ['Office VPN'] } };
    const items = trayMenuItems({ settings: { ...settings, keepConnected: ['Office VPN'] }, canStartAtLogin: true, saved, policy });
    const keep = items.find((item) => item.kind === 'keep');
    assert.ok(keep?.kind === 'keep');
    assert.deepEqual(keep.items.map((item) => [item.name, item.checked, item.enabled]), [
      ['Office VPN', true, false],
      ['Lab', false, false],
    ]);
    assert.deepEqual(items[items.indexOf(keep) + 1], { kind: 'note', label: lockedNote() });
  });
});
