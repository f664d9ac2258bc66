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

/**
 * The one place that picks a backend. `LINKWATCH_RASAPI` names a shared library with the rasapi32 API and
 * wins on any OS: that is how the RAS backend runs off Windows (tests, the curious).
 */
export function createSource(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): ConnectionSource {
  void env;
  void platform;
  if (env.LINKWATCH_RASAPI || platform === 'win32') return createRasSource(env.LINKWATCH_RASAPI || 'rasapi32.dll');
  if (platform === 'linux') return createLinuxSource();
  if (platform === 'darwin') return createDarwinSource();
  return createNoneSource();
}
