/**
 * Which backend serves this environment and OS, decided without loading anything native: the app's main
 * process knows the backend's name from here while the backend itself runs in the core process. This file
 * imports nothing, so importing it never loads koffi.
 */
export type BackendPick =
  | { kind: 'rasapi32'; library: string }
  /** Windows: RAS connections and VPN adapters in one list (win32/win32-source.ts, WIN32_BACKEND). */
  | { kind: 'rasapi32+iphlpapi'; library: string; iphlpapi: string }
  | { kind: 'iphlpapi'; iphlpapi: string }
  | { kind: 'netlink' }
  /** macOS: `library` null is the system's libSystem; `scutil` null means no system configuration (names by interface). */
  | { kind: 'getifaddrs'; library: string | null; scutil: string | null }
  | { kind: 'none' };

/**
 * The one place that picks a backend. `LINKWATCH_RASAPI` names a shared library with the rasapi32 API and
 * `LINKWATCH_IPHLPAPI` one with the iphlpapi API; either wins on any OS: that is how the Windows backends run
 * off Windows (tests, the curious). On Windows the backend is RAS + adapters; `LINKWATCH_RASAPI` alone there
 * reads RAS alone (the RAS tests under Wine), `LINKWATCH_IPHLPAPI` alone the adapters alone. `LINKWATCH_LIBSYSTEM`
 * does the same for the macOS backend: a library with libSystem's getifaddrs, sysctl and routing-socket calls
 * (the test fake), loaded on any OS; `library: null` is the system's libSystem. `LINKWATCH_SCUTIL` names the
 * program read for macOS's network services instead of /usr/sbin/scutil (the fake scutil in the tests).
 */
export function pickBackend(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): BackendPick {
  const ras = env.LINKWATCH_RASAPI;
  const iphlpapi = env.LINKWATCH_IPHLPAPI;
  if (ras && iphlpapi) return { kind: 'rasapi32+iphlpapi', library: ras, iphlpapi };
  if (ras) return { kind: 'rasapi32', library: ras };
  if (iphlpapi) return { kind: 'iphlpapi', iphlpapi };
  if (platform === 'win32') return { kind: 'rasapi32+iphlpapi', library: 'rasapi32.dll', iphlpapi: 'iphlpapi.dll' };
  // A fake libSystem's interfaces joined with the real Mac's services would be nonsense: scutil only when named.
  if (env.LINKWATCH_LIBSYSTEM) return { kind: 'getifaddrs', library: env.LINKWATCH_LIBSYSTEM, scutil: env.LINKWATCH_SCUTIL || null };
  if (platform === 'linux') return { kind: 'netlink' };
  if (platform === 'darwin') return { kind: 'getifaddrs', library: null, scutil: env.LINKWATCH_SCUTIL || '/usr/sbin/scutil' };
  return { kind: 'none' };
}
