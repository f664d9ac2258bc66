/**
 * `npm start`: make sure Electron's binary is there (scripts/electron-runtime.ts), then `electron-vite dev`
 * with it. Without a binary and without a way to get one, one line says what is missing and how to get it.
 *
 * Usage: tsx scripts/start.ts [electron-vite dev options]
 */
import { spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { join, dirname } from 'node:path';
import { isWaylandWithXWayland, linuxLaunchArgs } from '../electron/app-logic/launch';
import { electronPackageDir, ensureElectron, missingElectronMessage } from './electron-runtime';

const runtime = ensureElectron({ electronDir: electronPackageDir(), env: process.env, platform: process.platform });
if (runtime.kind === 'missing') {
  console.error(missingElectronMessage(runtime));
  process.exit(1);
}

const electronVite = join(dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
// electron-vite takes the executable from ELECTRON_EXEC_PATH before it looks for path.txt, and Electron's
// arguments from ELECTRON_CLI_ARGS: on a Wayland session, XWayland's flag, as the packaged launch has it
// (electron/app-logic/launch.ts; Chromium reads it from the command line only).
const electronArgs = isWaylandWithXWayland(process.env) ? linuxLaunchArgs(process.platform) : [];
const child = spawn(process.execPath, [electronVite, 'dev', ...process.argv.slice(2)], {
  stdio: 'inherit',
  env: { ...process.env, ELECTRON_EXEC_PATH: runtime.executable, ...(electronArgs.length > 0 ? { ELECTRON_CLI_ARGS: JSON.stringify(electronArgs) } : {}) },
});
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => child.kill(signal));
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
