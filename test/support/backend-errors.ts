import assert from 'node:assert/strict';
import { BackendError } from '../../electron/core/backend-error';

/** Asserts that `promise` rejects with a BackendError of `code` (and a message matching `message`). */
export async function rejectsWith(promise: Promise<unknown>, code: number | string, message?: RegExp): Promise<BackendError> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof BackendError, `expected a BackendError, got ${String(error)}`);
    assert.equal(error.code, code);
    if (message) assert.match(error.message, message);
    return error;
  }
  assert.fail('expected a rejection');
}
