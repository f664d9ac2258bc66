/**
 * Registry values as data: the bytes RegEnumValueW hands back, decoded by their type (winnt.h REG_*; the
 * layouts are Microsoft's "Registry value types" page). Pure, so every odd length and type is tested without
 * a registry: the bytes come from outside (whatever an administrator or a tool wrote).
 */

/** winnt.h value types. */
export const REG_SZ = 1;
export const REG_EXPAND_SZ = 2;
export const REG_BINARY = 3;
export const REG_DWORD = 4;
export const REG_DWORD_BIG_ENDIAN = 5;
export const REG_MULTI_SZ = 7;
export const REG_QWORD = 11;

/** A value the policy parser can judge: a string, a number, a bigint (QWORD beyond 2^53), a list, raw bytes. */
export type RegistryData = string | number | bigint | string[] | Uint8Array;

/** UTF-16LE text up to the first NUL; REG_SZ data may or may not carry its terminator (RegQueryValueEx's note). */
function utf16(bytes: Uint8Array): string {
  const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
  const text = Buffer.from(even.buffer, even.byteOffset, even.byteLength).toString('utf16le');
  const end = text.indexOf('\0');
  return end === -1 ? text : text.slice(0, end);
}

/**
 * The value of `type` in `bytes`. A DWORD or QWORD of the wrong length is kept as raw bytes (the parser then
 * says what was expected) rather than read past its end or guessed.
 */
export function decodeRegistryValue(type: number, bytes: Uint8Array): RegistryData {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  switch (type) {
    case REG_SZ:
    case REG_EXPAND_SZ:
      // REG_EXPAND_SZ: %VARIABLES% are left as written; no policy value of ours is a path to expand.
      return utf16(bytes);
    case REG_DWORD:
      return bytes.length === 4 ? view.getUint32(0, true) : bytes.slice();
    case REG_DWORD_BIG_ENDIAN:
      return bytes.length === 4 ? view.getUint32(0, false) : bytes.slice();
    case REG_QWORD: {
      if (bytes.length !== 8) return bytes.slice();
      const value = view.getBigUint64(0, true);
      return value <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(value) : value;
    }
    case REG_MULTI_SZ: {
      // A sequence of NUL-terminated strings ended by an empty one.
      const even = bytes.subarray(0, bytes.length - (bytes.length % 2));
      const text = Buffer.from(even.buffer, even.byteOffset, even.byteLength).toString('utf16le');
      const end = text.indexOf('\0\0');
      return (end === -1 ? text : text.slice(0, end)).split('\0').filter((part) => part.length > 0);
    }
    default:
      return bytes.slice();
  }
}
