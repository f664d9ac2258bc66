/** Registry value bytes as RegEnumValueW returns them (Microsoft, "Registry value types"). */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeRegistryValue, REG_DWORD, REG_EXPAND_SZ, REG_MULTI_SZ, REG_QWORD, REG_SZ } from '../../../../electron/core/policy/registry-values';

const utf16 = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'utf16le'));

describe('registry values', () => {
  it('REG_SZ with or without its terminating NUL (RegQueryValueEx: "may not have been stored with the proper terminating null")', () => {
    assert.equal(decodeRegistryValue(REG_SZ, utf16('C:\\metrics\0')), 'C:\\metrics');
    assert.equal(decodeRegistryValue(REG_SZ, utf16('C:\\metrics')), 'C:\\metrics');
    assert.equal(decodeRegistryValue(REG_EXPAND_SZ, utf16('%ProgramData%\\x\0')), '%ProgramData%\\x');
    assert.equal(decodeRegistryValue(REG_SZ, new Uint8Array([0x41, 0, 0x42])), 'A', 'an odd trailing byte is not half a character');
  });

  it('REG_DWORD is 4 little-endian bytes; REG_QWORD 8; another length stays raw bytes for the parser to refuse', () => {
    assert.equal(decodeRegistryValue(REG_DWORD, new Uint8Array([30, 0, 0, 0])), 30);
    assert.equal(decodeRegistryValue(REG_DWORD, new Uint8Array([0xff, 0xff, 0xff, 0xff])), 0xffffffff);
    assert.equal(decodeRegistryValue(REG_QWORD, new Uint8Array([1, 0, 0, 0, 0, 0, 0, 0])), 1);
    assert.equal(decodeRegistryValue(REG_QWORD, new Uint8Array([0, 0, 0, 0, 0, 0, 0, 0x80])), 0x8000_0000_0000_0000n);
    assert.ok(decodeRegistryValue(REG_DWORD, new Uint8Array([1, 0])) instanceof Uint8Array);
  });

  it('REG_MULTI_SZ: the strings up to the empty one', () => {
    assert.deepEqual(decodeRegistryValue(REG_MULTI_SZ, utf16('a\0bc\0\0')), ['a', 'bc']);
  });
});
