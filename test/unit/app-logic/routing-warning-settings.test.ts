/**
 * The routing warnings' switches (issue 25) in the settings file: absent means on (no default is written for
 * them), a saved `false` is kept, a bad value is reported and ignored like any other setting's.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { settingsFromJson } from '../../../electron/app-logic/settings-store';
import { requestArgs } from '../../../shared/ipc';

test('a file without the switches has none (the popup reads that as on)', () => {
  const { settings, invalid } = settingsFromJson({ notifications: true });
  assert.deepEqual(invalid, []);
  assert.equal(settings.warnIpv6Bypass, undefined);
  assert.equal(settings.warnDnsOutsideTunnel, undefined);
});

test('a switch saved off stays off; a bad value is reported and ignored', () => {
  assert.equal(settingsFromJson({ warnIpv6Bypass: false }).settings.warnIpv6Bypass, false);
  const bad = settingsFromJson({ warnDnsOutsideTunnel: 'no' });
  assert.deepEqual(bad.invalid, ['warnDnsOutsideTunnel']);
  assert.equal(bad.settings.warnDnsOutsideTunnel, undefined);
});

test('settings:set accepts one switch alone, and refuses anything but a boolean', () => {
  assert.equal(requestArgs['settings:set'].safeParse([{ warnIpv6Bypass: false }]).success, true);
  assert.equal(requestArgs['settings:set'].safeParse([{ warnIpv6Bypass: 'off' }]).success, false);
});
