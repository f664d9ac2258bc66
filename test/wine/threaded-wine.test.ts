/**
 * The app's reading path under Windows Node: the RAS backend on a worker thread (threaded-source.ts, the
 * bundled source-worker), with RasConnectionNotificationW working inside the worker over the fake DLL.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, it } from 'node:test';
import { fakeRasDllPath, fakeRasConnectionId, writeFakeRasState } from '../support/fake-ras';
import { bundleForWindows, skipUnlessWindowsNode, startUnderWindowsNode, stopWine, windowsPath } from '../support/windows-node';

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-wine-threaded-'));
const stateFile = join(dir, 'state.tsv');
after(() => {
  stopWine();
  rmSync(dir, { recursive: true, force: true });
});

it('push through the worker thread under Windows Node: a connection written from Linux is signalled and read', async (t) => {
  if (!skipUnlessWindowsNode(t)) return;
  writeFakeRasState(stateFile, []);
  const worker = await bundleForWindows('electron/core/platforms/source-worker.ts');
  const child = await startUnderWindowsNode('test/fixtures/wine/threaded-ras.ts', {
    args: [windowsPath(worker)],
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
    await waitFor(/^ready -$/m);
    writeFakeRasState(stateFile, [{ handle: 0x4242, name: 'Through the worker' }]);
    await waitFor(new RegExp(`^changed ${id}$`, 'm'));
  } finally {
    child.signal('SIGINT');
  }
  const run = await child.exited;
  assert.doesNotMatch(run.stdout, /unavailable/);
  assert.equal(run.status, 0, run.stderr);
});
