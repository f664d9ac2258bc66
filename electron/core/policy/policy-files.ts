/**
 * Policy files: Linux's JSON and macOS's managed preferences (a property list, XML or binary, as an MDM
 * profile's `com.apple.ManagedClient.preferences` payload leaves it in /Library/Managed Preferences). Parsed
 * by the ecosystem's `plist` library (XML, and Apple's binary `bplist00`, told apart by its magic), then
 * judged key by key by parsePolicy.
 */
import { readFile } from 'node:fs/promises';
import { parse as parsePlist } from 'plist';
import type { Policy } from '../../../shared/policy';
import { parsePolicy } from './policy-parse';

/** A policy file is a few hundred bytes; anything this large is not one, and is not read into memory. */
export const MAX_POLICY_FILE_BYTES = 1024 * 1024;
const BINARY_PLIST_MAGIC = 'bplist';

export type PolicyFormat = 'json' | 'plist';

/** The file's contents as data; throws with a readable message when they are not JSON / a property list. */
export function decodePolicyFile(bytes: Buffer, format: PolicyFormat): unknown {
  if (format === 'json') {
    // A BOM, as Windows editors write, is not JSON's business.
    const text = bytes.toString('utf8').replace(/^\uFEFF/, '');
    return JSON.parse(text) as unknown;
  }
  // Apple's binary form starts with "bplist" (CF's CFBinaryPList.c); `plist` reads bytes as binary only, text
  // as XML.
  if (bytes.subarray(0, BINARY_PLIST_MAGIC.length).toString('latin1') === BINARY_PLIST_MAGIC) {
    return parsePlist(new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)) as unknown;
  }
  return parsePlist(bytes.toString('utf8')) as unknown;
}

/**
 * The policy in `path`: no file is no policy (not a problem); a file that cannot be read or parsed is a
 * policy with one problem and no keys, so the app starts with the user's settings and says why.
 */
export async function readPolicyFile(path: string, format: PolicyFormat): Promise<Policy | null> {
  let bytes: Buffer;
  try {
    bytes = await readFile(path);
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    return unusable(path, `cannot be read: ${(caught as Error).message}`);
  }
  if (bytes.length > MAX_POLICY_FILE_BYTES) return unusable(path, `is ${bytes.length} bytes, more than a policy file can be (${MAX_POLICY_FILE_BYTES})`);
  let value: unknown;
  try {
    value = decodePolicyFile(bytes, format);
  } catch (caught) {
    return unusable(path, `is not ${format === 'json' ? 'valid JSON' : 'a readable property list'} (${(caught as Error).message})`);
  }
  return parsePolicy(value, path);
}

function unusable(path: string, why: string): Policy {
  return { locked: {}, recommended: {}, hideConnectControls: false, source: path, problems: [`${path} ${why}; the policy is ignored`] };
}
