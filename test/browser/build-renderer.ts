/**
 * Builds the popup exactly as `electron-vite build` does, but the renderer alone: the main process and
 * preload are another part of the app and need not exist (or compile) for the popup's tests. The renderer
 * config comes from electron.vite.config.ts through electron-vite's own resolver, so there is one source
 * of truth for it, and the output lands where the app loads it from (out/renderer).
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { resolveConfig } from 'electron-vite';
import { build } from 'vite';

export const REPO_ROOT = resolve(fileURLToPath(new URL('.', import.meta.url)), '../..');
export const RENDERER_OUT = resolve(REPO_ROOT, 'out/renderer');

export async function buildRenderer(): Promise<string> {
  // What `electron-vite build` sets before resolving: relative asset URLs (`base: './'`) for file:// loads.
  process.env.NODE_ENV_ELECTRON_VITE = 'production';
  const resolved = await resolveConfig({ root: REPO_ROOT, logLevel: 'warn' }, 'build', 'production');
  const renderer = resolved.config?.renderer;
  if (!renderer) throw new Error('electron.vite.config.ts has no renderer section');
  await build({ ...renderer, logLevel: 'warn' });
  return RENDERER_OUT;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const out = await buildRenderer();
  console.log(`renderer built into ${out}`);
}
