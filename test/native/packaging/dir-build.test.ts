/**
 * Packages the app with electron-builder's `--linux dir` target against a stand-in Electron (no Electron
 * binary can be downloaded here, see shared/TOOLCHAIN.md) and checks what electron-builder.yml puts into the
 * app: app.asar holds the electron-vite output, package.json and the production dependencies only; koffi's
 * prebuild for the target is unpacked next to it; no other platform's prebuild ships.
 *
 * electron-builder runs in a staged copy of the project, never in the shared work tree: the stage gets the
 * real package.json, lockfile, electron-builder.yml and build/ resources, the real production dependency tree,
 * plus two kinds of decoys electron-builder must leave out: installed devDependencies (stubs) and koffi
 * prebuilds for other platforms (stubs), as on a release runner that has installed a second architecture.
 * The real build's core process (out/main/core-process.js) is also run from the packaged layout, and the
 * main process's bundle is checked to load nothing native (koffi lives only in the core process).
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { chmod, cp, mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { after, before, test, type TestContext } from 'node:test';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { extractAll, listPackage, statFile } from '@electron/asar';
import { createCoreSource } from '../../../electron/core/host/core-client';
import { forkCore } from '../../../electron/core/host/fork-channel';
import { fakeRasConnectionId, fakeRasPath, writeFakeRasState } from '../../support/fake-ras';
import { skipUnless } from '../../support/skip';
import config from '../../../electron-builder.config';
import { makeInstallerIcons } from '../../../scripts/make-installer-icons';
import { solidPng } from './png-fixture';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const TARGET = `linux-${process.arch}`;
// Decoys: other platforms' koffi packages, as `npm install --force` leaves them on a runner.
const FOREIGN_KOFFI = ['win32-x64', 'win32-arm64', 'darwin-arm64', 'linux-arm64', 'linux-x64'].filter((p) => p !== TARGET);
// Decoys: devDependencies the app must not carry even when they are installed.
const DEV_DECOYS = ['electron', 'typescript', 'vite', 'react', 'react-dom', 'playwright-core', 'electron-vite'];

interface PackageJson {
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
}

let work: string;
let pkg: PackageJson;
let prodTree: string[]; // node_modules/... paths of the production dependency tree, relative to the project
let electronVersion: string;

before(async () => {
  work = await mkdtemp(join(tmpdir(), 'linkwatch-dir-build-'));
  pkg = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as PackageJson;
  electronVersion = (JSON.parse(await readFile(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
  // `npm ls` exits non-zero on any problem in the whole tree (a devDependency mid-install by a colleague);
  // its parseable output is still complete for what it could resolve.
  const ls = await run('npm', ['ls', '--omit', 'dev', '--all', '--parseable'], { cwd: ROOT, maxBuffer: 16 << 20 }).catch(
    (error: { stdout?: string }) => ({ stdout: error.stdout ?? '' }),
  );
  prodTree = ls.stdout
    .split('\n')
    .map((line) => relative(ROOT, line.trim()))
    .filter((p) => p.startsWith('node_modules'));
});

after(async () => {
  await rm(work, { recursive: true, force: true });
});

/** Electron's dist folder as electron-builder expects it: an `electron` executable, `version`, licences, resources/. */
async function standInElectron(dir: string): Promise<void> {
  await mkdir(join(dir, 'resources'), { recursive: true });
  await writeFile(join(dir, 'electron'), '#!/bin/sh\necho "stand-in for Electron $(cat "$(dirname "$0")/version")"\n');
  await chmod(join(dir, 'electron'), 0o755);
  await writeFile(join(dir, 'version'), electronVersion);
  await writeFile(join(dir, 'LICENSE'), 'stand-in\n');
  await writeFile(join(dir, 'LICENSES.chromium.html'), '<p>stand-in</p>\n');
}

async function stubPackage(dir: string, name: string, version: string, extra: Record<string, string> = {}): Promise<void> {
  await mkdir(dir, { recursive: true });
  await writeFile(join(dir, 'package.json'), JSON.stringify({ name, version, main: 'index.js' }));
  await writeFile(join(dir, 'index.js'), 'module.exports = {};\n');
  for (const [file, text] of Object.entries(extra)) {
    await mkdir(join(dir, file, '..'), { recursive: true });
    await writeFile(join(dir, file), text);
  }
}

/** A minimal electron-vite output, for when the real one cannot be built yet. */
async function standInBundles(out: string): Promise<void> {
  await mkdir(join(out, 'main'), { recursive: true });
  await mkdir(join(out, 'preload'), { recursive: true });
  await mkdir(join(out, 'renderer/assets'), { recursive: true });
  await writeFile(join(out, 'main/main.js'), "import koffi from 'koffi';\nconsole.log(koffi.version);\n");
  await writeFile(join(out, 'main/main.js.map'), '{}');
  await writeFile(join(out, 'preload/preload.cjs'), 'module.exports = {};\n');
  await writeFile(join(out, 'renderer/index.html'), '<script type="module" src="./assets/index.js"></script>\n');
  await writeFile(join(out, 'renderer/assets/index.js'), 'export {};\n');
}

interface Packaged {
  project: string;
  appDir: string; // linux-unpacked/
  asar: string;
  entries: Set<string>; // every path in app.asar, '/'-rooted
  output: string;
}

async function packageLinuxDir(name: string, bundles: (out: string) => Promise<void>): Promise<Packaged> {
  const project = join(work, name, 'project');
  const electronDist = join(work, name, 'electron-dist');
  await mkdir(project, { recursive: true });
  for (const file of ['package.json', 'package-lock.json', 'electron-builder.config.ts']) {
    await cp(join(ROOT, file), join(project, file));
  }
  await cp(join(ROOT, 'build'), join(project, 'build'), {
    recursive: true,
    filter: (src) => !src.includes(`${join(ROOT, 'build', 'generated')}`),
  });
  const iconSet = join(work, name, 'icon-set');
  await mkdir(iconSet);
  for (const size of [16, 24, 32, 48, 64, 128, 256, 512, 1024]) await writeFile(join(iconSet, `${size}.png`), solidPng(size));
  await makeInstallerIcons(iconSet, join(project, 'build/generated'));

  for (const dir of prodTree) await cp(join(ROOT, dir), join(project, dir), { recursive: true });
  for (const p of FOREIGN_KOFFI) {
    const dir = join(project, 'node_modules/@koromix', `koffi-${p}`);
    if (!existsSync(dir)) await stubPackage(dir, `@koromix/koffi-${p}`, '3.3.4', { [`${p.replace('-', '_')}/koffi.node`]: 'decoy' });
  }
  for (const dev of DEV_DECOYS) {
    const dir = join(project, 'node_modules', dev);
    if (!existsSync(dir)) await stubPackage(dir, dev, dev === 'electron' ? electronVersion : '0.0.0-decoy');
  }
  await bundles(join(project, 'out'));
  await standInElectron(electronDist);

  const { stdout, stderr } = await run(
    process.execPath,
    [
      join(ROOT, 'node_modules/electron-builder/cli.js'),
      '--linux', 'dir', '--publish', 'never', '--projectDir', project, '--config', 'electron-builder.config.ts',
      `-c.electronDist=${electronDist}`, `-c.electronVersion=${electronVersion}`,
    ],
    { cwd: project, timeout: 180_000, maxBuffer: 16 << 20, env: { ...process.env, CI: 'true' } },
  );
  const appDir = join(project, 'dist/linux-unpacked');
  const asar = join(appDir, 'resources/app.asar');
  const entries = new Set(listPackage(asar, { isPack: false }).map((p) => p.replaceAll('\\', '/')));
  return { project, appDir, asar, entries, output: stdout + stderr };
}

async function filesUnder(dir: string): Promise<string[]> {
  if (!existsSync(dir)) return [];
  const found = await readdir(dir, { recursive: true, withFileTypes: true });
  return found.filter((d) => d.isFile()).map((d) => relative(dir, join(d.parentPath, d.name)));
}

async function sizeOf(path: string): Promise<number> {
  const s = await stat(path);
  if (!s.isDirectory()) return s.size;
  let total = 0;
  for (const file of await filesUnder(path)) total += (await stat(join(path, file))).size;
  return total;
}

const mib = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(2)} MiB`;

/** What every build must satisfy, whatever the bundles are. */
async function assertAppLayout(t: TestContext, app: Packaged): Promise<void> {
  // Only the electron-vite output, package.json and node_modules at the archive's root: no sources, no tests.
  const roots = [...app.entries].filter((p) => p.split('/').length === 2).sort();
  assert.deepEqual(roots, ['/node_modules', '/out', '/package.json']);
  for (const entry of ['/out/main/main.js', '/out/preload/preload.cjs', '/out/renderer/index.html']) {
    assert.ok(app.entries.has(entry), `${entry} in app.asar`);
  }
  assert.ok(![...app.entries].some((p) => p.endsWith('.map')), 'no source maps');

  // Every runtime dependency, and not one devDependency, though both kinds are installed in the stage.
  for (const dep of Object.keys(pkg.dependencies ?? {})) {
    assert.ok(app.entries.has(`/node_modules/${dep}/package.json`), `runtime dependency ${dep} in app.asar`);
  }
  const prodNames = new Set(prodTree.map((p) => p.replace(/^.*node_modules\//, '')));
  const devOnly = [...Object.keys(pkg.devDependencies ?? {}), ...DEV_DECOYS].filter((d) => !prodNames.has(d));
  for (const dev of devOnly) {
    assert.ok(!app.entries.has(`/node_modules/${dev}`), `devDependency ${dev} must not be in app.asar`);
  }

  // koffi: the target's glibc prebuild, unpacked (a .node cannot be loaded from inside an archive), and
  // the same bytes as installed.
  const prebuild = `node_modules/@koromix/koffi-${TARGET}/${TARGET.replace('-', '_')}/koffi.node`;
  const unpackedDir = `${app.asar}.unpacked`;
  const unpacked = join(unpackedDir, prebuild);
  assert.ok(existsSync(unpacked), `${prebuild} unpacked`);
  assert.deepEqual(await readFile(unpacked), await readFile(join(ROOT, prebuild)));
  assert.equal((statFile(app.asar, prebuild) as { unpacked?: boolean }).unpacked, true, 'asar header marks it unpacked');

  // No other platform's prebuild and no musl build, neither in the archive nor beside it.
  const everything = [...app.entries, ...(await filesUnder(app.appDir)).map((p) => `/${p}`)];
  const koffiPackages = new Set(everything.flatMap((p) => /@koromix\/(koffi-[^/]+)/.exec(p)?.[1] ?? []));
  assert.deepEqual([...koffiPackages], [`koffi-${TARGET}`]);
  assert.ok(!everything.some((p) => p.includes('/musl_')), 'no musl prebuild');

  // Icons: the `dir` target carries none (deb and AppImage take linux.icon when they are made), so check that
  // every icon path electron-builder.yml names exists once make-installer-icons has run.
  const iconPaths = [config.win?.icon, config.mac?.icon, config.linux?.icon].map(String);
  assert.deepEqual(iconPaths, ['build/generated/icon.ico', 'build/generated/icon.icns', 'build/generated/linux-icons']);
  for (const icon of iconPaths) assert.ok((await sizeOf(join(app.project, icon))) > 0, `${icon} generated`);

  // The trimmed dependencies still load from the packaged layout (plain Node here; Electron additionally maps
  // the unpacked koffi.node into the archive's path): koffi finds its prebuild and makes a call.
  const extracted = join(app.project, 'extracted');
  extractAll(app.asar, extracted);
  await writeFile(
    join(extracted, 'probe.mjs'),
    [
      "import koffi from 'koffi';",
      "if (koffi.sizeof('int32_t') !== 4) throw new Error('koffi answered nonsense');",
      ...Object.keys(pkg.dependencies ?? {}).map((dep) => `await import(${JSON.stringify(dep)});`),
      "console.log('loaded', koffi.version);",
    ].join('\n'),
  );
  const probe = await run(process.execPath, [join(extracted, 'probe.mjs')], { cwd: extracted, timeout: 30_000 });
  assert.match(probe.stdout, /^loaded /);

  t.diagnostic(
    `sizes: linux-unpacked ${mib(await sizeOf(app.appDir))} (stand-in Electron ≈ 0), app.asar ${mib(await sizeOf(app.asar))}, ` +
      `app.asar.unpacked ${mib(await sizeOf(unpackedDir))} (koffi.node ${mib(await sizeOf(unpacked))})`,
  );
}

test(`packages a stand-in app with only ${TARGET}'s koffi and no devDependencies`, async (t) => {
  if (process.platform !== 'linux' || !['x64', 'arm64'].includes(process.arch)) {
    // Not a missing tool: the stage copies this host's koffi prebuild, and the release runners build their own OS.
    t.skip(`packaging layout is checked on Linux x64/arm64 hosts (this is ${process.platform}-${process.arch})`);
    return;
  }
  const app = await packageLinuxDir('stand-in', standInBundles);
  await assertAppLayout(t, app);
});

test('packages the real electron-vite build', async (t) => {
  const linuxHost = process.platform === 'linux' && ['x64', 'arm64'].includes(process.arch);
  if (!skipUnless(t, linuxHost, `packaging layout is checked on Linux x64/arm64 hosts (this is ${process.platform}-${process.arch})`)) return;
  // Always build: a stale out/ from an earlier checkout would be checked instead of the code under test.
  // `npm run build` draws the icons first (prebuild), as a release does.
  await run('npm', ['run', 'build'], { cwd: ROOT, timeout: 300_000, maxBuffer: 16 << 20 });
  const app = await packageLinuxDir('real', (out) => cp(join(ROOT, 'out'), out, { recursive: true }));
  await assertAppLayout(t, app);
  // The renderer arrives bundled: its scripts are in out/renderer, React is not in node_modules.
  assert.ok([...app.entries].some((p) => p.startsWith('/out/renderer/') && p.endsWith('.js')), 'renderer bundle in app.asar');

  // The core process's entry sits next to main.js (main.ts starts it by path), and the bundled core runs
  // from the packaged layout (plain Node, as extracted by assertAppLayout): its chunks and koffi resolve, and
  // it reads the fake rasapi32, scripted through its state file.
  assert.ok(app.entries.has('/out/main/core-process.js'), 'the core process entry in app.asar');
  const stateFile = join(app.project, 'ras-state');
  writeFakeRasState(stateFile, [{ handle: 0x51, name: 'Packaged core' }]);
  const source = createCoreSource({
    backend: 'rasapi32',
    spawn: forkCore({ entry: pathToFileURL(join(app.project, 'extracted/out/main/core-process.js')), env: { ...process.env, LINKWATCH_RASAPI: fakeRasPath(), FAKE_RAS_STATE: stateFile } }),
  });
  try {
    const connections = await source.read({ counters: false });
    assert.deepEqual(
      connections.map((c) => [c.id, c.name]),
      [[fakeRasConnectionId(0x51), 'Packaged core']],
    );
  } finally {
    await source.shutdown();
  }

  // Defect 2 of issue 11: nothing native on the main thread. main.js and every chunk it imports statically
  // must not mention koffi (a koffi that cannot load would be Electron's "JavaScript error" dialog).
  const mainDir = join(app.project, 'extracted/out/main');
  const seen = new Set<string>();
  const visit = async (file: string): Promise<void> => {
    if (seen.has(file)) return;
    seen.add(file);
    const text = await readFile(join(mainDir, file), 'utf8');
    assert.doesNotMatch(text, /koffi/, `${file} (imported by main.js) loads koffi`);
    for (const match of text.matchAll(/(?:^|[;\s])import\s*(?:[^'"]*from\s*)?["'](\.\/[^"']+)["']/g)) await visit(join(relative(mainDir, join(mainDir, file, '..')), match[1]!));
  };
  await visit('main.js');
  assert.ok(seen.size >= 1);
});
