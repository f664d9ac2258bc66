/**
 * decodeRasEntryNames: RASENTRYNAMEW bytes in, entries out (pure; no library). Property-based over generated
 * phone books in both layouts, and over arbitrary bytes: what RasEnumEntriesW writes is outside input.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { decodeRasEntryNames } from '../../../../electron/core/platforms/win32/ras-phonebook';
import { REN_AllUsers, rasEntryNameLayouts } from '../../../../electron/core/platforms/win32/ras-phonebook-structs';
import { fieldByteLength, type RasLayout } from '../../../../electron/core/platforms/win32/ras-structs';

interface Entry {
  name: string;
  allUsers: boolean;
  phonebook: string;
}

/** As RasEnumEntriesW writes them: each field at its offset, NUL-terminated unless it fills its field;
 * unused bytes 0xAA so that a decoder reading past a NUL would show it. */
function entryBuffer(layout: RasLayout, entries: Entry[]): Buffer {
  const buf = Buffer.alloc(layout.size * entries.length, 0xaa);
  entries.forEach((entry, i) => {
    const base = i * layout.size;
    buf.writeUInt32LE(layout.size, base);
    const put = (field: string, text: string) => {
      const bytes = Buffer.from(text, 'utf16le');
      bytes.copy(buf, base + layout.offsets[field]!);
      if (bytes.length < fieldByteLength(layout, field)) buf.writeUInt16LE(0, base + layout.offsets[field]! + bytes.length);
    };
    put('szEntryName', entry.name);
    if (layout.offsets.dwFlags !== undefined) {
      buf.writeUInt32LE(entry.allUsers ? REN_AllUsers : 0, base + layout.offsets.dwFlags);
      put('szPhonebookPath', entry.phonebook);
    }
  });
  return buf;
}

const [v500, v400] = rasEntryNameLayouts();
/** UTF-16 text without NUL that fits `units` code units (surrogate pairs count two). */
const text = (units: number) =>
  fc.string({ unit: 'grapheme', maxLength: units }).filter((s) => !s.includes('\0') && Buffer.byteLength(s, 'utf16le') <= units * 2);
const entryArb = fc.record({ name: text(257), allUsers: fc.boolean(), phonebook: text(261) });

describe('decodeRasEntryNames', () => {
  it('RASENTRYNAMEW 0x500: names, books and the all-users flag come back exactly (names filling their field included)', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 12 }), (entries) => {
        assert.deepEqual(decodeRasEntryNames(entryBuffer(v500!, entries), entries.length, v500!), entries.map((e) => ({ ...e })));
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('RASENTRYNAMEW 0x400 (an older Windows): names only; every entry is the default book\'s', () => {
    fc.assert(
      fc.property(fc.array(entryArb, { maxLength: 12 }), (entries) => {
        assert.deepEqual(
          decodeRasEntryNames(entryBuffer(v400!, entries), entries.length, v400!),
          entries.map((e) => ({ name: e.name, allUsers: false, phonebook: '' })),
        );
      }),
      { seed: 13, numRuns: 200 },
    );
  });

  it('arbitrary bytes: never throws for a count that fits, never reads past the buffer; a count that does not fit is a RangeError', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 4 * 1048 }), fc.integer({ min: 0, max: 6 }), fc.constantFrom(v500!, v400!), (bytes, count, layout) => {
        const buf = Buffer.from(bytes);
        if (count * layout.size > buf.length) {
          assert.throws(() => decodeRasEntryNames(buf, count, layout), RangeError);
          return;
        }
        const decoded = decodeRasEntryNames(buf, count, layout);
        assert.equal(decoded.length, count);
        for (const entry of decoded) assert.ok(entry.name.length <= 257 && entry.phonebook.length <= 261);
      }),
      { seed: 13, numRuns: 300 },
    );
  });
});
