/**
 * The administrator's policy from whatever the platform stores it as (JSON, a property list, registry
 * values), checked key by key: one wrong key is reported and ignored, the rest still apply, and nothing an
 * administrator (or a broken MDM profile) writes can stop the app from starting.
 *
 * One vocabulary on every platform (README "For administrators"): each setting's own name at the top level
 * locks it; the same names inside `recommended` (a JSON object, a plist dictionary, the registry subkey
 * `Recommended`) preset it; `hideConnectControls` hides Connect/Disconnect. Names are matched without regard
 * to case, as Windows matches registry value names; a boolean may also be written as 0 or 1, which is how
 * a REG_DWORD carries one.
 */
import type { Settings } from '../../../shared/ipc';
import { settingsSchema } from '../../../shared/ipc';
import type { Policy, PolicySettingKey } from '../../../shared/policy';

const HIDE_CONNECT_CONTROLS = 'hideConnectControls';
const RECOMMENDED = 'recommended';

/** How each setting's value is described in a problem: what the administrator should have written. */
const EXPECTED: Record<PolicySettingKey, string> = {
  notifications: 'true or false (or 1/0)',
  startAtLogin: 'true or false (or 1/0)',
  historyDays: 'a whole number of days from 1 to 3650',
  exportDirectory: 'an absolute folder path, or empty for off',
  // Routing warnings (issue 25): absent means on.
  warnIpv6Bypass: 'true or false (or 1/0)',
  warnDnsOutsideTunnel: 'true or false (or 1/0)',
  // Keep connected (issue 26): the saved entries redialled after a drop (registry: REG_MULTI_SZ).
  keepConnected: 'a list of saved connection names',
};

/** The keys a policy can set: EXPECTED names every one (the compiler checks it against PolicySettingKey). */
const SETTING_KEYS = Object.keys(EXPECTED) as PolicySettingKey[];
const BOOLEAN_KEYS: readonly PolicySettingKey[] = ['notifications', 'startAtLogin', 'warnIpv6Bypass', 'warnDnsOutsideTunnel'];

function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date) && !(value instanceof Uint8Array);
}

/** A value as the setting's schema takes it: 0/1 for booleans (REG_DWORD), "" for "no folder". */
function coerce(key: PolicySettingKey, value: unknown): unknown {
  const boolean = BOOLEAN_KEYS.includes(key);
  if (boolean && (value === 0 || value === 1)) return value === 1;
  if (key === 'exportDirectory' && (value === '' || value === null)) return null;
  // A registry QWORD or a big plist integer arrives as a bigint: a number when it is one exactly.
  if (typeof value === 'bigint' && value >= BigInt(Number.MIN_SAFE_INTEGER) && value <= BigInt(Number.MAX_SAFE_INTEGER)) return Number(value);
  return value;
}

function describeValue(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 80 ? `${value.slice(0, 80)}…` : value);
  if (typeof value === 'bigint') return `${value}`;
  if (value instanceof Uint8Array) return `${value.length} bytes of binary data`;
  if (value instanceof Date) return 'a date';
  if (Array.isArray(value)) return 'a list';
  if (isRecord(value)) return 'a set of keys';
  return String(value);
}

/** The canonical key for a name written in any case, or null when it is none of ours. */
function canonical(name: string, keys: readonly string[]): string | null {
  const lower = name.toLowerCase();
  return keys.find((key) => key.toLowerCase() === lower) ?? null;
}

function readSettings(record: Record<string, unknown>, where: string, problems: string[], skip: readonly string[]): Partial<Settings> {
  const settings: Partial<Record<PolicySettingKey, unknown>> = {};
  const seen = new Map<PolicySettingKey, string>();
  for (const name of Object.keys(record)) {
    if (skip.some((key) => key.toLowerCase() === name.toLowerCase())) continue;
    const key = canonical(name, SETTING_KEYS) as PolicySettingKey | null;
    if (!key) {
      problems.push(`${where}"${name}" is not a Linkwatch setting and is ignored`);
      continue;
    }
    const earlier = seen.get(key);
    if (earlier !== undefined) {
      problems.push(`${where}"${name}" repeats "${earlier}" (names are matched without regard to case) and is ignored`);
      continue;
    }
    seen.set(key, name);
    const parsed = settingsSchema.shape[key].safeParse(coerce(key, record[name]));
    if (parsed.success) settings[key] = parsed.data;
    else problems.push(`${where}"${name}" must be ${EXPECTED[key]}, not ${describeValue(record[name])}; ignored`);
  }
  return settings as Partial<Settings>;
}

/**
 * The policy in `value` (the parsed file or the registry's values), read from `source`. Never throws: what
 * cannot be used is in `problems`, and what can be used applies.
 */
export function parsePolicy(value: unknown, source: string): Policy {
  const problems: string[] = [];
  if (!isRecord(value)) {
    return { locked: {}, recommended: {}, hideConnectControls: false, source, problems: [`the policy is ${describeValue(value)}, not a set of keys, and is ignored`] };
  }
  let hideConnectControls = false;
  const hideName = Object.keys(value).find((name) => name.toLowerCase() === HIDE_CONNECT_CONTROLS.toLowerCase());
  if (hideName !== undefined) {
    const raw = value[hideName];
    if (typeof raw === 'boolean' || raw === 0 || raw === 1) hideConnectControls = raw === true || raw === 1;
    else problems.push(`"${hideName}" must be true or false (or 1/0), not ${describeValue(raw)}; ignored`);
  }
  let recommended: Partial<Settings> = {};
  const recommendedName = Object.keys(value).find((name) => name.toLowerCase() === RECOMMENDED);
  if (recommendedName !== undefined) {
    const raw = value[recommendedName];
    if (isRecord(raw)) recommended = readSettings(raw, `${recommendedName}: `, problems, []);
    else problems.push(`"${recommendedName}" must be a set of settings, not ${describeValue(raw)}; ignored`);
  }
  const locked = readSettings(value, '', problems, [HIDE_CONNECT_CONTROLS, RECOMMENDED]);
  return { locked, recommended, hideConnectControls, source, problems };
}
