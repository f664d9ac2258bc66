/**
 * What the popup's first paint waits for, read from the built renderer (out/renderer): index.html's module
 * script and modulepreloads, and every chunk those import statically (a static import is fetched before the
 * module runs, preloaded or not). Lazy chunks (`import(…)`) are not part of it. Used by the budget check
 * (first-paint.spec.ts) and the bench's row (test/bench/popup-latency.ts).
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { gzipSync } from 'node:zlib';

/** Issue 22: the JavaScript that must load before the popup's first paint stays under 75 KB gzip. */
export const FIRST_PAINT_BUDGET_BYTES = 75 * 1024;

/** Gzip at level 9, as a server or an installer's compressor would send it; the size that is measured. */
export function gzipBytes(path: string): number {
  return gzipSync(readFileSync(path), { level: 9 }).length;
}

/** The first paint's JavaScript files, relative to `dir` (out/renderer). */
export function firstPaintFiles(dir: string): string[] {
  const html = readFileSync(join(dir, 'index.html'), 'utf8');
  const pending = [...html.matchAll(/<(?:script[^>]+src|link[^>]+rel="modulepreload"[^>]+href)="\.\/([^"]+\.js)"/g)].map((match) => match[1]!);
  if (pending.length === 0) throw new Error('index.html loads no script');
  const files = new Set<string>();
  for (let file = pending.pop(); file !== undefined; file = pending.pop()) {
    if (files.has(file)) continue;
    files.add(file);
    const code = readFileSync(join(dir, file), 'utf8');
    // Minified static imports: `import{a as b}from"./x.js"` or `import"./x.js"` (dynamic ones are `import(`).
    for (const match of code.matchAll(/(?:^|[;}\s])import\s*(?:[^'"(]*?from\s*)?["']\.\/([^"']+\.js)["']/g)) pending.push(join(dirname(file), match[1]!));
  }
  return [...files];
}

/** Their gzip size in bytes. */
export function firstPaintGzip(dir: string): number {
  return firstPaintFiles(dir).reduce((total, file) => total + gzipBytes(join(dir, file)), 0);
}
