/**
 * Settings on disk: one small JSON file in the app's userData folder, read once at start and rewritten
 * atomically (temp file + fsync + rename, by write-file-atomic) on every change, so a crash or power cut mid-
 * write leaves the old file or the new one, never half of each. A file that cannot be read is set aside and
 * the defaults are used: a broken settings file must not stop the tray from starting.
 *
 * The administrator's policy (shared/policy.ts) sits around the user's choices: what it locks wins, what it
 * recommends stands until the user chooses otherwise. The file keeps only the user's own choices, so a preset
 * the administrator changes later still reaches a user who never touched that setting.
 */
import { readFile, rename } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../shared/ipc';
import { NO_POLICY, type Policy, type PolicySettingKey } from '../../shared/policy';

export const SETTINGS_FILE_NAME = 'settings.json';

export interface LoadResult {
  settings: Settings;
  /** The keys the file holds (the user's own choices), each valid. */
  values: Partial<Settings>;
  /** Why the file was not used, when it was not (missing file is not a problem and gives null). */
  problem: string | null;
}

/** Each known field the file holds, when valid: one bad field does not lose the rest. */
export function userSettingsFromJson(value: unknown): { values: Partial<Settings>; invalid: string[] } {
  const values: Partial<Record<keyof Settings, unknown>> = {};
  const invalid: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { values: {}, invalid: ['(not an object)'] };
  }
  const record = value as Record<string, unknown>;
  // Every field the schema knows, the optional ones (absent from the defaults) included.
  for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
    if (!Object.hasOwn(record, key)) continue; // own fields only: nothing inherited counts as a setting
    const parsed = settingsSchema.shape[key].safeParse(record[key]);
    // One key at a time: TypeScript cannot pair the key's schema with the key's field itself.
    if (parsed.success) values[key] = parsed.data;
    else invalid.push(key);
  }
  return { values: values as Partial<Settings>, invalid };
}

/** Each known field taken from the file when valid, else its default. */
export function settingsFromJson(value: unknown): { settings: Settings; invalid: string[] } {
  const { values, invalid } = userSettingsFromJson(value);
  return { settings: { ...DEFAULT_SETTINGS, ...values }, invalid };
}

/** What the app runs with: the defaults, then the administrator's presets, the user's choices, the locks. */
export function effectiveSettings(values: Partial<Settings>, policy: Policy): Settings {
  return { ...DEFAULT_SETTINGS, ...policy.recommended, ...values, ...policy.locked };
}

/** A change to a setting the policy locks: refused, with the words the menu and popup use. */
export class LockedSettingError extends Error {
  readonly code = 'ELOCKED';
  constructor(readonly keys: PolicySettingKey[]) {
    super(`${keys.join(', ')}: set by your organisation`);
  }
}

export async function loadSettings(filePath: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { settings: { ...DEFAULT_SETTINGS }, values: {}, problem: null };
    return { settings: { ...DEFAULT_SETTINGS }, values: {}, problem: `cannot read ${filePath}: ${(caught as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (caught) {
    await setAside(filePath);
    return { settings: { ...DEFAULT_SETTINGS }, values: {}, problem: `${filePath} is not valid JSON (${(caught as Error).message}); defaults used` };
  }
  const { values, invalid } = userSettingsFromJson(json);
  return { settings: { ...DEFAULT_SETTINGS, ...values }, values, problem: invalid.length > 0 ? `${filePath}: invalid ${invalid.join(', ')}; defaults used for those` : null };
}

/** Keep the unreadable file for a bug report instead of overwriting it silently. */
async function setAside(filePath: string): Promise<void> {
  try {
    await rename(filePath, `${filePath}.corrupt`);
  } catch {
    // Nothing more to do: the next save replaces it anyway.
  }
}

export async function saveSettings(filePath: string, settings: Partial<Settings>): Promise<void> {
  await writeFileAtomic(filePath, `${JSON.stringify(settings, null, 2)}\n`, { encoding: 'utf8', fsync: true });
}

export type SettingsListener = (settings: Settings, previous: Settings) => void;
export type PolicyListener = (policy: Policy) => void;

/** The settings in memory, one writer to the file; listeners hear of a change at once, the write follows. */
export class SettingsStore {
  /** The user's own choices: what the file holds. */
  private values: Partial<Settings>;
  private policy: Policy = NO_POLICY;
  private current: Settings;
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<SettingsListener>();
  private readonly policyListeners = new Set<PolicyListener>();

  private constructor(
    readonly filePath: string,
    values: Partial<Settings>,
  ) {
    this.values = values;
    this.current = effectiveSettings(values, this.policy);
  }

  /** Load (never throws); `problem` says what was wrong with the file, for the log. */
  static async open(filePath: string): Promise<{ store: SettingsStore; problem: string | null }> {
    const { values, problem } = await loadSettings(filePath);
    return { store: new SettingsStore(filePath, values), problem };
  }

  get(): Settings {
    return { ...this.current };
  }

  getPolicy(): Policy {
    return this.policy;
  }

  /** Whether the administrator's policy locks `key`. */
  isLocked(key: PolicySettingKey): boolean {
    return Object.hasOwn(this.policy.locked, key);
  }

  /**
   * The administrator's policy changed (or was read at start): the settings follow at once. Listeners of
   * settings hear of what changed; the file is not touched (a policy is not the user's choice).
   */
  setPolicy(policy: Policy): void {
    const previous = this.current;
    this.policy = policy;
    this.current = effectiveSettings(this.values, policy);
    for (const listener of [...this.policyListeners]) listener(policy);
    if (!sameSettings(previous, this.current)) {
      for (const listener of [...this.listeners]) listener(this.get(), previous);
    }
  }

  onPolicyChange(listener: PolicyListener): () => void {
    this.policyListeners.add(listener);
    return () => this.policyListeners.delete(listener);
  }

  /**
   * Apply a change and persist it. Writes are queued so the file always ends with the latest settings, even
   * when two toggles race. Rejects when the file cannot be written; memory keeps the change meanwhile.
   * Rejects with LockedSettingError, changing nothing, when the patch touches a setting the policy locks.
   */
  async update(patch: Partial<Settings>): Promise<Settings> {
    const changes = definedOnly(patch);
    const locked = (Object.keys(changes) as PolicySettingKey[]).filter((key) => this.isLocked(key));
    if (locked.length > 0) throw new LockedSettingError(locked);
    const previous = this.current;
    this.values = { ...this.values, ...changes };
    const values = this.values;
    this.current = effectiveSettings(values, this.policy);
    const write = this.writes.then(() => saveSettings(this.filePath, values));
    this.writes = write.catch(() => {});
    if (!sameSettings(previous, this.current)) {
      for (const listener of [...this.listeners]) listener(this.get(), previous);
    }
    await write;
    return this.get();
  }

  onChange(listener: SettingsListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

function definedOnly(patch: Partial<Settings>): Partial<Settings> {
  return Object.fromEntries(Object.entries(patch).filter(([, value]) => value !== undefined)) as Partial<Settings>;
}

function sameSettings(a: Settings, b: Settings): boolean {
  return (Object.keys(a) as (keyof Settings)[]).every((key) => a[key] === b[key]);
}
