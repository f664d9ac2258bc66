/**
 * The Windows policy key under Windows Node (Wine has a real registry): values an administrator writes with
 * `reg add` under HKLM\SOFTWARE\Policies\Linkwatch (and its Recommended subkey) are read by the core through
 * advapi32 — DWORDs as booleans and numbers, REG_SZ as text, names in any case — and `linkwatch diagnose`
 * prints them; Connect is refused under hideConnectControls; an unknown value is reported, not fatal; with
 * the key gone, there is no policy. The key is removed again whatever happens: the prefix is this checkout's.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { Diagnostics } from '../../shared/diagnostics';
import { runUnderWindowsNode, runWineProgram, skipUnlessWindowsNode, stopWine, windowsNodeUnavailable } from '../support/windows-node';

const CLI = 'electron/core/cli.ts';
const KEY = 'HKLM\\SOFTWARE\\Policies\\Linkwatch';

function reg(...args: string[]): void {
  const run = runWineProgram('reg', args);
  assert.equal(run.status, 0, `reg ${args.join(' ')}: ${run.output}`);
}

after(() => {
  if (windowsNodeUnavailable() === null) runWineProgram('reg', ['delete', KEY, '/f']);
  stopWine();
});

describe('the Windows policy key, under Windows Node', () => {
  it('reg add values are the policy diagnose prints; Connect is refused; the key removed: no policy', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    runWineProgram('reg', ['delete', KEY, '/f']);
    reg('add', KEY, '/v', 'Notifications', '/t', 'REG_DWORD', '/d', '0', '/f');
    reg('add', KEY, '/v', 'historyDays', '/t', 'REG_DWORD', '/d', '30', '/f');
    reg('add', KEY, '/v', 'HideConnectControls', '/t', 'REG_DWORD', '/d', '1', '/f');
    reg('add', KEY, '/v', 'Theme', '/t', 'REG_SZ', '/d', 'dark', '/f');
    reg('add', `${KEY}\\Recommended`, '/v', 'StartAtLogin', '/t', 'REG_DWORD', '/d', '1', '/f');
    reg('add', `${KEY}\\Recommended`, '/v', 'ExportDirectory', '/t', 'REG_SZ', '/d', 'C:\\metrics', '/f');

    const run = await runUnderWindowsNode(CLI, { args: ['diagnose', '--json'] });
    assert.equal(run.status, 0, run.stderr);
    const { policy } = JSON.parse(run.stdout) as Diagnostics;
    assert.deepEqual(policy, {
      locked: { notifications: false, historyDays: 30 },
      recommended: { startAtLogin: true, exportDirectory: 'C:\\metrics' },
      hideConnectControls: true,
      source: 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Linkwatch',
      problems: ['"Theme" is not a Linkwatch setting and is ignored'],
    });

    const connect = await runUnderWindowsNode(CLI, { args: ['connect', 'Office VPN'] });
    assert.equal(connect.status, 1);
    assert.match(connect.stderr, /connect is turned off by your organisation's policy/);

    reg('delete', KEY, '/f');
    const after = await runUnderWindowsNode(CLI, { args: ['diagnose', '--json'] });
    assert.equal((JSON.parse(after.stdout) as Diagnostics).policy?.source, null);
  });
});
