import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { nmDialStep, nmReasonError } from '../../../../electron/core/platforms/linux/network-manager';

describe('NetworkManager StateChanged → dial step', () => {
  it('ACTIVATING is a step, ACTIVATED connects, DEACTIVATED fails with the reason (or is a cancel Linkwatch asked for)', () => {
    assert.deepEqual(nmDialStep('u', 1, 0, false), { connectionId: 'nm:u', phase: 'dialling', detail: 'NetworkManager activating', error: null });
    assert.deepEqual(nmDialStep('u', 2, 1, false), { connectionId: 'nm:u', phase: 'connected', detail: 'NetworkManager activated', error: null });
    assert.deepEqual(nmDialStep('u', 4, 10, false).error, { code: 'NM_REASON_LOGIN_FAILED', message: 'The login failed: the server refused the credentials (NetworkManager reason 10)' });
    assert.equal(nmDialStep('u', 4, 2, true).phase, 'cancelled');
  });

  it('any state and reason NetworkManager sends (a newer one included) gives a step, never a throw; only 4 fails', () => {
    fc.assert(
      fc.property(fc.nat(), fc.nat(), fc.boolean(), (state, reason, cancelling) => {
        const step = nmDialStep('x', state, reason, cancelling);
        assert.equal(step.phase === 'failed', state === 4 && !cancelling);
        if (step.error) assert.ok(String(step.error.code).startsWith('NM_REASON_') && step.error.message.length > 0);
        assert.ok(nmReasonError(reason).message.includes(String(reason)));
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
