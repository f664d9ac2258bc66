/**
 * The fake rasapi32 built for the OS the Electron tier runs on: the Linux shared library (and a macOS one
 * from the same source) through test/support/fake-ras.ts, or on a Windows runner a DLL from the runner's
 * MinGW-w64 `gcc`, from the same source list as every other tier (fake-libraries.ts: both halves of the fake,
 * -static-libgcc, rebuilt when a source or header changes). The app loads it through LINKWATCH_RASAPI in its
 * core process and is scripted through FAKE_RAS_STATE, as the CLI tests do.
 */
import { join } from 'node:path';
import { BUILD_DIR, FAKE_LIBRARIES, buildFakeDll } from '../support/fake-libraries';
import { fakeRasDllName, fakeRasPath } from '../support/fake-ras';

export function fakeRasLibraryForThisOs(): string {
  if (process.platform !== 'win32') return fakeRasPath();
  // Not "rasapi32.dll": Windows would hand us its own already-loaded one for that name.
  return buildFakeDll('gcc', FAKE_LIBRARIES.rasapi32, join(BUILD_DIR, fakeRasDllName()));
}
