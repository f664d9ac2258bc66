import { readMachinePolicy, watchMachinePolicy } from '../policy/machine-policy';
import { pickBackend } from './pick';
import type { ConnectionSource } from './source';
import { createDarwinSource } from './darwin/darwin-source';
import { createLinuxSource } from './linux/linux-source';
import { createAdapterSource } from './win32/adapter-source';
import { createRasSource } from './win32/ras-source';
import { WIN32_BACKEND, createWin32Source } from './win32/win32-source';


export { pickBackend, type BackendPick } from './pick';

/** The backend for a machine where Linkwatch has none: an empty list, never an error. */
export function createNoneSource(): ConnectionSource {
  return {
    backend: 'none',
    read: async () => [],
    close: () => {},
  };
}

/**
 * The source `pickBackend` names, in this thread, with the machine's policy (whatever the backend: the
 * policy belongs to the machine, not to the library that lists connections).
 */
export function createSource(env: NodeJS.ProcessEnv = process.env, platform: string = process.platform): ConnectionSource {
  const source = createBackendSource(env, platform);
  source.policy = () => readMachinePolicy(platform);
  source.watchPolicy = (onChange) => watchMachinePolicy(platform, onChange);
  return source;
}

function createBackendSource(env: NodeJS.ProcessEnv, platform: string): ConnectionSource {
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
      return createDarwinSource(pick.library ?? undefined, pick.scutil);
    case 'none':
      return createNoneSource();
  }
}
