import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { describe, it } from 'node:test';
import { TRAY_STATES } from '../../../electron/app-logic/tray-state';
import { APP_CELL, cutCell, DEFAULT_SRC, iconJobs, makeIcons, renderSvgPixels, sheetCells, TRAY_BASE_SIZE } from '../../../scripts/make-icons';

const SRC = DEFAULT_SRC;

function pngSize(data: Buffer): { width: number; height: number } {
  assert.equal(data.toString('latin1', 12, 16), 'IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

async function pixels(cell: string, size = 16): Promise<Buffer> {
  return renderSvgPixels(cutCell(await readFile(SRC, 'utf8'), cell), size).pixels;
}

/** Share of pixels whose colour or coverage differs noticeably between two renderings. */
function difference(a: Buffer, b: Buffer): number {
  let differing = 0;
  for (let i = 0; i < a.length; i += 4) {
    const delta = Math.max(...[0, 1, 2, 3].map((c) => Math.abs((a[i + c] ?? 0) - (b[i + c] ?? 0))));
    if (delta > 64) differing += 1;
  }
  return differing / (a.length / 4);
}

describe('icons: sharp at every DPI, state readable at a glance', () => {
  it('every tray state has 16, 20, 24 and 32 px (and @2x) images, coloured and macOS template', () => {
    const outputs = new Map(iconJobs().map((job) => [job.output, job.size]));
    for (const state of TRAY_STATES) {
      for (const name of [`tray-${state}`, `tray-${state}Template`]) {
        assert.equal(outputs.get(join('tray', `${name}.png`)), 16);
        assert.equal(outputs.get(join('tray', `${name}@1.25x.png`)), 20);
        assert.equal(outputs.get(join('tray', `${name}@1.5x.png`)), 24);
        assert.equal(outputs.get(join('tray', `${name}@2x.png`)), 32);
      }
    }
  });

  it('every icon is a cell of the one sheet, and every cell of the sheet becomes an icon', async () => {
    const svgs = (await readdir(dirname(SRC))).filter((name) => name.endsWith('.svg'));
    assert.deepEqual(svgs, [basename(SRC)], 'build/icons holds the sheet and no other SVG source');
    const cells = sheetCells(await readFile(SRC, 'utf8'));
    const ids = cells.map((cell) => cell.id);
    assert.equal(new Set(ids).size, ids.length, `duplicate cell ids: ${ids.join(', ')}`);
    assert.deepEqual([...new Set(iconJobs().map((job) => job.cell))].sort(), [...ids].sort());
  });

  it('tray cells are 16×16 units, the app cell is square, and no two cells overlap', async () => {
    const cells = sheetCells(await readFile(SRC, 'utf8'));
    for (const cell of cells) {
      if (cell.id === APP_CELL) assert.equal(cell.width, cell.height, 'app cell is square');
      else assert.deepEqual([cell.width, cell.height], [TRAY_BASE_SIZE, TRAY_BASE_SIZE], cell.id);
    }
    for (const [i, a] of cells.entries()) {
      for (const b of cells.slice(i + 1)) {
        const apart = a.x + a.width <= b.x || b.x + b.width <= a.x || a.y + a.height <= b.y || b.y + b.height <= a.y;
        assert.ok(apart, `${a.id} overlaps ${b.id}`);
      }
    }
  });

  it('the app icon set has what the installers need (256 for .ico, 512/1024 for .icns)', () => {
    const sizes = iconJobs().filter((job) => job.output.startsWith('app-icon')).map((job) => job.size);
    for (const size of [16, 32, 48, 256, 512, 1024]) assert.ok(sizes.includes(size), `${size} px`);
  });

  it('at 16 px the four states look different from each other, coloured and template alike', async () => {
    for (const variant of ['', 'Template']) {
      const rendered = await Promise.all(TRAY_STATES.map((state) => pixels(`tray-${state}${variant}`)));
      for (let i = 0; i < rendered.length; i += 1) {
        for (let j = i + 1; j < rendered.length; j += 1) {
          const share = difference(rendered[i] as Buffer, rendered[j] as Buffer);
          assert.ok(share > 0.08, `${TRAY_STATES[i]} vs ${TRAY_STATES[j]}${variant}: only ${(share * 100).toFixed(1)} % of pixels differ`);
        }
      }
    }
  });

  it('template images are black with alpha only (macOS recolours them for the menu bar)', async () => {
    for (const state of TRAY_STATES) {
      const data = await pixels(`tray-${state}Template`, 32);
      let opaque = 0;
      for (let i = 0; i < data.length; i += 4) {
        if ((data[i + 3] ?? 0) === 0) continue;
        opaque += 1;
        assert.deepEqual([data[i], data[i + 1], data[i + 2]], [0, 0, 0], `${state}: a non-black pixel`);
      }
      assert.ok(opaque > 50, `${state}: almost nothing drawn`);
    }
  });

  it('writes every PNG at its size, rendered from the vector', async () => {
    const out = await mkdtemp(join(tmpdir(), 'linkwatch-icons-'));
    try {
      const written = await makeIcons(SRC, out);
      assert.equal(written.length, iconJobs().length);
      for (const job of iconJobs()) {
        const { width, height } = pngSize(await readFile(join(out, job.output)));
        assert.deepEqual([width, height], [job.size, job.size], job.output);
      }
      assert.ok((await readdir(join(out, 'tray'))).includes('app.png'));
    } finally {
      await rm(out, { recursive: true, force: true });
    }
  });
});
