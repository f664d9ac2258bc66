/**
 * Which backend serves this environment and OS, decided without loading anything native: the app's main
 * process knows the backend's name from here while the backend itself runs in the core process. This file
 * imports nothing, so importing it never loads koffi.
 */
export type BackendPick = { kind: 'rasapi32'; library: string } | { kind: 'netlink' } | { kind: 'getifaddrs'; library: string | null } | { kind: 'none' };

/**
 * The one place that picks a backend. `LINKWATCH_RASAPI` names a shared library with the rasapi32 API and
 * wins on any OS: that is how the RAS backend runs off Windows (tests, the curious). `LINKWATCH_LIBSYSTEM`
 * does the same for the macOS backend: a library with libSystem's getifaddrs, sysctl and routing-socket calls
 * (the test fake), loaded on any OS; `library: null` is the system's libSystem.
 */
export function pickBackend(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): BackendPick {
  if (env.LINKWATCH_RASAPI || platform === 'win32') return { kind: 'rasapi32', library: env.LINKWATCH_RASAPI || 'rasapi32.dll' };
  if (env.LINKWATCH_LIBSYSTEM) return { kind: 'getifaddrs', library: env.LINKWATCH_LIBSYSTEM };
  if (platform === 'linux') return { kind: 'netlink' };
  if (platform === 'darwin') return { kind: 'getifaddrs', library: null };
  return { kind: 'none' };
}
