/**
 * The Windows tier's harness itself (test/support/windows-node.ts): a script really runs as Windows code,
 * its streams and exit status come back, and a failing test under Windows Node is counted as failing.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { runTestFileUnderWindowsNode, runUnderWindowsNode, skipUnlessWindowsNode, stopWine, WINDOWS_NODE_VERSION } from '../support/windows-node';

after(stopWine);

describe('Windows Node under Wine', () => {
  it(`runs a TypeScript script as win32 on Node ${WINDOWS_NODE_VERSION}, with koffi calling kernel32, args, env, both streams and the exit status`, async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const run = await runUnderWindowsNode('test/fixtures/wine/windows-facts.ts', { args: ['a b', 'c'], env: { LINKWATCH_PROBE: 'probe' } });
    assert.equal(run.status, 3, run.stderr);
    const facts = JSON.parse(run.stdout);
    assert.equal(facts.platform, 'win32');
    assert.equal(facts.node, `v${WINDOWS_NODE_VERSION}`);
    assert.ok(Number.isInteger(facts.pid) && facts.pid > 0);
    assert.deepEqual(facts.args, ['a b', 'c']);
    assert.equal(facts.env, 'probe');
    assert.equal(run.stderr.trim(), 'to stderr');
  });

  it('counts a failing node:test test as failed', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const report = await runTestFileUnderWindowsNode('test/fixtures/wine/one-failing.test-fixture.ts');
    assert.equal(report.passed, 1, report.stdout);
    assert.equal(report.failed, 1, report.stdout);
    assert.deepEqual(report.failures, ['fails on purpose']);
    assert.notEqual(report.status, 0);
  });

  it('kills a script that outlives its timeout', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const run = await runUnderWindowsNode('test/fixtures/wine/windows-facts.ts', { nodeArgs: ['--eval', 'setInterval(() => {}, 1000)'], timeoutMs: 3000 });
    assert.equal(run.timedOut, true);
    assert.ok(run.ms < 20_000, `${run.ms} ms`);
  });
});
