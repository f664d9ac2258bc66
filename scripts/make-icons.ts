/**
 * Rasterises the icon sheet build/icons/linkwatch-icons.svg into the PNGs the app and the packager use:
 *   build/generated/tray/       tray-<state>.png at 16 px plus @1.25x…@4x siblings (20, 24, 32, 40, 48, 64 px),
 *                               which Electron's nativeImage picks by display scale; tray-<state>Template*.png
 *                               for the macOS menu bar; app.png (256 px) for notifications.
 *   build/generated/app-icon/   icon-<size>.png, 16…1024 px: scripts/make-installer-icons.ts makes .ico/.icns.
 * The sheet is the one source: every icon is a cell of it (a nested <svg id="…"> placed by x/y/width/height),
 * and the shapes the icons share are defined once in its <defs>. A cell is cut out as the sheet's defs plus
 * that one cell, under a root <svg> whose viewBox is the cell's rectangle.
 * A 16 px icon scaled up is blurry (OpenVPN GUI issues 595, 697): every size is rendered from the vector.
 *
 * Usage: tsx scripts/make-icons.ts [--src FILE] [--out DIR]
 */
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { Resvg } from '@resvg/resvg-js';
import { TRAY_STATES } from '../electron/app-logic/tray-state';

export const DEFAULT_SRC = 'build/icons/linkwatch-icons.svg';
export const DEFAULT_OUT = 'build/generated';

/** Tray icons are drawn for 16 px at 100 %; Windows' 125/150/200 % settings want 20, 24 and 32 px. */
export const TRAY_BASE_SIZE = 16;
export const TRAY_SCALES = [1, 1.25, 1.5, 2, 2.5, 3, 4] as const;
export const APP_ICON_SIZES = [16, 20, 24, 32, 40, 48, 64, 128, 256, 512, 1024] as const;
/** What notifications show on Linux (libnotify), next to the tray icons so it ships with them. */
export const NOTIFICATION_ICON_SIZE = 256;
/** The app icon's cell in the sheet; the tray cells are named like the files they become. */
export const APP_CELL = 'app';

export interface IconJob {
  /** Id of the cell in the sheet. */
  cell: string;
  /** Output path relative to the output folder. */
  output: string;
  size: number;
}

/** A cell's rectangle in sheet units. */
export interface SheetCell {
  id: string;
  x: number;
  y: number;
  width: number;
  height: number;
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
        jobs.push({ cell: name, output: join('tray', `${name}${scaleSuffix(scale)}.png`), size: TRAY_BASE_SIZE * scale });
      }
    }
  }
  jobs.push({ cell: APP_CELL, output: join('tray', 'app.png'), size: NOTIFICATION_ICON_SIZE });
  for (const size of APP_ICON_SIZES) jobs.push({ cell: APP_CELL, output: join('app-icon', `icon-${size}.png`), size });
  return jobs;
}

/** The root <svg …> opening tag (after an optional XML declaration). */
const ROOT_OPEN = /^\s*(?:<\?xml[^>]*\?>\s*)?<svg\b[^>]*>/;
/** A cell: a nested <svg> up to its closing tag (cells hold no further <svg>, which sheetCells checks). */
const CELL = /<svg\b([^>]*)>([\s\S]*?)<\/svg>/g;
const COMMENT = /<!--[\s\S]*?-->/g;
const ATTRIBUTE = /([\w:-]+)\s*=\s*"([^"]*)"/g;

function attributes(tag: string): Map<string, string> {
  return new Map([...tag.matchAll(ATTRIBUTE)].map((match) => [match[1] ?? '', match[2] ?? '']));
}

/** Everything after the root's opening tag, comments dropped: defs and cells, then the root's </svg>. */
function sheetBody(sheet: string): string {
  const root = ROOT_OPEN.exec(sheet);
  if (!root) throw new Error('icon sheet: no root <svg> element');
  return sheet.slice(root[0].length).replace(COMMENT, '');
}

/** Every cell of the sheet, in document order: each nested <svg>, placed by its id, x, y, width and height. */
export function sheetCells(sheet: string): SheetCell[] {
  const cells: SheetCell[] = [];
  for (const match of sheetBody(sheet).matchAll(CELL)) {
    const attrs = attributes(match[1] ?? '');
    const id = attrs.get('id') ?? '(no id)';
    if ((match[2] ?? '').includes('<svg')) throw new Error(`icon sheet: cell "${id}" holds another <svg>`);
    const [x, y, width, height] = ['x', 'y', 'width', 'height'].map((name) => Number(attrs.get(name)));
    if (!attrs.has('id') || x === undefined || y === undefined || width === undefined || height === undefined || ![x, y, width, height].every(Number.isFinite)) {
      throw new Error(`icon sheet: cell "${id}" needs an id and numeric x, y, width and height`);
    }
    cells.push({ id, x, y, width, height });
  }
  return cells;
}

/**
 * A standalone SVG of one cell: the sheet's defs and that cell, seen through the cell's rectangle.
 * The other cells are dropped rather than left outside the viewBox: with them in place (as clipping nested
 * <svg>s) resvg-js 2.6.2 aborted the process ("Option::unwrap() on a None value", resvg geom.rs) for six of
 * the nine cells, e.g. tray-error next to tray-idle.
 */
export function cutCell(sheet: string, id: string): string {
  const cell = sheetCells(sheet).find((candidate) => candidate.id === id);
  if (!cell) throw new Error(`icon sheet: no cell with id "${id}"`);
  const { x, y, width, height } = cell;
  const body = sheetBody(sheet).replace(CELL, (whole: string, tag: string) => (attributes(tag).get('id') === id ? whole : ''));
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="${x} ${y} ${width} ${height}" width="${width}" height="${height}">${body}`;
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

export async function makeIcons(srcFile: string, outDir: string): Promise<string[]> {
  const jobs = iconJobs();
  const sheet = await readFile(srcFile, 'utf8');
  // Cut every cell before touching the output, so a sheet missing a cell leaves the previous icons in place.
  const cells = new Map(jobs.map((job) => [job.cell, cutCell(sheet, job.cell)]));
  // Start clean so a renamed icon does not leave a stale file behind to be packaged.
  await rm(join(outDir, 'tray'), { recursive: true, force: true });
  await rm(join(outDir, 'app-icon'), { recursive: true, force: true });
  await mkdir(join(outDir, 'tray'), { recursive: true });
  await mkdir(join(outDir, 'app-icon'), { recursive: true });
  const written: string[] = [];
  for (const job of jobs) {
    const output = join(outDir, job.output);
    await writeFile(output, renderSvg(cells.get(job.cell) ?? '', job.size));
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
