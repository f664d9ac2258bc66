import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { notificationFailure } from '../../../electron/app-logic/notification-failure';

describe("notification 'failed'", () => {
  it('macOS (UNNotification refuses unsigned apps): the setting goes off, with the reason', () => {
    assert.deepEqual(notificationFailure('darwin', 'Notifications are not allowed for this application'), {
      turnOff: true,
      reason: 'macOS refused to show notifications (this build is not code-signed)',
    });
  });

  it('elsewhere a failure may pass: the setting stays, the reason is shown with the error', () => {
    assert.deepEqual(notificationFailure('win32', 'toast failed'), { turnOff: false, reason: 'The last notification could not be shown: toast failed' });
    assert.equal(notificationFailure('linux', '').reason, 'The last notification could not be shown: unknown error');
  });
});
