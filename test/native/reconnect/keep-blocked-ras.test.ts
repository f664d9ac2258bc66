/**
 * A phone-book entry without a saved password cannot be kept connected (a redial would open Windows' connect
 * dialog with nobody there): the RAS backend tells it from RasGetEntryDialParamsW's lpfPassword (FALSE when
 * "the system has no password saved for this entry", ras.h docs), which the contract fake models per entry.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, it } from 'node:test';
import { KeepConnected } from '../../../electron/core/reconnect/keep-connected';
import { createRasSource } from '../../../electron/core/platforms/win32/ras-source';
import type { ConnectionSource } from '../../../electron/core/platforms/source';
import { FAKE_USER_PHONEBOOK, loadFakeRas } from '../../support/fake-ras';
import { connection } from '../../support/connections';
import { FakeClock } from '../../support/fake-clock';

const fake = loadFakeRas();
let source: ConnectionSource;
beforeEach(() => {
  fake.reset();
  source = createRasSource(fake.path);
});
afterEach(() => {
  source.close();
  fake.reset();
});

it('no saved password: the entry says why it cannot be kept, and Keep connected never dials it', async () => {
  fake.addEntry({ name: 'Office VPN', saved: false });
  fake.addEntry({ name: 'Lab' });
  const entries = (await source.listEntries!())!;
  assert.deepEqual(
    entries.map((e) => [e.name, e.keepBlocked ?? null]),
    [
      ['Office VPN', 'No saved password: Windows would ask at every redial'],
      ['Lab', null],
    ],
  );
  const clock = new FakeClock();
  const keep = new KeepConnected(async () => {
    throw new Error('must not dial');
  }, { clock });
  keep.setKept(['Office VPN']);
  keep.observe([connection({ id: 'ras:1', name: 'Office VPN', phonebook: FAKE_USER_PHONEBOOK })], entries);
  keep.observe([], entries);
  clock.advance(3_600_000);
  assert.deepEqual([keep.status('Office VPN')?.phase, keep.status('Office VPN')?.note], ['blocked', 'No saved password: Windows would ask at every redial']);
  assert.equal(fake.dialCalls('RasDialW'), 0);
});

it('RasGetEntryDialParamsW failing while listing: the entry is still listed, nothing claimed either way', async () => {
  fake.addEntry({ name: 'Office VPN' });
  fake.dialFailNext('RasGetEntryDialParamsW', 623);
  const entries = (await source.listEntries!())!;
  assert.deepEqual(entries.map((e) => [e.name, e.keepBlocked ?? null]), [['Office VPN', null]]);
});
