/**
 * The backend the Electron tier runs, picked by the OS it runs on (issue 24): the macOS backend itself on a Mac
 * (over the fake libSystem and the fake scutil, so that a tunnel has a VPN's name and changes come as kernel
 * events), and the RAS fake elsewhere, as before. One shape for both: the environment to start the app with,
 * and a way to say which connections are up (by name), optionally with the backend hung in its native call.
 */
import { join } from 'node:path';
import { writeFakeRasState } from '../support/fake-ras';
import { fakeLibSystemPath, writeFakeLibSystemState } from '../support/fake-libsystem';
import { fakeScutilPath, writeFakeScutilState } from '../support/fake-scutil';
import { fakeRasLibraryForThisOs } from './fake-library';

export interface BackendFixture {
  env: Record<string, string>;
  /** These connections are up now; `delayMs`: the next read hangs that long in the native call. */
  write(connections: readonly { name: string }[], options?: { delayMs?: number }): void;
}

export function backendFixture(dir: string, platform: string = process.platform): BackendFixture {
  if (platform === 'darwin') {
    const libSystemState = join(dir, 'libsystem-state');
    const scutilState = join(dir, 'scutil-state.json');
    const write: BackendFixture['write'] = (connections, options = {}) => {
      // Each connection: a Network Extension VPN service on its own utun (as the WireGuard app's are).
      const utun = (i: number) => `utun${10 + i}`;
      writeFakeScutilState(scutilState, {
        services: connections.map((c, i) => ({
          id: `00000000-0000-4000-8000-${String(i + 1).padStart(12, '0')}`,
          name: c.name,
          display: 'VPN (com.example.vpn)',
          type: 'VPN',
          subtype: 'com.example.vpn',
          status: 'Connected' as const,
          interface: utun(i),
          setup: false,
        })),
      });
      writeFakeLibSystemState(
        libSystemState,
        connections.map((_, i) => ({ name: utun(i), index: 40 + i, addresses: [{ address: `10.99.${i}.2`, prefix: 32, peer: `10.99.${i}.1` }] })),
        options.delayMs,
      );
    };
    return {
      env: { LINKWATCH_LIBSYSTEM: fakeLibSystemPath(), FAKE_LIBSYSTEM_STATE: libSystemState, LINKWATCH_SCUTIL: fakeScutilPath(), FAKE_SCUTIL_STATE: scutilState },
      write,
    };
  }
  const stateFile = join(dir, 'ras-state');
  return {
    env: { LINKWATCH_RASAPI: fakeRasLibraryForThisOs(), FAKE_RAS_STATE: stateFile },
    write: (connections, options) => writeFakeRasState(stateFile, connections.map((c, i) => ({ handle: 0x10 * (i + 1), name: c.name })), options),
  };
}
