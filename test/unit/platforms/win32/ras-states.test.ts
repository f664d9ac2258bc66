import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RASCONNSTATE_NAMES, rasState } from '../../../../electron/core/platforms/win32/ras-states';

describe('RASCONNSTATE (ras.h) to the connection state', () => {
  it('RASCS_OpenPort (0) … RASCS_ApplySettings (24): connecting, named', () => {
    for (let value = 0; value <= 24; value++) {
      const info = rasState(value);
      assert.equal(info.state, 'connecting', String(value));
      assert.equal(info.detail, RASCONNSTATE_NAMES.get(value));
      assert.match(info.detail, /^RASCS_/);
    }
    assert.equal(rasState(0).detail, 'RASCS_OpenPort');
    assert.equal(rasState(24).detail, 'RASCS_ApplySettings');
  });

  it('the RASCS_PAUSED range (0x1000 RASCS_Interactive … 0x1004 RASCS_InvokeEapUI): paused', () => {
    const names = ['RASCS_Interactive', 'RASCS_RetryAuthentication', 'RASCS_CallbackSetByCaller', 'RASCS_PasswordExpired', 'RASCS_InvokeEapUI'];
    names.forEach((name, i) => assert.deepEqual(rasState(0x1000 + i), { state: 'paused', detail: name }));
  });

  it('RASCS_Connected (0x2000) and RASCS_Disconnected (0x2001)', () => {
    assert.deepEqual(rasState(0x2000), { state: 'connected', detail: 'RASCS_Connected' });
    assert.deepEqual(rasState(0x2001), { state: 'disconnected', detail: 'RASCS_Disconnected' });
  });

  it('knows all 32 values of the enum', () => {
    assert.equal(RASCONNSTATE_NAMES.size, 25 + 5 + 2);
  });

  it('an unknown value (a newer Windows) is connecting, with the number in the detail', () => {
    assert.deepEqual(rasState(25), { state: 'connecting', detail: 'RASCONNSTATE 0x19 (25)' });
    assert.deepEqual(rasState(0x1005), { state: 'connecting', detail: 'RASCONNSTATE 0x1005 (4101)' });
  });
});
