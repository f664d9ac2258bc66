import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TOOLTIP_MAX, trayIconFile, trayStateOf, trayTooltip, truncate } from '../../../electron/app-logic/tray-state';
import { connection, snapshot } from './connections';

const work = connection({ id: '1', name: 'Work VPN', addresses: ['fd00::2/64', '10.8.0.2/24'] });
const home = connection({ id: '2', name: 'Home PPPoE', kind: 'broadband', addresses: ['203.0.113.7/32'] });

describe('tray icon state: what the icon says at a glance', () => {
  it('idle with no connections (and before the first read)', () => {
    assert.equal(trayStateOf(snapshot([])), 'idle');
    assert.equal(trayStateOf(snapshot([], { takenAt: null })), 'idle');
  });

  it('connected when a connection is up', () => {
    assert.equal(trayStateOf(snapshot([work, home])), 'connected');
  });

  it('connecting when any link is being set up or paused, even next to one that is up', () => {
    assert.equal(trayStateOf(snapshot([work, connection({ id: '3', name: 'Dial', state: 'connecting' })])), 'connecting');
    assert.equal(trayStateOf(snapshot([connection({ id: '3', name: 'Dial', state: 'paused' })])), 'connecting');
  });

  it('error when the backend cannot read, or a dial failed', () => {
    assert.equal(trayStateOf(snapshot([work], { error: { code: 'ENOBACKEND', message: 'rasapi32.dll not found' } })), 'error');
    const failed = connection({ id: '4', name: 'Office', state: 'disconnected', lastError: { code: 691, message: 'Access denied' } });
    assert.equal(trayStateOf(snapshot([work, failed])), 'error');
  });

  it('macOS gets template images, elsewhere the coloured ones', () => {
    assert.equal(trayIconFile('connected', 'darwin'), 'tray-connectedTemplate.png');
    assert.equal(trayIconFile('error', 'win32'), 'tray-error.png');
    assert.equal(trayIconFile('idle', 'linux'), 'tray-idle.png');
  });
});

describe('tray tooltip: a summary within the Windows limit', () => {
  it('says there is nothing, or that it is starting', () => {
    assert.equal(trayTooltip(snapshot([])), 'Linkwatch: no active connections');
    assert.equal(trayTooltip(snapshot([], { takenAt: null })), 'Linkwatch: starting…');
  });

  it('lists each connection with its IPv4 address (no prefix length) or what it is doing', () => {
    const dialling = connection({ id: '3', name: 'Dial-up', kind: 'dialup', state: 'connecting' });
    assert.equal(trayTooltip(snapshot([work, home, dialling])), 'Linkwatch\nWork VPN · 10.8.0.2\nHome PPPoE · 203.0.113.7\nDial-up · connecting…');
    assert.equal(trayTooltip(snapshot([connection({ id: '5', name: 'Tunnel' })])), 'Linkwatch\nTunnel · connected');
  });

  it('names a connection dialled without an entry by its number, not by RAS\'s "." form', () => {
    const dialled = connection({ id: '6', name: '.5551234', kind: 'dialup', adHoc: true, phoneNumber: '5551234' });
    assert.equal(trayTooltip(snapshot([dialled])), 'Linkwatch\n5551234 · connected');
  });

  it('puts a backend error first', () => {
    const text = trayTooltip(snapshot([work], { error: { code: 5, message: 'Access is denied.' } }));
    assert.equal(text, 'Linkwatch\nCannot read connections: Access is denied.\nWork VPN · 10.8.0.2');
  });

  it('never exceeds 127 characters (szTip[128] with its NUL) and says how many were left out', () => {
    const many = Array.from({ length: 12 }, (_, i) => connection({ id: `c${i}`, name: `Branch office ${i + 1}`, addresses: [`10.0.${i}.2/24`] }));
    const text = trayTooltip(snapshot(many));
    assert.ok(text.length <= TOOLTIP_MAX, `${text.length} characters`);
    assert.ok(text.length <= 128);
    const lines = text.split('\n');
    const more = lines.at(-1) ?? '';
    const match = /^\+(\d+) more$/.exec(more);
    assert.ok(match, `last line is "${more}"`);
    // Shown + hidden accounts for every connection.
    assert.equal(lines.length - 2 + Number(match[1]), many.length);
    assert.equal(lines[1], 'Branch office 1 · 10.0.0.2');
  });

  it('cuts a very long name with an ellipsis instead of losing the others', () => {
    const long = connection({ id: 'l', name: 'A'.repeat(300), addresses: ['10.1.1.1/32'] });
    const text = trayTooltip(snapshot([long, home]));
    assert.ok(text.length <= TOOLTIP_MAX);
    assert.match(text, /A…\s·\s10\.1\.1\.1/);
    assert.match(text, /Home PPPoE/);
  });

  it('a huge backend error message is cut too', () => {
    const text = trayTooltip(snapshot([], { error: { code: 1, message: 'x'.repeat(1000) } }));
    assert.ok(text.length <= TOOLTIP_MAX);
    assert.ok(text.endsWith('…'));
  });

  it('truncation never splits an emoji (surrogate pair)', () => {
    const cut = truncate('VPN 🔒🔒🔒🔒', 7);
    assert.ok(cut.length <= 7);
    assert.ok(!/[\ud800-\udbff]…$/.test(cut), JSON.stringify(cut));
  });
});
