import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import koffi from 'koffi';
import {
  RASCONNW_FIELDS,
  rasConnLayouts,
  rasConnStatusLayouts,
  rasLayout,
  type RasArch,
} from '../../../../electron/core/platforms/win32/ras-structs';

// Offsets worked out by hand from ras.h under #pragma pack(4): the handle is 4-aligned, WCHAR arrays are
// 2-aligned, DWORD/GUID/LUID 4-aligned. x86 is x64 minus the 4 bytes of the smaller handle after `hrasconn`.
const RASCONNW_X64: Record<string, number> = {
  dwSize: 0,
  hrasconn: 4,
  szEntryName: 12,
  szDeviceType: 526,
  szDeviceName: 560,
  szPhonebook: 818,
  dwSubEntry: 1340,
  guidEntry: 1344,
  dwFlags: 1360,
  luid: 1364,
  guidCorrelationId: 1372,
};
const RASCONNW_X86 = Object.fromEntries(Object.entries(RASCONNW_X64).map(([k, v]) => [k, v <= 4 ? v : v - 4]));
const RASCONNSTATUSW: Record<string, number> = {
  dwSize: 0,
  rasconnstate: 4,
  dwError: 8,
  szDeviceType: 12,
  szDeviceName: 46,
  szPhoneNumber: 304,
  localEndPoint: 564,
  remoteEndPoint: 584,
  rasconnsubstate: 604,
};

const SIZES: Record<RasArch, number[]> = { x64: [1388, 1372, 1360], x86: [1384, 1368, 1356] };

function pick(all: Record<string, number>, names: string[]): Record<string, number> {
  return Object.fromEntries(names.map((name) => [name, all[name]!]));
}

describe('RASCONNW layout (ras.h, #pragma pack(4))', () => {
  for (const arch of ['x64', 'x86'] as const) {
    it(`${arch}: sizes ${SIZES[arch].join(' / ')} for WINVER 0x600 / 0x501 / 0x500, newest first`, () => {
      assert.deepEqual(
        rasConnLayouts(arch).map((layout) => layout.size),
        SIZES[arch],
      );
    });

    it(`${arch}: every field offset of every version`, () => {
      const expected = arch === 'x64' ? RASCONNW_X64 : RASCONNW_X86;
      for (const layout of rasConnLayouts(arch)) {
        const names = layout.fields.map((field) => field.name);
        assert.deepEqual(layout.offsets, pick(expected, names), layout.name);
        for (const name of names) assert.equal(koffi.offsetof(layout.type, name), expected[name], `${layout.name}.${name}`);
      }
    });
  }

  it('each older version is the newer one cut where its first WINVER-gated field starts', () => {
    const [v600, v501, v500] = rasConnLayouts('x64');
    assert.equal(v501!.size, v600!.offsets.guidCorrelationId);
    assert.equal(v500!.size, v600!.offsets.dwFlags);
    assert.deepEqual(
      v500!.fields.map((f) => f.name),
      RASCONNW_FIELDS.filter((f) => f.winver <= 0x500).map((f) => f.name),
    );
  });

  it('is not the naturally aligned 1392 bytes (the known ERROR_INVALID_SIZE), nor koffi.pack\'s 1386', () => {
    const def = (handle: string | [number, string]) =>
      Object.fromEntries(
        RASCONNW_FIELDS.map((f) => [
          f.name,
          f.type === 'HRASCONN' ? handle : f.type === 'WCHAR' ? koffi.array('char16_t', f.count!) : f.type === 'DWORD' ? 'uint32' : f.type === 'LUID' ? koffi.array('uint32', 2) : koffi.array('uint32', 4),
        ]),
      );
    const natural = koffi.struct('RASCONNW_natural_test', def('uint64'));
    const packed = koffi.pack('RASCONNW_packed_test', def('uint64'));
    assert.equal(koffi.sizeof(natural), 1392);
    assert.equal(koffi.sizeof(packed), 1386);
    assert.equal(rasConnLayouts('x64')[0]!.size, 1388);
    assert.equal(rasConnLayouts('x64')[0]!.offsets.hrasconn, 4);
  });

  it('declares each version once: asking again returns the same struct', () => {
    assert.equal(rasLayout('RASCONNW', RASCONNW_FIELDS, 0x600, 'x64'), rasConnLayouts('x64')[0]);
  });
});

describe('RASCONNSTATUSW layout (ras.h, #pragma pack(4))', () => {
  for (const arch of ['x64', 'x86'] as const) {
    it(`${arch}: 608 (WINVER 0x601) and 564 (0x401), every field offset`, () => {
      const layouts = rasConnStatusLayouts(arch);
      assert.deepEqual(
        layouts.map((layout) => layout.size),
        [608, 564],
      );
      for (const layout of layouts) {
        assert.deepEqual(layout.offsets, pick(RASCONNSTATUSW, layout.fields.map((f) => f.name)), layout.name);
      }
    });
  }
});
