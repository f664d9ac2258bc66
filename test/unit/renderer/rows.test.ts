/**
 * The one list (renderer/rows.ts): one row per profile, its button following its state, connected rows first.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import '../../../shared/i18n/all';
import { mergeRows } from '../../../renderer/rows';
import { rowType, statusWord, stepWord } from '../../../renderer/words';
import type { SavedEntry, SavedState } from '../../../shared/saved';
import { connection } from './connection-fixture';

const entry = (name: string, overrides: Partial<SavedEntry> = {}): SavedEntry => ({ name, scope: 'user', kind: 'vpn', phonebook: null, connectionId: null, dial: null, ...overrides });
const saved = (...entries: SavedEntry[]): SavedState => ({ available: true, entries, error: null });

test('a saved entry that is up is one row with its connection, its button Disconnect; connected rows come first', () => {
  const office = connection({ id: 'ras:1', name: 'Office VPN' });
  const adapter = connection({ id: 'adapter:9', name: 'WireGuard home', deviceType: 'wireguard', deviceName: 'WireGuard Tunnel' });
  const rows = mergeRows([office, adapter], saved(entry('Branch'), entry('Office VPN', { connectionId: 'ras:1' })));
  assert.deepEqual(
    rows.map((row) => [row.name, row.status, row.action]),
    [
      ['Office VPN', 'connected', 'disconnect'],
      ['WireGuard home', 'connected', 'disconnect'],
      ['Branch', 'idle', 'connect'],
    ],
  );
  assert.equal(rows[0]?.entry?.name, 'Office VPN');
  assert.equal(rows[0]?.key, 'saved:user:Office VPN', 'the key stays the entry\'s whatever its state');
});

test('the button changes in place: Connect, Cancel while dialling (waiting for an id), Retry with the reason after a failure', () => {
  const dialling = mergeRows([], saved(entry('Office VPN', { dial: { connectionId: null, phase: 'dialling', detail: 'RASCS_OpenPort', error: null, startedAt: 1 } })));
  assert.deepEqual([dialling[0]?.status, dialling[0]?.action, dialling[0]?.target, dialling[0]?.step], ['connecting', 'cancel-dial', null, 'RASCS_OpenPort']);
  const failure = { code: 691, message: 'The user name or password is not valid on this domain.' };
  const failed = mergeRows([], saved(entry('Office VPN', { dial: { connectionId: null, phase: 'failed', detail: 'RASCS_Authenticate', error: failure, startedAt: 1 } })));
  assert.deepEqual([failed[0]?.status, failed[0]?.action, failed[0]?.failure], ['failed', 'retry', failure]);
});

test('a connecting connection offers Cancel, a disconnected one no button, and neither shows as up', () => {
  const rows = mergeRows([connection({ id: 'a', name: 'A', state: 'disconnected' }), connection({ id: 'b', name: 'B', state: 'connecting', stateDetail: 'RASCS_Authenticate' })], null);
  assert.deepEqual(
    rows.map((row) => [row.name, row.status, row.action, row.step]),
    [
      ['B', 'connecting', 'cancel-connecting', 'RASCS_Authenticate'],
      ['A', 'disconnected', null, null],
    ],
  );
});

test('plain words first: the type from the device, steps and statuses in words', () => {
  const [ikev2] = mergeRows([connection({ id: 'a', name: 'A', deviceName: 'WAN Miniport (IKEv2)', deviceType: 'vpn' })], null);
  assert.equal(rowType(ikev2!), 'IKEv2 VPN');
  const [pppoe] = mergeRows([connection({ id: 'b', name: 'B', kind: 'broadband', deviceName: 'WAN Miniport (PPPOE)', deviceType: 'PPPoE' })], null);
  assert.equal(rowType(pppoe!), 'Broadband (PPPoE)');
  const [tun] = mergeRows([connection({ id: 'c', name: 'C', deviceName: 'tun0', deviceType: 'tun', owner: 'OpenVPN' })], null);
  assert.equal(rowType(tun!), 'OpenVPN');
  assert.equal(stepWord('RASCS_Authenticate'), 'Signing in');
  assert.equal(stepWord('RASCS_SomethingNew'), 'Working');
  assert.equal(statusWord('failed'), 'Couldn’t connect');
});
