/**
 * toErrorInfo: anything thrown becomes `{code, message}`, and converting it never throws. The hostile values
 * are the counterexamples of issue 12's fuzzing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackendError, toErrorInfo } from '../../../electron/core/backend-error';

describe('toErrorInfo', () => {
  it('a BackendError keeps its code; an Error its errno code; anything else is EUNKNOWN with its text', () => {
    assert.deepEqual(toErrorInfo(new BackendError(632, 'size')), { code: 632, message: 'size' });
    assert.deepEqual(toErrorInfo(Object.assign(new Error('gone'), { code: 'ENOENT' })), { code: 'ENOENT', message: 'gone' });
    assert.deepEqual(toErrorInfo(Object.assign(new Error('odd'), { code: 12 })), { code: 'EUNKNOWN', message: 'odd' });
    assert.deepEqual(toErrorInfo('plain text'), { code: 'EUNKNOWN', message: 'plain text' });
    assert.deepEqual(toErrorInfo(undefined), { code: 'EUNKNOWN', message: 'undefined' });
    assert.deepEqual(toErrorInfo(Symbol('s')), { code: 'EUNKNOWN', message: 'Symbol(s)' });
  });

  describe('never throws (issue 12 counterexamples)', () => {
    const boom = (): never => {
      throw new Error('trap');
    };
    const cases: [string, () => unknown, { code: number | string; message: string | RegExp }][] = [
      ['a null-prototype object', () => Object.create(null), { code: 'EUNKNOWN', message: '[object Object]' }],
      ['an object whose toString throws', () => ({ toString: boom }), { code: 'EUNKNOWN', message: '[object Object]' }],
      [
        'an Error whose message getter throws',
        () => Object.defineProperty(Object.assign(new Error('x'), { code: 'EIO' }), 'message', { get: boom }),
        { code: 'EIO', message: '[object Error]' },
      ],
      ['an Error whose code getter throws', () => Object.defineProperty(new Error('kept'), 'code', { get: boom }), { code: 'EUNKNOWN', message: 'kept' }],
      [
        'a BackendError whose code getter throws',
        () => Object.defineProperty(new BackendError(5, 'kept too'), 'code', { get: boom }),
        { code: 'EUNKNOWN', message: 'kept too' },
      ],
      ['an Error whose message is not a string', () => Object.assign(new Error(), { message: 42 }), { code: 'EUNKNOWN', message: '42' }],
      [
        'a Proxy whose every trap throws',
        () => new Proxy({}, { get: boom, getPrototypeOf: boom, has: boom, ownKeys: boom, getOwnPropertyDescriptor: boom }),
        { code: 'EUNKNOWN', message: 'an unreadable value was thrown' },
      ],
      [
        'a revoked Proxy',
        () => {
          const { proxy, revoke } = Proxy.revocable({}, {});
          revoke();
          return proxy;
        },
        { code: 'EUNKNOWN', message: 'an unreadable value was thrown' },
      ],
      ['a Proxy of an Error', () => new Proxy(new BackendError('EX', 'through a proxy'), {}), { code: 'EX', message: 'through a proxy' }],
    ];
    for (const [what, make, expected] of cases) {
      it(what, () => {
        const info = toErrorInfo(make());
        assert.equal(info.code, expected.code);
        assert.equal(typeof info.message, 'string');
        if (typeof expected.message === 'string') assert.equal(info.message, expected.message);
        else assert.match(info.message, expected.message);
        assert.deepEqual(JSON.parse(JSON.stringify(info)), info, 'plain data: it crosses IPC and stdout');
      });
    }
  });
});
