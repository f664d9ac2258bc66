import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { buildIcns, makeInstallerIcons, pngDimensions } from '../../../scripts/make-installer-icons';
import { solidPng } from './png-fixture';

let work: string;
before(async () => {
  work = await mkdtemp(join(tmpdir(), 'linkwatch-icons-'));
});
after(async () => {
  await rm(work, { recursive: true, force: true });
});

async function writeSet(dir: string, sizes: readonly number[]): Promise<void> {
  await rm(dir, { recursive: true, force: true });
  await mkdir(dir, { recursive: true });
  for (const size of sizes) await writeFile(join(dir, `app-${size}.png`), solidPng(size));
}

/** ICO (Microsoft's ICONDIR): reserved 0, type 1, count, then 16-byte entries; width 0 means 256. */
function readIco(data: Buffer): { size: number; bmp: boolean }[] {
  assert.equal(data.readUInt16LE(0), 0);
  assert.equal(data.readUInt16LE(2), 1, 'type 1 = icon');
  const entries = [];
  for (let i = 0; i < data.readUInt16LE(4); i++) {
    const at = 6 + 16 * i;
    const width = data.readUInt8(at) || 256;
    const offset = data.readUInt32LE(at + 12);
    // A BMP entry starts with BITMAPINFOHEADER (size 40); a PNG entry with the PNG signature.
    entries.push({ size: width, bmp: data.readUInt32LE(offset) === 40 });
  }
  return entries;
}

/** ICNS: 'icns', total length, then (type, length, data) elements, big-endian. */
function readIcns(data: Buffer): { type: string; width: number; height: number }[] {
  assert.equal(data.toString('latin1', 0, 4), 'icns');
  assert.equal(data.readUInt32BE(4), data.length, 'header length is the file length');
  const elements = [];
  for (let at = 8; at < data.length; ) {
    const type = data.toString('latin1', at, at + 4);
    const length = data.readUInt32BE(at + 4);
    assert.ok(length > 8 && at + length <= data.length, `${type}: element length inside the file`);
    elements.push({ type, ...pngDimensions(data.subarray(at + 8, at + length)) });
    at += length;
  }
  return elements;
}

test('turns a PNG set into icon.ico, icon.icns and the linux hicolor sizes', async () => {
  const from = join(work, 'set');
  const out = join(work, 'out');
  await writeSet(from, [16, 20, 24, 32, 40, 48, 64, 128, 256, 512, 1024]);
  const made = await makeInstallerIcons(from, out);

  // NSIS and the exe resource take BMP entries everywhere; 256 is the largest size an ICO can hold.
  const ico = readIco(await readFile(made.ico));
  assert.deepEqual(
    ico.map((e) => e.size),
    [16, 20, 24, 32, 40, 48, 64, 256],
  );
  assert.ok(ico.every((e) => e.bmp));

  // Every element holds a PNG of the size its type promises (@2x types hold the next size up).
  const expected: Record<string, number> = {
    icp4: 16, icp5: 32, ic11: 32, ic12: 64, ic07: 128, ic08: 256, ic13: 256, ic09: 512, ic14: 512, ic10: 1024,
  };
  const icns = readIcns(await readFile(made.icns));
  assert.deepEqual(icns.map((e) => e.type).sort(), Object.keys(expected).sort());
  for (const e of icns) assert.deepEqual([e.width, e.height], [expected[e.type], expected[e.type]], e.type);

  // electron-builder reads the sizes of a Linux icon folder from NxN.png names.
  assert.deepEqual((await readdir(made.linuxDir)).sort(), [
    '128x128.png', '16x16.png', '24x24.png', '256x256.png', '32x32.png', '48x48.png', '512x512.png', '64x64.png',
  ]);
});

test('refuses a set without the sizes electron-builder requires (256 for Windows, 512 for macOS)', async () => {
  const from = join(work, 'small-set');
  await writeSet(from, [16, 32, 128]);
  await assert.rejects(makeInstallerIcons(from, join(work, 'out-small')), /256×256/);
  await writeSet(from, [16, 32, 256]);
  await assert.rejects(makeInstallerIcons(from, join(work, 'out-small')), /512×512/);
});

test('an ICNS needs at least one image of a size it has a type for', () => {
  assert.throws(() => buildIcns([{ size: 20, data: solidPng(20) }]), /no PNG of an ICNS size/);
});
