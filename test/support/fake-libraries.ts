/**
 * Every fake native library the tests build, as ONE list: its C sources (compiled together into one library),
 * the headers it is rebuilt for, and the flags of each build. The Linux tiers (cc: fake-ras.ts,
 * fake-iphlpapi.ts), the Wine tier (mingw-w64 cross-compiler: windows-node.ts) and the real-Electron tier on a
 * Windows runner (its own MinGW-w64 gcc: test/electron/fake-library.ts) all build from here, so a source or
 * header added to a fake reaches every tier at once (issue 20: the Electron tier had been building
 * fake-rasapi32.c without its dial half, without -static-libgcc, and without noticing header changes).
 */
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { dirname, resolve } from 'node:path';
import { compileC } from './compile-c';

export const FIXTURES_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../fixtures');
export const BUILD_DIR = join(FIXTURES_DIR, 'build');

export interface FakeLibrary {
  /** The sources compiled together into the one library. */
  readonly sources: readonly string[];
  /** What else it is rebuilt for when it changes. */
  readonly headers: readonly string[];
  /** Extra flags of the Linux/macOS shared object. */
  readonly posixFlags: readonly string[];
  /** The DLL's base name (never the real library's: Windows and Wine would hand back their own). */
  readonly dllBase: string;
}

const fixtures = (...files: string[]) => files.map((file) => join(FIXTURES_DIR, file));

export const FAKE_LIBRARIES = {
  rasapi32: {
    sources: fixtures('fake-rasapi32.c', 'fake-rasapi32-dial.c'),
    headers: fixtures('fake-rasapi32.h', 'fake-rasapi32-dial.h', 'utf8-to-utf16.h'),
    // -z nodelete (GNU ld): the library's watching thread outlives a dlclose (koffi's unload).
    posixFlags: ['-pthread', ...(process.platform === 'linux' ? ['-Wl,-z,nodelete'] : [])],
    dllBase: 'fake-rasapi32-lw',
  },
  iphlpapi: {
    sources: fixtures('fake-iphlpapi.c'),
    headers: fixtures('fake-iphlpapi.h', 'utf8-to-utf16.h'),
    posixFlags: ['-pthread'],
    dllBase: 'fake-iphlpapi-lw',
  },
} as const satisfies Record<string, FakeLibrary>;

/** Sources and headers: what a build is stale against. */
export function fakeLibraryInputs(library: FakeLibrary): string[] {
  return [...library.sources, ...library.headers];
}

/** The flags of every POSIX build (cc), before the library's own. */
export const POSIX_FLAGS: readonly string[] = ['-std=c11', '-D_GNU_SOURCE', '-O2', '-Wall', '-Wextra', '-fPIC', '-shared', '-fvisibility=hidden'];

/**
 * The flags of every Windows DLL build (mingw-w64 gcc, cross or native). Static libgcc: the DLL needs only
 * what Windows (and Wine) has, kernel32 and msvcrt; a DLL cannot link with a function missing, so every
 * source of the library is always in the same command.
 */
export const WINDOWS_DLL_FLAGS: readonly string[] = ['-std=c11', '-O2', '-Wall', '-Wextra', '-shared', '-static-libgcc'];

/** Build `library` as a Windows DLL with `compiler` into `output` (rebuilt when a source or header is newer). */
export function buildFakeDll(compiler: string, library: FakeLibrary, output: string, extraFlags: readonly string[] = []): string {
  return compileC(compiler, output, library.sources, [...WINDOWS_DLL_FLAGS, ...extraFlags], fakeLibraryInputs(library));
}

/** Build `library` as a shared object with `cc` into `output`. */
export function buildFakeSharedObject(library: FakeLibrary, output: string, extraFlags: readonly string[] = []): string {
  return compileC('cc', output, library.sources, [...POSIX_FLAGS, ...library.posixFlags, ...extraFlags], fakeLibraryInputs(library));
}
