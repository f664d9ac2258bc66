import assert from 'node:assert/strict';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { DEFAULT_SETTINGS } from '../../../shared/ipc';
import { LockedSettingError, SETTINGS_FILE_NAME, SettingsStore, loadSettings, settingsFromJson } from '../../../electron/app-logic/settings-store';
import { NO_POLICY, type Policy } from '../../../shared/policy';

let dir: string;
let n = 0;
/** A fresh userData folder per test. */
async function userData(): Promise<string> {
  n += 1;
  const folder = join(dir, `user-${n}`);
  await rm(folder, { recursive: true, force: true });
  await mkdir(folder);
  return folder;
}

before(async () => {
  dir = await mkdtemp(join(tmpdir(), 'linkwatch-settings-'));
});
after(async () => {
  await rm(dir, { recursive: true, force: true });
});

describe('settings from JSON', () => {
  it('only own fields count: an inherited one is not a setting (issue 12: lookups keyed by outside text)', () => {
    const inherited = Object.create({ notifications: false }) as object;
    assert.deepEqual(settingsFromJson(inherited), { settings: DEFAULT_SETTINGS, invalid: [] });
    assert.deepEqual(settingsFromJson(JSON.parse('{"__proto__": {"notifications": false}}')), { settings: DEFAULT_SETTINGS, invalid: [] });
  });
});

describe('settings persist across restarts', () => {
  it('first start: defaults (notifications on, start at login off), no file needed', async () => {
    const file = join(await userData(), SETTINGS_FILE_NAME);
    const { store, problem } = await SettingsStore.open(file);
    assert.deepEqual(store.get(), DEFAULT_SETTINGS);
    assert.equal(problem, null);
  });

  it('a change survives a restart', async () => {
    const file = join(await userData(), SETTINGS_FILE_NAME);
    const { store } = await SettingsStore.open(file);
    assert.deepEqual(await store.update({ notifications: false }), { ...DEFAULT_SETTINGS, notifications: false, startAtLogin: false });
    await store.update({ startAtLogin: true });
    const { store: reopened } = await SettingsStore.open(file);
    assert.deepEqual(reopened.get(), { ...DEFAULT_SETTINGS, notifications: false, startAtLogin: true });
    // The file keeps the user's own choices only: a default or a preset changed later still reaches them.
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { notifications: false, startAtLogin: true });
  });

  it('a corrupt file gives the defaults, no crash, and is kept aside as settings.json.corrupt', async () => {
    const folder = await userData();
    const file = join(folder, SETTINGS_FILE_NAME);
    await writeFile(file, '{"notifications": fal');
    const { store, problem } = await SettingsStore.open(file);
    assert.deepEqual(store.get(), DEFAULT_SETTINGS);
    assert.match(problem ?? '', /not valid JSON/);
    assert.deepEqual((await readdir(folder)).sort(), ['settings.json.corrupt']);
    // The next change writes a good file again.
    await store.update({ notifications: false });
    assert.deepEqual((await SettingsStore.open(file)).store.get(), { ...DEFAULT_SETTINGS, notifications: false });
  });

  it('one bad field falls back alone; unknown fields and other JSON shapes do no harm', async () => {
    const file = join(await userData(), SETTINGS_FILE_NAME);
    await writeFile(file, JSON.stringify({ notifications: false, startAtLogin: 'yes', theme: 'dark' }));
    const loaded = await loadSettings(file);
    assert.deepEqual(loaded.settings, { ...DEFAULT_SETTINGS, notifications: false, startAtLogin: false });
    assert.match(loaded.problem ?? '', /startAtLogin/);
    for (const text of ['null', '[]', '42', '"text"']) {
      await writeFile(file, text);
      assert.deepEqual((await loadSettings(file)).settings, DEFAULT_SETTINGS, text);
    }
  });

  it('writes are atomic: a reader never sees a half-written file, no temp file is left behind', async () => {
    const folder = await userData();
    const file = join(folder, SETTINGS_FILE_NAME);
    const { store } = await SettingsStore.open(file);
    await store.update({ notifications: true });
    let reads = 0;
    let writing = true;
    const reader = (async () => {
      while (writing) {
        const text = await readFile(file, 'utf8');
        const parsed = JSON.parse(text) as Record<string, unknown>;
        assert.equal(typeof parsed.notifications, 'boolean');
        reads += 1;
      }
    })();
    const writes: Promise<unknown>[] = [];
    for (let i = 0; i < 40; i += 1) writes.push(store.update({ notifications: i % 2 === 0, startAtLogin: i % 3 === 0 }));
    await Promise.all(writes);
    writing = false;
    await reader;
    assert.ok(reads > 0);
    // The last change wins on disk even though the writes raced.
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { notifications: false, startAtLogin: true });
    assert.deepEqual(await readdir(folder), [SETTINGS_FILE_NAME]);
  });

  it('listeners hear of a real change once, not of a no-op', async () => {
    const { store } = await SettingsStore.open(join(await userData(), SETTINGS_FILE_NAME));
    const heard: string[] = [];
    store.onChange((next, previous) => heard.push(`${previous.notifications}->${next.notifications}`));
    await store.update({ notifications: false });
    await store.update({ notifications: false });
    assert.deepEqual(heard, ['true->false']);
  });

  it('a write that fails rejects (the caller logs it) and does not take the app down', async () => {
    const file = join(dir, 'no-such-folder', 'deeper', SETTINGS_FILE_NAME);
    const { store } = await SettingsStore.open(file);
    await assert.rejects(store.update({ notifications: false }));
    assert.equal(store.get().notifications, false);
    // The queue is not stuck after a failure.
    await assert.rejects(store.update({ notifications: true }));
  });
});

describe("the administrator's policy around the user's settings", () => {
  const policy = (over: Partial<Policy>): Policy => ({ ...NO_POLICY, source: '/etc/linkwatch/policy.json', ...over });

  it('a locked setting wins over the file, refuses a change (ELOCKED) and is never written to the file', async () => {
    const file = join(await userData(), SETTINGS_FILE_NAME);
    await writeFile(file, JSON.stringify({ notifications: true, historyDays: 400 }));
    const { store } = await SettingsStore.open(file);
    store.setPolicy(policy({ locked: { notifications: false } }));
    assert.equal(store.get().notifications, false);
    assert.equal(store.isLocked('notifications'), true);
    await assert.rejects(store.update({ notifications: true }), (error: unknown) => error instanceof LockedSettingError && error.code === 'ELOCKED');
    assert.equal(store.get().notifications, false);
    await store.update({ startAtLogin: true });
    // The user's own value for the locked key stays theirs: it returns when the policy lets go.
    assert.deepEqual(JSON.parse(await readFile(file, 'utf8')), { notifications: true, historyDays: 400, startAtLogin: true });
    store.setPolicy(NO_POLICY);
    assert.equal(store.get().notifications, true);
  });

  it("a preset applies until the user chooses; the user's choice then wins, and a later preset reaches those who never chose", async () => {
    const file = join(await userData(), SETTINGS_FILE_NAME);
    const { store } = await SettingsStore.open(file);
    store.setPolicy(policy({ recommended: { historyDays: 30, notifications: false } }));
    assert.equal(store.get().historyDays, 30);
    await store.update({ notifications: true });
    store.setPolicy(policy({ recommended: { historyDays: 14, notifications: false } }));
    assert.equal(store.get().historyDays, 14, 'never chosen by the user: follows the new preset');
    assert.equal(store.get().notifications, true, "chosen by the user: the user's");
    assert.equal(store.isLocked('historyDays'), false);
  });

  it('a policy change is heard by settings listeners (what changed) and policy listeners', async () => {
    const { store } = await SettingsStore.open(join(await userData(), SETTINGS_FILE_NAME));
    const heard: string[] = [];
    store.onChange((next, previous) => heard.push(`startAtLogin ${previous.startAtLogin}->${next.startAtLogin}`));
    store.onPolicyChange((next) => heard.push(`policy ${Object.keys(next.locked).join(',')}`));
    store.setPolicy(policy({ locked: { startAtLogin: true } }));
    store.setPolicy(policy({ locked: { startAtLogin: true } }));
    assert.deepEqual(heard, ['policy startAtLogin', 'startAtLogin false->true', 'policy startAtLogin']);
  });
});
