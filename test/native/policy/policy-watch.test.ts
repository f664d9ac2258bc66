/**
 * The policy file is watched where it will be: its folder, or the nearest one that exists (an administrator
 * creates /etc/linkwatch after the app started). Real inotify on a temporary tree; a change is heard once
 * per burst, and after the folder appears the watch moves into it.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync, renameSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { watchPolicyFile } from '../../../electron/core/policy/machine-policy';

const root = mkdtempSync(join(tmpdir(), 'linkwatch-policy-watch-'));
after(() => rmSync(root, { recursive: true, force: true }));

/** Resolves at the next change heard, or with 'none' when nothing is heard for `ms`. */
function next(heard: { count: number }, ms = 3000): Promise<'heard' | 'none'> {
  const start = heard.count;
  return new Promise((resolve) => {
    const deadline = Date.now() + ms;
    const poll = setInterval(() => {
      if (heard.count > start) {
        clearInterval(poll);
        resolve('heard');
      } else if (Date.now() > deadline) {
        clearInterval(poll);
        resolve('none');
      }
    }, 20);
  });
}

describe('policy file watch', () => {
  it('folder created later, file written, edited by rename (as editors do), removed: each heard; unrelated files in the parent are not', async () => {
    const etc = join(root, 'etc');
    mkdirSync(etc);
    const file = join(etc, 'linkwatch', 'policy.json');
    const heard = { count: 0 };
    const stop = watchPolicyFile(file, () => (heard.count += 1));
    try {
      let change = next(heard, 1000);
      writeFileSync(join(etc, 'hostname'), 'x');
      assert.equal(await change, 'none', 'a sibling of the folder on the way is not the policy');
      change = next(heard);
      mkdirSync(join(etc, 'linkwatch'));
      assert.equal(await change, 'heard', 'the policy folder appeared');
      change = next(heard);
      writeFileSync(file, '{"notifications": false}');
      assert.equal(await change, 'heard', 'the file written');
      change = next(heard);
      writeFileSync(`${file}.tmp`, '{"notifications": true}');
      renameSync(`${file}.tmp`, file);
      assert.equal(await change, 'heard', 'replaced by rename');
      change = next(heard);
      rmSync(file);
      assert.equal(await change, 'heard', 'removed');
    } finally {
      stop();
    }
    const change = next(heard, 600);
    writeFileSync(file, '{}');
    assert.equal(await change, 'none', 'stopped: nothing heard');
  });
});
