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
import { runUnderWindowsNode, runWineProgram, skipUnlessWindowsNode, startUnderWindowsNode, stopWine, windowsNodeUnavailable } from '../support/windows-node';

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

describe('the Windows policy key changes while the core runs', () => {
  it('RegNotifyChangeKeyValue on HKLM\\SOFTWARE\\Policies (waited by the system pool): a reg add, then the key removed, each read again', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    runWineProgram('reg', ['delete', KEY, '/f']);
    assert.notEqual(runWineProgram('reg', ['query', KEY]).status, 0, 'no policy key before the watch starts');
    // Reads are printed at start and after each signal; Wine may signal more often than there are changes, so
    // the test looks for the read it expects next, not at a position.
    const watching = await startUnderWindowsNode('test/fixtures/wine/policy-watch.ts', { args: ['100'], timeoutMs: 90_000 });
    const lines = () => watching.stdout().trim().split('\n').filter(Boolean).map((line) => JSON.parse(line) as { locked: Record<string, unknown>; source: string | null });
    const until = async (what: string, from: number, match: (line: { locked: Record<string, unknown>; source: string | null }) => boolean): Promise<number> => {
      const deadline = Date.now() + 45_000;
      for (;;) {
        const index = lines().findIndex((line, i) => i >= from && match(line));
        if (index !== -1) return index;
        if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${watching.stdout()} ${watching.stderr()}`);
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
    };
    try {
      const first = await until('the read at start', 0, () => true);
      assert.deepEqual(lines()[first], { locked: {}, source: null });
      reg('add', KEY, '/v', 'HistoryDays', '/t', 'REG_DWORD', '/d', '12', '/f');
      const added = await until('the read after reg add', first + 1, (line) => line.locked.historyDays === 12);
      assert.equal(lines()[added]!.source, 'HKEY_LOCAL_MACHINE\\SOFTWARE\\Policies\\Linkwatch');
      reg('delete', KEY, '/f');
      await until('the read after reg delete', added + 1, (line) => line.source === null);
    } finally {
      watching.signal('SIGKILL');
      await watching.exited;
    }
  });
});
