/**
 * Turns the app-icon PNG set (written by `npm run icons`) into what electron-builder wants per OS:
 *   build/generated/icon.ico       Windows exe and NSIS installer (BMP entries, via png-to-ico)
 *   build/generated/icon.icns      macOS bundle (PNG entries, container written here)
 *   build/generated/linux-icons/   NxN.png, the hicolor sizes for the .deb and AppImage desktop entry
 *
 * Usage: tsx scripts/make-installer-icons.ts [--from DIR] [--out DIR]
 * Every square PNG in --from counts; its size is read from the PNG header, not from the file name.
 */
import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { parseArgs } from 'node:util';
import { pathToFileURL } from 'node:url';
import pngToIco from 'png-to-ico';

export const DEFAULT_FROM = 'build/generated/app-icon';
export const DEFAULT_OUT = 'build/generated';

export interface PngImage {
  size: number;
  data: Buffer;
}

const PNG_SIGNATURE = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Width and height from the IHDR chunk, which the PNG spec requires to come first. */
export function pngDimensions(data: Buffer): { width: number; height: number } {
  if (data.length < 24 || !data.subarray(0, 8).equals(PNG_SIGNATURE) || data.toString('latin1', 12, 16) !== 'IHDR') {
    throw new Error('not a PNG file');
  }
  return { width: data.readUInt32BE(16), height: data.readUInt32BE(20) };
}

/**
 * ICNS element types that take PNG data (macOS 10.7+), keyed by pixel size. A @2x type holds the same
 * pixels as the next size up, which is how `iconutil` fills them too.
 */
const ICNS_TYPES: ReadonlyMap<number, readonly string[]> = new Map([
  [16, ['icp4']],
  [32, ['icp5', 'ic11']],
  [64, ['ic12']],
  [128, ['ic07']],
  [256, ['ic08', 'ic13']],
  [512, ['ic09', 'ic14']],
  [1024, ['ic10']],
]);

/** ICO sizes Windows picks from for shell icons at 100–200 % scaling; 256 is the largest an ICO holds. */
export const ICO_SIZES = [16, 20, 24, 32, 40, 48, 64, 256] as const;
/** hicolor theme sizes a desktop entry is looked up in. */
export const LINUX_SIZES = [16, 24, 32, 48, 64, 128, 256, 512] as const;

/** Apple's container: 'icns', total length, then (type, length including its 8-byte header, data) elements; big-endian. */
export function buildIcns(images: readonly PngImage[]): Buffer {
  const elements: Buffer[] = [];
  for (const image of [...images].sort((a, b) => a.size - b.size)) {
    for (const type of ICNS_TYPES.get(image.size) ?? []) {
      const header = Buffer.alloc(8);
      header.write(type, 0, 'latin1');
      header.writeUInt32BE(8 + image.data.length, 4);
      elements.push(header, image.data);
    }
  }
  if (elements.length === 0) throw new Error('no PNG of an ICNS size (16, 32, 64, 128, 256, 512, 1024)');
  const body = Buffer.concat(elements);
  const header = Buffer.alloc(8);
  header.write('icns', 0, 'latin1');
  header.writeUInt32BE(8 + body.length, 4);
  return Buffer.concat([header, body]);
}

/** Reads every square PNG in a folder; one image per size (the first by name wins). */
export async function readIconSet(dir: string): Promise<PngImage[]> {
  const bySize = new Map<number, PngImage>();
  for (const name of (await readdir(dir)).filter((n) => n.toLowerCase().endsWith('.png')).sort()) {
    const data = await readFile(join(dir, name));
    const { width, height } = pngDimensions(data);
    if (width === height && !bySize.has(width)) bySize.set(width, { size: width, data });
  }
  return [...bySize.values()].sort((a, b) => a.size - b.size);
}

export interface InstallerIcons {
  ico: string;
  icns: string;
  linuxDir: string;
}

export async function makeInstallerIcons(fromDir: string, outDir: string): Promise<InstallerIcons> {
  const images = await readIconSet(fromDir);
  const sizes = new Set(images.map((i) => i.size));
  // electron-builder rejects a Windows icon under 256 px and a macOS icon under 512 px.
  if (!sizes.has(256)) throw new Error(`${fromDir}: the set needs a 256×256 PNG for icon.ico`);
  if (!sizes.has(512) && !sizes.has(1024)) throw new Error(`${fromDir}: the set needs a 512×512 or 1024×1024 PNG for icon.icns`);

  await mkdir(outDir, { recursive: true });
  const ico = join(outDir, 'icon.ico');
  const icoImages = images.filter((i) => (ICO_SIZES as readonly number[]).includes(i.size));
  await writeFile(ico, await pngToIco(icoImages.map((i) => i.data)));

  const icns = join(outDir, 'icon.icns');
  await writeFile(icns, buildIcns(images));

  const linuxDir = join(outDir, 'linux-icons');
  await rm(linuxDir, { recursive: true, force: true });
  await mkdir(linuxDir);
  for (const image of images.filter((i) => (LINUX_SIZES as readonly number[]).includes(i.size))) {
    await writeFile(join(linuxDir, `${image.size}x${image.size}.png`), image.data);
  }
  return { ico, icns, linuxDir };
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { from: { type: 'string' }, out: { type: 'string' } } });
  const from = resolve(values.from ?? DEFAULT_FROM);
  const out = resolve(values.out ?? DEFAULT_OUT);
  const made = await makeInstallerIcons(from, out);
  console.log(`wrote ${made.ico}, ${made.icns}, ${made.linuxDir}/`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
  });
}
