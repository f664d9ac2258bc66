/**
 * The front door: `npm start` finds Electron's binary, gets it through Electron's own installer when it is
 * missing, and otherwise ends with one line that says what is missing and how to get it. The installer runs
 * for real (node_modules/electron/install.js, copied into a stand-in package folder) against a mirror on a
 * closed loopback port, so its download fails here whether or not the machine is online.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { chmodSync, copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { electronPackageDir, ensureElectron, findElectron, installFailure, missingElectronMessage, platformExecutable } from '../../../scripts/electron-runtime';

const run = promisify(execFile);
const realDir = electronPackageDir();
const dirs: string[] = [];
after(() => {
  for (const dir of dirs) rmSync(dir, { recursive: true, force: true });
});

/** A package folder shaped like node_modules/electron: the real package.json, install.js and checksums. */
function standIn(): string {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-electron-pkg-'));
  dirs.push(dir);
  for (const file of ['package.json', 'install.js', 'checksums.json']) copyFileSync(join(realDir, file), join(dir, file));
  return dir;
}

function installed(dir: string, version: string, platform = process.platform): string {
  mkdirSync(join(dir, 'dist'), { recursive: true });
  writeFileSync(join(dir, 'dist', 'version'), version);
  writeFileSync(join(dir, 'path.txt'), platformExecutable(platform));
  const executable = join(dir, 'dist', platformExecutable(platform));
  mkdirSync(resolve(executable, '..'), { recursive: true });
  writeFileSync(executable, '#!/bin/sh\n');
  chmodSync(executable, 0o755);
  return executable;
}

/** A loopback port nobody listens on: a download from it fails at once, online or not. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  const { port } = server.address() as { port: number };
  await new Promise<void>((done) => server.close(() => done()));
  return port;
}

const version = (findElectron({ electronDir: realDir, env: {}, platform: process.platform }) as { version: string }).version;

describe('front door: finding Electron', () => {
  it('install.js already ran: the executable path.txt names, no download', () => {
    const dir = standIn();
    const executable = installed(dir, `v${version}`);
    assert.deepEqual(ensureElectron({ electronDir: dir, env: {}, platform: process.platform }, '/nonexistent/node'), { kind: 'ready', executable, version });
  });

  it('a dist/ of another version, or path.txt for another OS, is not installed', () => {
    const dir = standIn();
    installed(dir, '44.0.0');
    assert.match(JSON.stringify(findElectron({ electronDir: dir, env: {}, platform: process.platform })), /holds Electron 44\.0\.0, not/);
    const other = standIn();
    installed(other, version, process.platform === 'win32' ? 'linux' : 'win32');
    assert.equal(findElectron({ electronDir: other, env: {}, platform: process.platform }).kind, 'missing');
  });

  it('ELECTRON_OVERRIDE_DIST_PATH: the executable in that folder, never a download over it', () => {
    const dist = mkdtempSync(join(tmpdir(), 'linkwatch-electron-dist-'));
    dirs.push(dist);
    const env = { ELECTRON_OVERRIDE_DIST_PATH: dist };
    const dir = standIn();
    const missing = ensureElectron({ electronDir: dir, env, platform: 'linux' }, '/nonexistent/node');
    assert.equal(missing.kind, 'missing');
    assert.match(missingElectronMessage(missing as Extract<typeof missing, { kind: 'missing' }>), /ELECTRON_OVERRIDE_DIST_PATH is set, but .*electron does not exist/);
    writeFileSync(join(dist, 'electron'), '');
    assert.deepEqual(findElectron({ electronDir: dir, env, platform: 'linux' }), { kind: 'ready', executable: join(dist, 'electron'), version });
    assert.equal((findElectron({ electronDir: dir, env, platform: 'darwin' }) as { reason?: string }).reason?.includes('Electron.app/Contents/MacOS/Electron'), true);
  });

  it('the installer reports its error message, not its stack', () => {
    assert.equal(installFailure('TypeError: fetch failed\n    at node:internal/deps/undici:1:1\n', 1), 'TypeError: fetch failed');
    assert.equal(installFailure('', 1), 'the installer exited with code 1');
    assert.equal(installFailure('', null), 'the installer was killed');
  });
});

describe('front door: when the download cannot happen', () => {
  it("Electron's own installer runs, fails, and that becomes one line naming the version, the reason and the ways out", async () => {
    const dir = standIn();
    const cache = mkdtempSync(join(tmpdir(), 'linkwatch-electron-cache-'));
    dirs.push(cache);
    const env = {
      PATH: process.env.PATH,
      // install.js requires @electron/get from the project's node_modules.
      NODE_PATH: resolve(realDir, '..'),
      ELECTRON_MIRROR: `http://127.0.0.1:${await closedPort()}/`,
      electron_config_cache: cache,
    };
    const runtime = ensureElectron({ electronDir: dir, env, platform: process.platform });
    assert.equal(runtime.kind, 'missing');
    const line = missingElectronMessage(runtime as Extract<typeof runtime, { kind: 'missing' }>);
    assert.doesNotMatch(line, /\n/);
    assert.match(line, new RegExp(`^linkwatch: cannot start: Electron ${version.replace(/\./g, '\\.')} is missing \\(it could not be downloaded: \\w*Error: .+\\)\\.`));
    assert.match(line, /Connect to the internet and run `npm start` again/);
    assert.match(line, /ELECTRON_OVERRIDE_DIST_PATH/);
  });

  it('`npm start` itself (scripts/start.ts) ends with that one line and exit status 1, no stack trace', async () => {
    const tsx = resolve('node_modules/tsx/dist/cli.mjs');
    const failed = await run(process.execPath, [tsx, 'scripts/start.ts'], {
      env: { ...process.env, ELECTRON_EXEC_PATH: '', ELECTRON_OVERRIDE_DIST_PATH: join(tmpdir(), 'linkwatch-no-such-electron') },
    }).then(
      () => null,
      (error: { code: number; stdout: string; stderr: string }) => error,
    );
    assert.ok(failed, 'start.ts must fail without an Electron');
    assert.equal(failed.code, 1);
    assert.equal(failed.stdout, '');
    const lines = failed.stderr.trim().split('\n');
    assert.equal(lines.length, 1, failed.stderr);
    assert.match(lines[0]!, /^linkwatch: cannot start: Electron .* is missing \(ELECTRON_OVERRIDE_DIST_PATH is set, but .* does not exist\)/);
  });
});
