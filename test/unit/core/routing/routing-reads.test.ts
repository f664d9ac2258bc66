/**
 * The monitor's routing reads (issue 25): a failure is logged once per new message, not on every read; a
 * backend that answers ENOTSUP (no readRouting, through the core process) is quietly "no verdict".
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BackendError } from '../../../../electron/core/backend-error';
import { RoutingReads } from '../../../../electron/core/routing/routing-reads';

test('a routing failure is logged once while it repeats, again when it changes; ENOTSUP never', async () => {
  const logged: string[] = [];
  let failure: Error = new BackendError('EACCES', 'no netlink');
  const reads = new RoutingReads({ readRouting: async () => Promise.reject(failure) }, (m) => logged.push(m));
  for (let i = 0; i < 3; i++) assert.equal(await reads.read([]), null);
  assert.deepEqual(logged, ['linkwatch: routes could not be read: no netlink (EACCES)']);
  failure = new BackendError('ETIMEDOUT', 'slow');
  await reads.read([]);
  assert.equal(logged.length, 2);
  failure = new BackendError('ENOTSUP', 'no such method');
  assert.equal(await reads.read([]), null);
  assert.equal(await reads.diagnose([]), null);
  assert.equal(logged.length, 2);
});

test('a backend without readRouting has no verdict and nothing to explain', async () => {
  const reads = new RoutingReads({});
  assert.equal(await reads.read(['a']), null);
  assert.equal(await reads.diagnose([]), null);
});
