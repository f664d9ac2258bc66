import type { ConnectionSource } from './source';
import { createDarwinSource } from './darwin/darwin-source';
import { createLinuxSource } from './linux/linux-source';
import { createAdapterSource } from './win32/adapter-source';
import { createRasSource } from './win32/ras-source';
import { WIN32_BACKEND, createWin32Source } from './win32/win32-source';

/** The backend for a machine where Linkwatch has none: an empty list, never an error. */
export function createNoneSource(): ConnectionSource {
  return {
    backend: 'none',
    read: async () => [],
    close: () => {},
  };
}

/** Which backend serves this environment and OS, decided without loading anything native. */
export type BackendPick =
  | { kind: 'rasapi32'; library: string }
  | { kind: typeof WIN32_BACKEND; library: string; iphlpapi: string }
  | { kind: 'iphlpapi'; iphlpapi: string }
  | { kind: 'netlink' }
  | { kind: 'getifaddrs'; library: string | null }
  | { kind: 'none' };

/**
 * The one place that picks a backend. `LINKWATCH_RASAPI` names a shared library with the rasapi32 API and
 * `LINKWATCH_IPHLPAPI` one with the iphlpapi API; either wins on any OS: that is how the Windows backends run
 * off Windows (tests, the curious). On Windows the backend is RAS + adapters; `LINKWATCH_RASAPI` alone there
 * reads RAS alone (the RAS tests under Wine), `LINKWATCH_IPHLPAPI` alone the adapters alone. Pure, so that the
 * main thread knows the backend (its name, whether it has push or hang-up) of a source that runs in a worker.
 * `LINKWATCH_LIBSYSTEM` does the same for the macOS backend: a library with libSystem's getifaddrs, sysctl
 * and routing-socket calls (the test fake), loaded on any OS; `library: null` is the system's libSystem.
 */
export function pickBackend(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): BackendPick {
  const ras = env.LINKWATCH_RASAPI;
  const iphlpapi = env.LINKWATCH_IPHLPAPI;
  if (ras && iphlpapi) return { kind: WIN32_BACKEND, library: ras, iphlpapi };
  if (ras) return { kind: 'rasapi32', library: ras };
  if (iphlpapi) return { kind: 'iphlpapi', iphlpapi };
  if (platform === 'win32') return { kind: WIN32_BACKEND, library: 'rasapi32.dll', iphlpapi: 'iphlpapi.dll' };
  if (env.LINKWATCH_LIBSYSTEM) return { kind: 'getifaddrs', library: env.LINKWATCH_LIBSYSTEM };
  if (platform === 'linux') return { kind: 'netlink' };
  if (platform === 'darwin') return { kind: 'getifaddrs', library: null };
  return { kind: 'none' };
}

/**
 * What the source `pick` names can do, known without building it (the threaded source offers exactly this):
 * push notifications (every backend but none; RAS's may fail to start, as under Wine, and the monitor then
 * polls), hang-up and reads while connecting (RAS connections: RAS notifies no RASCS_* progress).
 */
export function pickCapabilities(pick: BackendPick): { watch: boolean; hangUp: boolean; pollWhileConnecting: boolean } {
  const ras = pick.kind === 'rasapi32' || pick.kind === WIN32_BACKEND;
  return {
    watch: pick.kind !== 'none',
    hangUp: ras,
    pollWhileConnecting: ras,
  };
}

/** The source `pickBackend` names, in this thread. */
export function createSource(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): ConnectionSource {
  const pick = pickBackend(env, platform);
  switch (pick.kind) {
    case 'rasapi32':
      return createRasSource(pick.library);
    case WIN32_BACKEND:
      return createWin32Source({ rasLibrary: pick.library, iphlpapiLibrary: pick.iphlpapi });
    case 'iphlpapi':
      return createAdapterSource(pick.iphlpapi);
    case 'netlink':
      return createLinuxSource();
    case 'getifaddrs':
      return createDarwinSource(pick.library ?? undefined);
    case 'none':
      return createNoneSource();
  }
}
