#!/usr/bin/env node
// `linkwatch` on the PATH (npm install -g .): the built CLI when `npm run build` has made it, else the
// TypeScript source through tsx (a development checkout after `npm ci`).
import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';

const built = fileURLToPath(new URL('../out/main/cli.js', import.meta.url));
if (existsSync(built)) {
  await import(pathToFileURL(built).href);
} else {
  const { register } = await import('tsx/esm/api');
  register();
  await import('../electron/core/cli.ts');
}
