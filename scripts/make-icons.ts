/**
 * Rasterises the SVG sources in build/icons/ into the PNGs the app and the packager use:
 *   build/generated/tray/       tray-<state>.png at 16 px plus @1.25x…@4x siblings (20, 24, 32, 40, 48, 64 px),
 *                               which Electron's nativeImage picks by display scale; tray-<state>Template*.png
 *                               for the macOS menu bar; app.png (256 px) for notifications.
 *   build/generated/app-icon/   icon-<size>.png, 16…1024 px: scripts/make-installer-icons.ts makes .ico/.icns.
 * A 16 px icon scaled up is blurry (OpenVPN GUI issues 595, 697): every size is rendered from the vector.
 *
 * Usage: tsx scripts/make-icons.ts [--src DIR] [--out DIR]
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import { TRAY_STATES } from '../electron/app-logic/tray-state';

export const DEFAULT_SRC = 'build/icons';
export const DEFAULT_OUT = 'build/generated';

/** Tray icons are drawn for 16 px at 100 %; Windows' 125/150/200 % settings want 20, 24 and 32 px. */
export const TRAY_BASE_SIZE = 16;
export const TRAY_SCALES = [1, 1.25, 1.5, 2, 2.5, 3, 4] as const;
export const APP_ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256, 512, 1024] as const;
/** What notifications show on Linux (libnotify), next to the tray icons so it ships with them. */
export const NOTIFICATION_ICON_SIZE = 256;

export interface IconJob {
  /** SVG file name in the source folder. */
  source: string;
  /** Output path relative to the output folder. */
  output: string;
  size: number;
}

/** Electron's DPI suffix: none for 1x, "@2x", "@1.25x"… */
export function scaleSuffix(scale: number): string {
  return scale === 1 ? '' : `@${scale}x`;
}

export function iconJobs(): IconJob[] {
  const jobs: IconJob[] = [];
  for (const state of TRAY_STATES) {
    for (const variant of ['', 'Template']) {
      const name = `tray-${state}${variant}`;
      for (const scale of TRAY_SCALES) {
        jobs.push({ source: `${name}.svg`, output: join('tray', `${name}${scaleSuffix(scale)}.png`), size: TRAY_BASE_SIZE * scale });
      }
    }
  }
  jobs.push({ source: 'app.svg', output: join('tray', 'app.png'), size: NOTIFICATION_ICON_SIZE });
  for (const size of APP_ICON_SIZES) jobs.push({ source: 'app.svg', output: join('app-icon', `icon-${size}.png`), size });
  return jobs;
}

/** One square PNG of `size` pixels from an SVG, rendered at that size (not scaled from another PNG). */
export function renderSvg(svg: string | Buffer, size: number): Buffer {
  const resvg = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } });
  return resvg.render().asPng();
}

/** Raw RGBA pixels, for tests that look at what was drawn. */
export function renderSvgPixels(svg: string | Buffer, size: number): { width: number; height: number; pixels: Buffer } {
  const image = new Resvg(svg, { fitTo: { mode: 'width', value: size }, font: { loadSystemFonts: false } }).render();
  return { width: image.width, height: image.height, pixels: image.pixels };
}

export async function makeIcons(srcDir: string, outDir: string): Promise<string[]> {
  const jobs = iconJobs();
  // Start clean so a renamed icon does not leave a stale file behind to be packaged.
  await rm(join(outDir, 'tray'), { recursive: true, force: true });
  await rm(join(outDir, 'app-icon'), { recursive: true, force: true });
  await mkdir(join(outDir, 'tray'), { recursive: true });
  await mkdir(join(outDir, 'app-icon'), { recursive: true });
  const sources = new Map<string, Buffer>();
  const written: string[] = [];
  for (const job of jobs) {
    let svg = sources.get(job.source);
    if (!svg) {
      svg = await readFile(join(srcDir, job.source));
      sources.set(job.source, svg);
    }
    const output = join(outDir, job.output);
    await writeFile(output, renderSvg(svg, job.size));
    written.push(output);
  }
  return written;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { src: { type: 'string' }, out: { type: 'string' } } });
  const written = await makeIcons(resolve(values.src ?? DEFAULT_SRC), resolve(values.out ?? DEFAULT_OUT));
  console.log(`make-icons: wrote ${written.length} PNGs into ${resolve(values.out ?? DEFAULT_OUT)}`);
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((caught: unknown) => {
    console.error('make-icons:', caught);
    process.exit(1);
  });
}
