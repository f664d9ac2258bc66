/**
 * The RAS backend's tests, the same bodies, run by Windows Node under Wine over the DLL build of the fake:
 * the Windows calling convention, kernel32's events and Windows paths, where the Linux run proves the
 * contract over the Linux build. (The CLI runs end to end in cli-wine.test.ts.)
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { fakeRasWindowsEnv } from '../support/fake-ras';
import { runTestFileUnderWindowsNode, skipUnlessWindowsNode, stopWine } from '../support/windows-node';

after(stopWine);

/**
 * Each file, and how many of its tests must pass under Wine at least: the backend over the fake, and the
 * decoders and struct layouts, so that koffi's Windows build is held to the same offsets as Linux's.
 */
const FILES: readonly (readonly [file: string, minimumPassed: number])[] = [
  ['test/native/platforms/win32/ras-source.test.ts', 48],
  ['test/native/platforms/win32/ras-phonebook.test.ts', 30],
  ['test/unit/platforms/win32/ras-phonebook.property.test.ts', 4],
  ['test/unit/platforms/win32/ras-phonebook-decode.test.ts', 3],
  ['test/unit/platforms/win32/ras-structs.test.ts', 9],
  ['test/unit/platforms/win32/ras-decode.test.ts', 16],
  ['test/unit/platforms/win32/ras-traffic-decode.property.test.ts', 12],
  ['test/unit/platforms/win32/ras-decode.property.test.ts', 4],
  ['test/unit/platforms/win32/ras-errors.test.ts', 4],
  ['test/unit/platforms/win32/ras-states.test.ts', 5],
];

describe('RAS tests under Windows Node (Wine), over fake-rasapi32-lw.dll', () => {
  for (const [file, minimumPassed] of FILES) {
    it(file, async (t) => {
      if (!skipUnlessWindowsNode(t)) return;
      const report = await runTestFileUnderWindowsNode(file, { env: fakeRasWindowsEnv(), timeoutMs: 120_000 });
      const output = `${report.stdout}\n${report.stderr}`;
      assert.equal(report.timedOut, false, `timed out:\n${output}`);
      assert.deepEqual(report.failures, [], output);
      assert.equal(report.failed, 0, output);
      assert.ok(report.passed >= minimumPassed, `${report.passed} passed, expected at least ${minimumPassed}:\n${output}`);
      assert.equal(report.status, 0, output);
    });
  }
});
