/**
 * Where Electron's binary is, and getting it when it is not there yet. Electron 42 and later download their
 * binary on first use rather than at `npm install` (no postinstall), and electron-vite 6 reads
 * `node_modules/electron/path.txt` itself without triggering that download ("Error: Electron uninstall",
 * electron-vite issues 904/905). So `npm start` and `npm run test:electron` ask here first.
 *
 * What exists in electron 45.x (node_modules/electron): `install.js`, also its `install-electron` bin, exits 0
 * at once when `dist/version` matches the package and `path.txt` names this platform's executable, else
 * downloads (through @electron/get, its cache first) and writes `dist/` and `path.txt`. `index.js` honours
 * `ELECTRON_OVERRIDE_DIST_PATH` (a folder holding an unpacked Electron); electron-vite does not, but takes
 * `ELECTRON_EXEC_PATH` (the executable itself), which is how an override reaches it.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

export type ElectronRuntime =
  | { kind: 'ready'; executable: string; version: string }
  | { kind: 'missing'; version: string; reason: string };

export interface RuntimeInput {
  /** The electron package's folder (node_modules/electron). */
  electronDir: string;
  env: NodeJS.ProcessEnv;
  platform: string;
}

/** The executable's path inside an Electron dist folder, as install.js's getPlatformPath() names it. */
export function platformExecutable(platform: string): string {
  switch (platform) {
    case 'darwin':
    case 'mas':
      return 'Electron.app/Contents/MacOS/Electron';
    case 'win32':
      return 'electron.exe';
    default:
      return 'electron';
  }
}

function packageVersion(electronDir: string): string {
  return (JSON.parse(readFileSync(join(electronDir, 'package.json'), 'utf8')) as { version: string }).version;
}

function readText(path: string): string | null {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return null;
  }
}

/**
 * What is there now, without downloading anything: an explicit executable (ELECTRON_EXEC_PATH), an
 * override folder (ELECTRON_OVERRIDE_DIST_PATH), or install.js's own `dist/` + `path.txt` at this version.
 */
export function findElectron(input: RuntimeInput): ElectronRuntime {
  const version = packageVersion(input.electronDir);
  const explicit = input.env.ELECTRON_EXEC_PATH;
  if (explicit) {
    return existsSync(explicit) ? { kind: 'ready', executable: explicit, version } : { kind: 'missing', version, reason: `ELECTRON_EXEC_PATH names ${explicit}, which does not exist` };
  }
  const override = input.env.ELECTRON_OVERRIDE_DIST_PATH;
  if (override) {
    const executable = join(override, platformExecutable(input.platform));
    return existsSync(executable)
      ? { kind: 'ready', executable, version }
      : { kind: 'missing', version, reason: `ELECTRON_OVERRIDE_DIST_PATH is set, but ${executable} does not exist` };
  }
  const installed = readText(join(input.electronDir, 'dist', 'version'))?.trim().replace(/^v/, '');
  const pathTxt = readText(join(input.electronDir, 'path.txt'));
  if (installed !== version || pathTxt !== platformExecutable(input.platform)) {
    return { kind: 'missing', version, reason: installed ? `node_modules/electron/dist holds Electron ${installed}, not ${version}` : 'its binary has not been downloaded yet' };
  }
  const executable = join(input.electronDir, 'dist', pathTxt);
  return existsSync(executable) ? { kind: 'ready', executable, version } : { kind: 'missing', version, reason: `${executable} is missing` };
}

/** The last meaningful line install.js wrote (it prints the error's stack on failure; the message is first). */
export function installFailure(stderr: string, status: number | null): string {
  const lines = stderr
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('at '));
  return lines[0] ?? (status === null ? 'the installer was killed' : `the installer exited with code ${status}`);
}

/**
 * Electron's binary, downloaded by its own installer when missing (idempotent: an installed binary costs a
 * file read, no network). Never throws: a failure comes back as `missing` with the installer's reason.
 */
export function ensureElectron(input: RuntimeInput, nodePath: string = process.execPath): ElectronRuntime {
  const found = findElectron(input);
  // An explicit executable or override folder is the user's choice: never download over it.
  if (found.kind === 'ready' || input.env.ELECTRON_EXEC_PATH || input.env.ELECTRON_OVERRIDE_DIST_PATH) return found;
  const result = spawnSync(nodePath, [join(input.electronDir, 'install.js')], {
    cwd: input.electronDir,
    env: input.env,
    encoding: 'utf8',
    stdio: ['ignore', 'inherit', 'pipe'],
    timeout: 10 * 60_000,
  });
  if (result.status !== 0) {
    return { kind: 'missing', version: found.version, reason: `it could not be downloaded: ${installFailure(result.stderr ?? String(result.error ?? ''), result.status)}` };
  }
  return findElectron(input);
}

/** The one line `npm start` ends with when there is no Electron to run. */
export function missingElectronMessage(runtime: Extract<ElectronRuntime, { kind: 'missing' }>, command = 'npm start'): string {
  return (
    `linkwatch: cannot start: Electron ${runtime.version} is missing (${runtime.reason}). ` +
    `Connect to the internet and run \`${command}\` again (it runs \`npx install-electron\`), ` +
    `or set ELECTRON_OVERRIDE_DIST_PATH to a folder holding an unpacked Electron ${runtime.version}.`
  );
}

/** node_modules/electron as Node resolves it from this project. */
export function electronPackageDir(fromUrl: string = import.meta.url): string {
  return dirname(createRequire(fromUrl).resolve('electron/package.json'));
}
