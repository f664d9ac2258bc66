/**
 * Properties of the RAS decoding over arbitrary bytes: what RasEnumConnectionsW wrote is outside input (a
 * driver, a vendor's rasapi32, a lying library), so no bytes, count or size may make decoding throw, read
 * past its field, or hand on text that is not well-formed UTF-16.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { BackendError } from '../../../../electron/core/backend-error';
import {
  RasConnDecoder,
  decodeRasConns,
  decodeWideString,
  parseRasConnectionId,
  rasConnection,
  rasConnectionId,
} from '../../../../electron/core/platforms/win32/ras-decode';
import { MAX_RAS_ENUM_ITEMS, enumBufferBytes, enumeratedCount, maxEnumBytes } from '../../../../electron/core/platforms/win32/ras-enum-bounds';
import { rasConnLayouts } from '../../../../electron/core/platforms/win32/ras-structs';
import { check } from '../../../support/property';

const layouts = [...rasConnLayouts('x64'), ...rasConnLayouts('x86')];
const LARGEST = Math.max(...rasConnLayouts().map((l) => l.size));
const u32 = fc.nat({ max: 0xffffffff });
/** A count as a library may report it: mostly small, sometimes anything a DWORD holds. */
const count = fc.oneof(fc.nat({ max: 8 }), u32);

/** What decodeWideString must give: the whole UTF-16 units of the field up to the first NUL unit, as TextDecoder decodes them. */
function expectedWide(buf: Buffer, start: number, byteLength: number): string {
  const field = buf.subarray(start, Math.min(start + byteLength, buf.length));
  const units = Math.floor(field.length / 2);
  let n = 0;
  while (n < units && field.readUInt16LE(n * 2) !== 0) n++;
  return new TextDecoder('utf-16le').decode(field.subarray(0, n * 2));
}

describe('RAS decoding over arbitrary bytes (property)', () => {
  it('decodeWideString: TextDecoder\'s text up to the first NUL, never a byte past start + byteLength', () => {
    check(
      fc.property(fc.uint8Array({ maxLength: 64 }), fc.nat({ max: 70 }), fc.nat({ max: 70 }), fc.uint8Array({ minLength: 1, maxLength: 8 }), (bytes, rawStart, byteLength, tail) => {
        const start = Math.min(rawStart, bytes.length);
        const buf = Buffer.from(bytes);
        const text = decodeWideString(buf, start, byteLength);
        assert.equal(text, expectedWide(buf, start, byteLength));
        assert.ok(text.isWellFormed());
        // Bytes past the field, changed (and more of them), change nothing.
        const end = start + byteLength;
        if (end <= buf.length) {
          const changed = Buffer.concat([buf.subarray(0, end), buf.subarray(end).map((b) => b ^ 0xff), Buffer.from(tail)]);
          assert.equal(decodeWideString(changed, start, byteLength), text);
        }
      }),
      20000,
    );
  });

  it('decodeRasConns: any buffer and any count decode min(count, what fits) records, never throwing', () => {
    check(
      fc.property(fc.nat({ max: layouts.length - 1 }), fc.nat({ max: 3 }), fc.nat({ max: 1400 }), count, fc.integer(), (which, whole, extra, n, seed) => {
        const layout = layouts[which]!; // by index: a counterexample prints the index, not the koffi type
        const buf = Buffer.alloc(whole * layout.size + extra);
        for (let i = 0, x = seed >>> 0; i < buf.length; i++, x = (Math.imul(x, 1103515245) + 12345) >>> 0) buf[i] = x >>> 24;
        const records = decodeRasConns(buf, n, layout);
        assert.equal(records.length, Math.min(n, Math.floor(buf.length / layout.size)));
        for (const record of records) {
          assert.equal(typeof record.handle, 'bigint');
          for (const text of [record.entryName, record.deviceType, record.deviceName, record.phonebook]) assert.ok(text.isWellFormed());
          assert.equal(parseRasConnectionId(rasConnectionId(record.handle)), record.handle, 'the id gives the handle back');
          const connection = rasConnection(record, { rasconnstate: seed >>> 0, dwError: (seed >>> 3) % 1000 }, true, (code) => `error ${code}`);
          assert.deepEqual(structuredClone(connection), connection, 'plain data: crosses the worker thread');
        }
      }),
      3000,
    );
  });

  it('RasConnDecoder over a sequence of snapshots gives exactly what decodeRasConns gives for the same bytes', () => {
    const layout = rasConnLayouts('x64')[0]!;
    // Each snapshot: entries picked from a small pool of distinct byte patterns, so that reuse is exercised.
    const pool = Array.from({ length: 4 }, (_, p) => {
      const entry = Buffer.alloc(layout.size, 0);
      entry.writeUInt32LE(layout.size, 0);
      entry.writeBigUInt64LE(BigInt(p + 1) << 4n, layout.offsets.hrasconn!);
      entry.write(`VPN ${p}\0`, layout.offsets.szEntryName!, 'utf16le');
      return entry;
    });
    check(
      fc.property(fc.array(fc.tuple(fc.array(fc.nat({ max: 3 }), { maxLength: 5 }), count), { minLength: 1, maxLength: 8 }), (snapshots) => {
        const decoder = new RasConnDecoder();
        for (const [entries, n] of snapshots) {
          const bytes = Buffer.concat(entries.map((p) => pool[p]!));
          const buf = decoder.buffer(bytes.length);
          buf.fill(0xaa);
          bytes.copy(buf);
          const expected = decodeRasConns(Buffer.from(buf), n, layout);
          assert.deepEqual(decoder.decode(n, layout), expected);
        }
      }),
      3000,
    );
  });

  it('enumeration bounds: any *lpcb and count either size a buffer within the cap or are a BackendError EPROTO', () => {
    check(
      fc.property(u32, count, fc.constantFrom(...rasConnLayouts().map((l) => l.size)), (cb, n, stride) => {
        let bytes: number;
        try {
          bytes = enumBufferBytes(cb, n, stride, LARGEST);
        } catch (error) {
          assert.ok(error instanceof BackendError, String(error));
          assert.equal(error.code, 'EPROTO');
          assert.ok(n > MAX_RAS_ENUM_ITEMS || Math.max(cb, n * stride) > maxEnumBytes(LARGEST));
          return;
        }
        assert.ok(bytes <= maxEnumBytes(LARGEST) && bytes >= cb && bytes >= n * stride && bytes >= stride);
        const fits = Math.floor(bytes / stride);
        assert.equal(enumeratedCount(Math.min(n, fits), stride, bytes), Math.min(n, fits));
        if (n > fits) assert.throws(() => enumeratedCount(n, stride, bytes), (e: unknown) => e instanceof BackendError && e.code === 'EPROTO');
      }),
      20000,
    );
  });
});
