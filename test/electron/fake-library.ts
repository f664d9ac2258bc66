/**
 * The fake rasapi32 built for the OS the Electron tier runs on: the Linux shared library (and a macOS one
 * from the same source) through test/support/fake-ras.ts, or on a Windows runner a DLL from the runner's
 * MinGW-w64 `gcc`. The app loads it through LINKWATCH_RASAPI in its core process and is scripted through
 * FAKE_RAS_STATE, as the CLI tests do.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { BUILD_DIR, FIXTURES_DIR, fakeRasPath } from '../support/fake-ras';

export function fakeRasLibraryForThisOs(): string {
  if (process.platform !== 'win32') return fakeRasPath();
  // Not "rasapi32.dll": Windows would hand us its own already-loaded one for that name.
  const output = join(BUILD_DIR, 'fake-rasapi32-lw.dll');
  const source = join(FIXTURES_DIR, 'fake-rasapi32.c');
  if (existsSync(output) && statSync(output).mtimeMs >= statSync(source).mtimeMs) return output;
  mkdirSync(BUILD_DIR, { recursive: true });
  execFileSync('gcc', ['-std=c11', '-O2', '-Wall', '-shared', '-o', output, source], { stdio: ['ignore', 'inherit', 'inherit'] });
  return output;
}
