import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { BackendError } from '../../../../electron/core/backend-error';
import { builtInRasErrorCodes, builtInRasErrorMessage, rasError, rasErrorName } from '../../../../electron/core/platforms/win32/ras-errors';

describe('built-in RAS error table (used when the library has no RasGetErrorStringW)', () => {
  it('covers every code from 600 to 640 and the common ones', () => {
    const codes = new Set(builtInRasErrorCodes());
    for (let code = 600; code <= 640; code++) assert.ok(codes.has(code), `missing ${code}`);
    for (const code of [5, 6, 8, 87, 120, 668, 678, 691, 800]) assert.ok(codes.has(code), `missing ${code}`);
  });

  it('names the code as the SDK does and explains it', () => {
    assert.equal(rasErrorName(632), 'ERROR_INVALID_SIZE');
    assert.equal(rasErrorName(603), 'ERROR_BUFFER_TOO_SMALL');
    assert.equal(rasErrorName(6), 'ERROR_INVALID_HANDLE');
    assert.match(builtInRasErrorMessage(691), /password.*\(ERROR_AUTHENTICATION_FAILURE, 691\)$/);
    for (const code of builtInRasErrorCodes()) assert.ok(builtInRasErrorMessage(code).length > 20, String(code));
  });

  it('an unknown code still reads as a RAS error with its number', () => {
    assert.equal(rasErrorName(4242), null);
    assert.equal(builtInRasErrorMessage(4242), 'RAS error 4242');
  });

  it('rasError is a BackendError with the numeric code and the call that failed', () => {
    const error = rasError(632, 'RasEnumConnectionsW');
    assert.ok(error instanceof BackendError);
    assert.equal(error.code, 632);
    assert.match(error.message, /^RasEnumConnectionsW failed: .*ERROR_INVALID_SIZE, 632/);
    assert.equal(rasError(5, 'X', () => 'from the library').message, 'X failed: from the library');
  });
});
