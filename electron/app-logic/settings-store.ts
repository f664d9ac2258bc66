/**
 * Settings on disk: one small JSON file in the app's userData folder, read once at start and rewritten
 * atomically (temp file + fsync + rename, by write-file-atomic) on every change, so a crash or power cut mid-
 * write leaves the old file or the new one, never half of each. A file that cannot be read is set aside and
 * the defaults are used: a broken settings file must not stop the tray from starting.
 */
import { readFile, rename } from 'node:fs/promises';
import writeFileAtomic from 'write-file-atomic';
import { DEFAULT_SETTINGS, settingsSchema, type Settings } from '../../shared/ipc';

export const SETTINGS_FILE_NAME = 'settings.json';

export interface LoadResult {
  settings: Settings;
  /** Why the file was not used, when it was not (missing file is not a problem and gives null). */
  problem: string | null;
}

/** Each known field taken from the file when valid, else its default: one bad field does not lose the rest. */
export function settingsFromJson(value: unknown): { settings: Settings; invalid: string[] } {
  const settings: Settings = { ...DEFAULT_SETTINGS };
  const invalid: string[] = [];
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { settings, invalid: ['(not an object)'] };
  }
  const record = value as Record<string, unknown>;
  // Every field the schema knows, the optional ones (absent from the defaults) included.
  for (const key of Object.keys(settingsSchema.shape) as (keyof Settings)[]) {
    if (!Object.hasOwn(record, key)) continue; // own fields only: nothing inherited counts as a setting
    const parsed = settingsSchema.shape[key].safeParse(record[key]);
    // One key at a time: TypeScript cannot pair the key's schema with the key's field itself.
    if (parsed.success) (settings as Record<keyof Settings, unknown>)[key] = parsed.data;
    else invalid.push(key);
  }
  return { settings, invalid };
}

export async function loadSettings(filePath: string): Promise<LoadResult> {
  let text: string;
  try {
    text = await readFile(filePath, 'utf8');
  } catch (caught) {
    const code = (caught as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { settings: { ...DEFAULT_SETTINGS }, problem: null };
    return { settings: { ...DEFAULT_SETTINGS }, problem: `cannot read ${filePath}: ${(caught as Error).message}` };
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (caught) {
    await setAside(filePath);
    return { settings: { ...DEFAULT_SETTINGS }, problem: `${filePath} is not valid JSON (${(caught as Error).message}); defaults used` };
  }
  const { settings, invalid } = settingsFromJson(json);
  return { settings, problem: invalid.length > 0 ? `${filePath}: invalid ${invalid.join(', ')}; defaults used for those` : null };
}

/** Keep the unreadable file for a bug report instead of overwriting it silently. */
async function setAside(filePath: string): Promise<void> {
  try {
    await rename(filePath, `${filePath}.corrupt`);
  } catch {
    // Nothing more to do: the next save replaces it anyway.
  }
}

export async function saveSettings(filePath: string, settings: Settings): Promise<void> {
  await writeFileAtomic(filePath, `${JSON.stringify(settings, null, 2)}\n`, { encoding: 'utf8', fsync: true });
}

export type SettingsListener = (settings: Settings, previous: Settings) => void;

/** The settings in memory, one writer to the file; listeners hear of a change at once, the write follows. */
export class SettingsStore {
  private current: Settings;
  private writes: Promise<void> = Promise.resolve();
  private readonly listeners = new Set<SettingsListener>();

  private constructor(
    readonly filePath: string,
    initial: Settings,
  ) {
    this.current = initial;
  }

  /** Load (never throws); `problem` says what was wrong with the file, for the log. */
  static async open(filePath: string): Promise<{ store: SettingsStore; problem: string | null }> {
    const { settings, problem } = await loadSettings(filePath);
    return { store: new SettingsStore(filePath, settings), problem };
  }

  get(): Settings {
    return { ...this.current };
  }

  /**
   * Apply a change and persist it. Writes are queued so the file always ends with the latest settings, even
   * when two toggles race. Rejects when the file cannot be written; memory keeps the change meanwhile.
   */
  async update(patch: Partial<Settings>): Promise<Settings> {
    const previous = this.current;
    const next = { ...previous, ...definedOnly(patch) };
    this.current = next;
    const write = this.writes.then(() => saveSettings(this.filePath, next));
    this.writes = write.catch(() => {});
    if (!sameSettings(previous, next)) {
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
