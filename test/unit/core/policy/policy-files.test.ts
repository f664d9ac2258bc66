/**
 * Policy files as administrators' tools write them: Linux's JSON (with a BOM, as Windows editors save), and
 * macOS managed preferences in both property-list encodings. The plists are written here by Python's
 * plistlib, an implementation of Apple's XML and binary ("bplist00") formats independent of the `plist`
 * package that reads them, so the test does not read back its own assumptions.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { readPolicyFile } from '../../../../electron/core/policy/policy-files';
import { skipUnless } from '../../../support/skip';

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-policy-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

/** Writes `value` (as Python literals in JSON) as a plist in `format` ('FMT_XML' | 'FMT_BINARY'). */
function writePlist(file: string, value: unknown, format: 'FMT_XML' | 'FMT_BINARY'): string | null {
  const script = `import json, plistlib, sys\nplistlib.dump(json.loads(sys.argv[2]), open(sys.argv[1], 'wb'), fmt=plistlib.${format})`;
  const run = spawnSync('/usr/bin/python3', ['-c', script, file, JSON.stringify(value)], { encoding: 'utf8' });
  return run.status === 0 ? null : `python3 plistlib failed: ${run.stderr}`;
}

describe('policy files', () => {
  it('Linux JSON, with a byte-order mark: read; no file: no policy (not a problem)', async () => {
    const file = join(dir, 'policy.json');
    writeFileSync(file, `\uFEFF${JSON.stringify({ notifications: false, recommended: { historyDays: 30 } })}`);
    const policy = await readPolicyFile(file, 'json');
    assert.deepEqual([policy?.locked, policy?.recommended, policy?.problems], [{ notifications: false }, { historyDays: 30 }, []]);
    assert.equal(await readPolicyFile(join(dir, 'absent.json'), 'json'), null);
    assert.equal(await readPolicyFile(join(dir, 'absent-folder', 'policy.json'), 'json'), null);
  });

  it('a broken file is a policy with one problem and no keys: the app starts with the user settings', async () => {
    const file = join(dir, 'broken.json');
    writeFileSync(file, '{"notifications": fal');
    const policy = await readPolicyFile(file, 'json');
    assert.deepEqual([policy?.locked, policy?.hideConnectControls], [{}, false]);
    assert.match(policy?.problems[0] ?? '', /broken\.json is not valid JSON .*; the policy is ignored/);
    const folder = join(dir, 'a-folder.json');
    mkdirSync(folder);
    assert.match((await readPolicyFile(folder, 'json'))?.problems[0] ?? '', /cannot be read: .*EISDIR/);
  });

  for (const format of ['FMT_XML', 'FMT_BINARY'] as const) {
    it(`macOS managed preferences in ${format === 'FMT_XML' ? 'XML' : 'binary'} form: forced keys lock, the Recommended dictionary presets`, async (t) => {
      if (!skipUnless(t, spawnSync('/usr/bin/python3', ['-c', 'import plistlib']).status === 0, 'python3 with plistlib')) return;
      const file = join(dir, `org.linkwatch.app-${format}.plist`);
      const problem = writePlist(file, { notifications: false, hideConnectControls: true, exportDirectory: '/Library/Application Support/metrics', Recommended: { historyDays: 7 } }, format);
      assert.equal(problem, null);
      const policy = await readPolicyFile(file, 'plist');
      assert.deepEqual(policy?.locked, { notifications: false, exportDirectory: '/Library/Application Support/metrics' });
      assert.deepEqual(policy?.recommended, { historyDays: 7 });
      assert.equal(policy?.hideConnectControls, true);
      assert.deepEqual(policy?.problems, []);
    });
  }

  it('a corrupt property list (truncated binary) is one problem, never a crash', async (t) => {
    if (!skipUnless(t, spawnSync('/usr/bin/python3', ['-c', 'import plistlib']).status === 0, 'python3 with plistlib')) return;
    const file = join(dir, 'truncated.plist');
    assert.equal(writePlist(file, { notifications: false, historyDays: 30 }, 'FMT_BINARY'), null);
    const bytes = spawnSync('head', ['-c', '20', file]).stdout;
    writeFileSync(file, bytes);
    const policy = await readPolicyFile(file, 'plist');
    assert.deepEqual(policy?.locked, {});
    assert.match(policy?.problems[0] ?? '', /is not a readable property list/);
  });
});
