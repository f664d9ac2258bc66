/**
 * The machine's policy, from where each platform keeps it (README "For administrators"), read at start and
 * again whenever it changes. Runs in the core process (Windows reads the registry natively) and in the CLI.
 */
import { existsSync, watch, type FSWatcher } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { APP_BUNDLE_ID } from '../../../shared/app-id';
import { NO_POLICY, type Policy } from '../../../shared/policy';
import { toErrorInfo } from '../backend-error';
import { readPolicyFile } from './policy-files';
import { parsePolicy } from './policy-parse';
import { POLICY_KEY_DISPLAY, readRegistryPolicy, watchRegistryPolicy } from './windows-registry';

export const LINUX_POLICY_FILE = '/etc/linkwatch/policy.json';
/** Where macOS puts an MDM profile's forced preferences for a bundle id (machine-wide, for every user). */
export const MACOS_POLICY_FILE = join('/Library/Managed Preferences', `${APP_BUNDLE_ID}.plist`);

/** The policy file watched on this platform; null on Windows (the registry). */
export function policyFile(platform: string): { path: string; format: 'json' | 'plist' } | null {
  if (platform === 'linux') return { path: LINUX_POLICY_FILE, format: 'json' };
  if (platform === 'darwin') return { path: MACOS_POLICY_FILE, format: 'plist' };
  return null;
}

/** The policy in force; NO_POLICY where there is none. Never throws: a failure is one of its problems. */
export async function readMachinePolicy(platform: string = process.platform): Promise<Policy> {
  try {
    if (platform === 'win32') {
      const problems: string[] = [];
      const record = readRegistryPolicy(problems);
      if (record === null) return { ...NO_POLICY, problems };
      const policy = parsePolicy(record, POLICY_KEY_DISPLAY);
      return { ...policy, problems: [...problems, ...policy.problems] };
    }
    const file = policyFile(platform);
    if (!file) return NO_POLICY;
    return (await readPolicyFile(file.path, file.format)) ?? NO_POLICY;
  } catch (caught) {
    const error = toErrorInfo(caught);
    return { ...NO_POLICY, problems: [`the policy cannot be read (${error.message}); it is ignored`] };
  }
}

/** Changes arrive in bursts (an editor's temp file and rename, an MDM rewriting the plist): one read after. */
const SETTLE_MS = 250;

/**
 * Call `onChange` after the policy changes: the file (created, edited, replaced, removed), or on Windows the
 * registry under HKLM\SOFTWARE\Policies. Where no watch can be set up, the policy read at start stays.
 */
export function watchMachinePolicy(platform: string, onChange: () => void): () => void {
  if (platform === 'win32') {
    try {
      return watchRegistryPolicy(onChange);
    } catch {
      return () => {};
    }
  }
  const file = policyFile(platform);
  return file ? watchPolicyFile(file.path, onChange) : () => {};
}

/**
 * Call `onChange` after the file at `path` changes. Watches the nearest folder that exists on the way to it,
 * so a policy folder created later is noticed too; the platform's file notifications (inotify, FSEvents)
 * cost nothing while nothing changes. Returns the function that stops it.
 */
export function watchPolicyFile(path: string, onChange: () => void): () => void {
  let watcher: FSWatcher | null = null;
  let settle: NodeJS.Timeout | null = null;
  let stopped = false;
  const arm = () => {
    watcher?.close();
    watcher = null;
    if (stopped) return;
    // The file's folder, else the first ancestor that exists, with the name of the child on the way.
    let target = dirname(path);
    let child = basename(path);
    while (!existsSync(target) && dirname(target) !== target) {
      child = basename(target);
      target = dirname(target);
    }
    const watchesFolderOfFile = target === dirname(path);
    try {
      watcher = watch(target, { persistent: false }, (_event, name) => {
        // In an ancestor, only the child on the way matters; in the file's own folder, any change may be it
        // (an editor's rename into place names the temp file on some systems).
        if (!watchesFolderOfFile && name !== null && name !== child) return;
        if (settle) clearTimeout(settle);
        settle = setTimeout(() => {
          settle = null;
          arm(); // the folder on the way may now exist (or be gone)
          onChange();
        }, SETTLE_MS);
      });
      watcher.on('error', () => {
        // The watched folder went away: watch again from what exists now.
        if (!stopped) setTimeout(arm, SETTLE_MS).unref();
      });
    } catch {
      watcher = null; // no watch possible (permissions): the policy read at start stays in force
    }
  };
  arm();
  return () => {
    stopped = true;
    if (settle) clearTimeout(settle);
    watcher?.close();
    watcher = null;
  };
}
