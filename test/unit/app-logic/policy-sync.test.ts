/** The app follows the machine's policy: read at start and on each change the core reports; problems logged once. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { watchPolicy } from '../../../electron/app-logic/policy-sync';
import { NO_POLICY, type Policy } from '../../../shared/policy';

const flush = () => new Promise((resolve) => setImmediate(resolve));

describe('policy sync', () => {
  it('reads at start and after each change; each problem is logged once however often it is read', async () => {
    let policy: Policy = { ...NO_POLICY, source: 'f', locked: { notifications: false }, problems: ['"theme" is not a Linkwatch setting and is ignored'] };
    let onChange: () => void = () => {};
    let unwatched = false;
    const applied: Policy[] = [];
    const logged: string[] = [];
    const stop = watchPolicy(
      {
        policy: async () => policy,
        watchPolicy: (listener) => {
          onChange = listener;
          return () => (unwatched = true);
        },
      },
      { setPolicy: (p) => applied.push(p) },
      (line) => logged.push(line),
    );
    await flush();
    onChange();
    await flush();
    policy = { ...NO_POLICY, source: 'f', locked: { historyDays: 7 } };
    onChange();
    await flush();
    assert.deepEqual(applied.map((p) => p.locked), [{ notifications: false }, { notifications: false }, { historyDays: 7 }]);
    assert.deepEqual(logged, ['"theme" is not a Linkwatch setting and is ignored']);
    stop();
    assert.equal(unwatched, true);
  });

  it('a core that cannot answer (an older one: ENOTSUP) keeps the last policy and says so once', async () => {
    const logged: string[] = [];
    const applied: Policy[] = [];
    let onChange: () => void = () => {};
    watchPolicy(
      { policy: async () => Promise.reject(Object.assign(new Error('the netlink backend has no call policy'), { code: 'ENOTSUP' })), watchPolicy: (l) => ((onChange = l), () => {}) },
      { setPolicy: (p) => applied.push(p) },
      (line) => logged.push(line),
    );
    await flush();
    onChange();
    await flush();
    assert.deepEqual(applied, []);
    assert.deepEqual(logged, ['cannot read the policy: the netlink backend has no call policy']);
  });
});
