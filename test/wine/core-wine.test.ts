/**
 * The app's reading path under Windows Node: the RAS backend in its core process (host/core-client.ts and the
 * bundled host/core-process.ts, forked), with RasConnectionNotificationW working in that process over the
 * fake DLL and its signals reaching the app's side.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fakeRasDllPath, fakeRasConnectionId, writeFakeRasState } from '../support/fake-ras';
import { bundleForWindows, skipUnlessWindowsNode, startUnderWindowsNode, stopWine, windowsPath } from '../support/windows-node';

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-wine-core-'));
const stateFile = join(dir, 'state.tsv');
after(() => {
  stopWine();
  rmSync(dir, { recursive: true, force: true });
});

it('push through the core process under Windows Node: a connection written from Linux is signalled and read', async (t) => {
  if (!skipUnlessWindowsNode(t)) return;
  writeFakeRasState(stateFile, []);
  const core = await bundleForWindows('electron/core/host/core-process.ts');
  const child = await startUnderWindowsNode('test/fixtures/wine/core-ras.ts', {
    args: [windowsPath(core)],
    env: { LINKWATCH_RASAPI: windowsPath(fakeRasDllPath()), FAKE_RAS_STATE: windowsPath(stateFile) },
  });
  const waitFor = async (pattern: RegExp) => {
    const deadline = Date.now() + 30_000;
    while (!pattern.test(child.stdout())) {
      if (Date.now() > deadline) throw new Error(`waited for ${pattern}:\n${child.stdout()}\n${child.stderr()}`);
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };
  const id = fakeRasConnectionId(0x4242);
  try {
    await waitFor(/^ready - true$/m);
    writeFakeRasState(stateFile, [{ handle: 0x4242, name: 'Through the worker' }]);
    await waitFor(new RegExp(`^changed ${id}$`, 'm'));
  } finally {
    child.signal('SIGINT');
  }
  const run = await child.exited;
  assert.doesNotMatch(run.stdout, /unavailable/);
  assert.equal(run.status, 0, run.stderr);
});
