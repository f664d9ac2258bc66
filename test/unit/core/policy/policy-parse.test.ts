/**
 * The administrator's policy, key by key (README "For administrators"): top-level names lock, `recommended`
 * presets, names match without regard to case (as Windows matches registry value names), a REG_DWORD's 0/1
 * is a boolean, and whatever is wrong is reported and ignored alone.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parsePolicy } from '../../../../electron/core/policy/policy-parse';

describe('policy keys', () => {
  it('top-level settings lock, `recommended` presets, `hideConnectControls` hides Connect/Disconnect', () => {
    const policy = parsePolicy(
      { notifications: false, historyDays: 30, exportDirectory: '/var/lib/node_exporter/textfile', hideConnectControls: true, recommended: { startAtLogin: true } },
      '/etc/linkwatch/policy.json',
    );
    assert.deepEqual(policy, {
      locked: { notifications: false, historyDays: 30, exportDirectory: '/var/lib/node_exporter/textfile' },
      recommended: { startAtLogin: true },
      hideConnectControls: true,
      source: '/etc/linkwatch/policy.json',
      problems: [],
    });
  });

  it('registry spellings: any case, DWORD 0/1 for booleans, an empty REG_SZ folder for "export off"', () => {
    const policy = parsePolicy({ Notifications: 0, STARTATLOGIN: 1, HideConnectControls: 1, ExportDirectory: '', Recommended: { HistoryDays: 14 } }, 'HKLM');
    assert.deepEqual(policy.locked, { notifications: false, startAtLogin: true, exportDirectory: null });
    assert.deepEqual(policy.recommended, { historyDays: 14 });
    assert.equal(policy.hideConnectControls, true);
    assert.deepEqual(policy.problems, []);
  });

  it('each wrong key is named with what was expected and ignored alone; the rest applies', () => {
    const policy = parsePolicy(
      { notifications: 'no', historyDays: 0, theme: 'dark', exportDirectory: 'relative/folder', startAtLogin: true, hideConnectControls: 'yes', recommended: [1] },
      'f',
    );
    assert.deepEqual(policy.locked, { startAtLogin: true });
    assert.equal(policy.hideConnectControls, false);
    assert.deepEqual(policy.problems, [
      '"hideConnectControls" must be true or false (or 1/0), not "yes"; ignored',
      '"recommended" must be a set of settings, not a list; ignored',
      '"notifications" must be true or false (or 1/0), not "no"; ignored',
      '"historyDays" must be a whole number of days from 1 to 3650, not 0; ignored',
      '"theme" is not a Linkwatch setting and is ignored',
      '"exportDirectory" must be an absolute folder path, or empty for off, not "relative/folder"; ignored',
    ]);
  });

  it('the same name twice in different case: the first stands, the second is reported', () => {
    const policy = parsePolicy({ notifications: false, NOTIFICATIONS: true }, 'HKLM');
    assert.deepEqual(policy.locked, { notifications: false });
    assert.equal(policy.problems.length, 1);
    assert.match(policy.problems[0]!, /"NOTIFICATIONS" repeats "notifications"/);
  });

  it('not a set of keys at all (a list, a string, null): nothing applies, one problem says why', () => {
    for (const value of [[], 'text', null, 42]) {
      const policy = parsePolicy(value, 'f');
      assert.deepEqual([policy.locked, policy.recommended, policy.hideConnectControls], [{}, {}, false]);
      assert.equal(policy.problems.length, 1);
      assert.match(policy.problems[0]!, /not a set of keys/);
    }
  });

  it('only own keys count: a __proto__ key in JSON is reported, never a setting', () => {
    const policy = parsePolicy(JSON.parse('{"__proto__": {"notifications": false}, "historyDays": 7}'), 'f');
    assert.deepEqual(policy.locked, { historyDays: 7 });
    assert.equal(Object.hasOwn(policy.locked, 'notifications'), false);
    assert.deepEqual(policy.problems, ['"__proto__" is not a Linkwatch setting and is ignored']);
  });
});

describe('policy keys of issues 25 and 26', () => {
  it('Keep connected is a list of entry names (a REG_MULTI_SZ, a JSON or plist array); the routing warnings are switches', () => {
    const policy = parsePolicy({ KeepConnected: ['Office VPN', 'Lab'], warnIpv6Bypass: 0, recommended: { warnDnsOutsideTunnel: false } }, 'HKLM');
    assert.deepEqual(policy.locked, { keepConnected: ['Office VPN', 'Lab'], warnIpv6Bypass: false });
    assert.deepEqual(policy.recommended, { warnDnsOutsideTunnel: false });
    assert.deepEqual(policy.problems, []);
  });

  it('a single name where a list belongs, or the per-connection choices (mute, probe): reported and ignored', () => {
    const policy = parsePolicy({ keepConnected: 'Office VPN', healthMuted: ['x'], probe: ['y'] }, 'f');
    assert.deepEqual(policy.locked, {});
    assert.deepEqual(policy.problems, [
      '"keepConnected" must be a list of saved connection names, not "Office VPN"; ignored',
      '"healthMuted" is not a Linkwatch setting and is ignored',
      '"probe" is not a Linkwatch setting and is ignored',
    ]);
  });
});
