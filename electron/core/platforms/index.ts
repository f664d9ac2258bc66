import type { ConnectionSource } from './source';
import { createDarwinSource } from './darwin/darwin-source';
import { createLinuxSource } from './linux/linux-source';
import { createRasSource } from './win32/ras-source';

/** The backend for a machine where Linkwatch has none: an empty list, never an error. */
export function createNoneSource(): ConnectionSource {
  return {
    backend: 'none',
    read: async () => [],
    close: () => {},
  };
}

/** Which backend serves this environment and OS, decided without loading anything native. */
export type BackendPick = { kind: 'rasapi32'; library: string } | { kind: 'netlink' } | { kind: 'getifaddrs'; library: string | null } | { kind: 'none' };

/**
 * The one place that picks a backend. `LINKWATCH_RASAPI` names a shared library with the rasapi32 API and
 * wins on any OS: that is how the RAS backend runs off Windows (tests, the curious). Pure, so that the main
 * thread knows the backend (its name, whether it has push or hang-up) of a source that runs in a worker.
 * `LINKWATCH_LIBSYSTEM` does the same for the macOS backend: a library with libSystem's getifaddrs, sysctl
 * and routing-socket calls (the test fake), loaded on any OS; `library: null` is the system's libSystem.
 */
export function pickBackend(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): BackendPick {
  if (env.LINKWATCH_RASAPI || platform === 'win32') return { kind: 'rasapi32', library: env.LINKWATCH_RASAPI || 'rasapi32.dll' };
  if (env.LINKWATCH_LIBSYSTEM) return { kind: 'getifaddrs', library: env.LINKWATCH_LIBSYSTEM };
  if (platform === 'linux') return { kind: 'netlink' };
  if (platform === 'darwin') return { kind: 'getifaddrs', library: null };
  return { kind: 'none' };
}

/** The source `pickBackend` names, in this thread. */
export function createSource(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): ConnectionSource {
  const pick = pickBackend(env, platform);
  switch (pick.kind) {
    case 'rasapi32':
      return createRasSource(pick.library);
    case 'netlink':
      return createLinuxSource();
    case 'getifaddrs':
      return createDarwinSource(pick.library ?? undefined);
    case 'none':
      return createNoneSource();
  }
}
