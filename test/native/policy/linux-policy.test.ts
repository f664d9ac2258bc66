/**
 * The Linux policy at its real path, /etc/linkwatch/policy.json, without touching the host's /etc: each run
 * is a private mount namespace whose /etc is an overlay (the host's /etc below, a temporary folder above),
 * holding the policy the test wrote. `linkwatch diagnose` prints it, `connect` is refused under
 * hideConnectControls, and a broken file is reported while the rest still runs.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Diagnostics } from '../../../shared/diagnostics';
import { skipUnless } from '../../support/skip';

const CLI = fileURLToPath(new URL('../../../electron/core/cli.ts', import.meta.url));
const dir = mkdtempSync(join(tmpdir(), 'linkwatch-etc-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const canUnshare = process.getuid?.() === 0 && spawnSync('unshare', ['--mount', 'true']).status === 0;

let runs = 0;
/** The CLI with /etc/linkwatch/policy.json holding `policy` (a string: written as is). */
function cliWithPolicy(policy: string, args: string[]): { status: number | null; stdout: string; stderr: string } {
  runs += 1;
  const upper = join(dir, `upper-${runs}`);
  const work = join(dir, `work-${runs}`);
  mkdirSync(join(upper, 'linkwatch'), { recursive: true });
  mkdirSync(work);
  writeFileSync(join(upper, 'linkwatch', 'policy.json'), policy);
  const script = 'mount -t overlay overlay -o "lowerdir=/etc,upperdir=$1,workdir=$2" /etc && shift 2 && exec "$@"';
  const run = spawnSync('unshare', ['--mount', '--propagation', 'private', 'sh', '-c', script, 'sh', upper, work, process.execPath, '--import', 'tsx', CLI, ...args], {
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { status: run.status, stdout: run.stdout, stderr: run.stderr };
}

describe('the Linux policy at /etc/linkwatch/policy.json', () => {
  it('diagnose prints the policy in force; connect and disconnect are refused under hideConnectControls', (t) => {
    if (!skipUnless(t, canUnshare, 'root and unshare --mount (a private /etc overlay)')) return;
    const policy = JSON.stringify({ notifications: false, hideConnectControls: true, recommended: { historyDays: 30 }, colour: 'blue' });
    const diagnose = cliWithPolicy(policy, ['diagnose', '--json']);
    assert.equal(diagnose.status, 0, diagnose.stderr);
    assert.deepEqual((JSON.parse(diagnose.stdout) as Diagnostics).policy, {
      locked: { notifications: false },
      recommended: { historyDays: 30 },
      hideConnectControls: true,
      source: '/etc/linkwatch/policy.json',
      problems: ['"colour" is not a Linkwatch setting and is ignored'],
    });
    for (const command of [['connect', 'Office VPN'], ['disconnect', 'tun0']]) {
      const refused = cliWithPolicy(policy, command);
      assert.equal(refused.status, 1);
      assert.match(refused.stderr, new RegExp(`${command[0]} is turned off by your organisation's policy`));
    }
  });

  it('a corrupt file: diagnose says so, the list is still read', (t) => {
    if (!skipUnless(t, canUnshare, 'root and unshare --mount (a private /etc overlay)')) return;
    const diagnose = cliWithPolicy('{"notifications": fal', ['diagnose']);
    assert.equal(diagnose.status, 0, diagnose.stderr);
    assert.match(diagnose.stdout, /ignored: \/etc\/linkwatch\/policy\.json is not valid JSON .*; the policy is ignored/);
    const list = cliWithPolicy('[1, 2', ['list', '--json']);
    assert.equal(list.status, 0, list.stderr);
    assert.equal(JSON.parse(list.stdout).error, null);
  });
});
