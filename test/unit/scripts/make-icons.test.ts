import assert from 'node:assert/strict';
import { mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { TRAY_STATES } from '../../../electron/app-logic/tray-state';
import { iconJobs, makeIcons, renderSvgPixels } from '../../../scripts/make-icons';

const SRC = 'build/icons';

function pngSize(data: Buffer): { width: number; height: number } {
  assert.equal(data.toString('latin1', 12, 16), 'IHDR');
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

async function pixels(name: string, size = 16): Promise<Buffer> {
  return renderSvgPixels(await readFile(join(SRC, name)), size).pixels;
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

  it('the app icon set has what the installers need (256 for .ico, 512/1024 for .icns)', () => {
    const sizes = iconJobs().filter((job) => job.output.startsWith('app-icon')).map((job) => job.size);
    for (const size of [16, 32, 48, 256, 512, 1024]) assert.ok(sizes.includes(size), `${size} px`);
  });

  it('at 16 px the four states look different from each other, coloured and template alike', async () => {
    for (const variant of ['', 'Template']) {
      const rendered = await Promise.all(TRAY_STATES.map((state) => pixels(`tray-${state}${variant}.svg`)));
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
      const data = await pixels(`tray-${state}Template.svg`, 32);
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
