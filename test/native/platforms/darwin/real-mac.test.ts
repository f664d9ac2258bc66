/**
 * The macOS backend on a real Mac (the release workflow's macos-latest runner runs it before building the
 * dmg): `linkwatch list --json` against the real libSystem does not crash, answers within a second, and
 * lists no utun that carries only link-local addresses (macOS keeps several for its own services).
 *
 * Darwin only. Elsewhere it does not apply (the fake-libSystem tier, darwin-source.test.ts, covers the same
 * code on Linux), so it is skipped through node:test's own `skip` with that reason, not through skipUnless:
 * it is not a missing tool, and LINKWATCH_NO_SKIP=1 on Linux must not fail it.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { networkInterfaces } from 'node:os';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Snapshot } from '../../../../shared/connection';
import { createDarwinSource } from '../../../../electron/core/platforms/darwin/darwin-source';

const CLI = fileURLToPath(new URL('../../../../bin/linkwatch.js', import.meta.url));
const notDarwin = process.platform !== 'darwin' ? `applies to macOS only (this is ${process.platform}); the fake-libSystem tests cover the backend here` : false;

function listJson(): Promise<{ code: number | null; signal: NodeJS.Signals | null; stdout: string; stderr: string; ms: number }> {
  const env = { ...process.env };
  delete env.LINKWATCH_RASAPI;
  delete env.LINKWATCH_LIBSYSTEM;
  const started = performance.now();
  return new Promise((resolve) => {
    const child = execFile(process.execPath, [CLI, 'list', '--json'], { env, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: child.exitCode, signal: child.signalCode, stdout, stderr, ms: performance.now() - started });
      void error;
    });
  });
}

describe('macOS: the real backend on this Mac', { skip: notDarwin }, () => {
  it('linkwatch list --json exits 0 without a signal, with backend getifaddrs and no error', async () => {
    const { code, signal, stdout, stderr } = await listJson();
    assert.equal(signal, null, `killed by ${signal}: ${stderr}`);
    assert.equal(code, 0, stderr);
    const snapshot = JSON.parse(stdout) as Snapshot;
    assert.equal(snapshot.platform, 'darwin');
    assert.equal(snapshot.backend, 'getifaddrs');
    assert.equal(snapshot.error, null);
  });

  it('answers within a second (the backend itself, after the CLI has started)', async () => {
    await listJson(); // warm: tsx's compile cache, the dynamic linker
    const baseline = performance.now();
    await new Promise<void>((resolve) => execFile(process.execPath, ['-e', ''], () => resolve()));
    const nodeStart = performance.now() - baseline;
    const { code, ms } = await listJson();
    assert.equal(code, 0);
    // What the CLI adds over starting Node at all: loading the code, one read, printing.
    assert.ok(ms - nodeStart < 1000, `list --json took ${ms.toFixed(0)} ms (Node alone ${nodeStart.toFixed(0)} ms)`);
  });

  it('in process: a read with counters (getifaddrs + the ifmibdata sysctl) takes under a second, and the routing socket opens', async () => {
    const source = createDarwinSource();
    try {
      const started = performance.now();
      const list = await source.read({ counters: true });
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `read took ${ms.toFixed(0)} ms`);
      for (const c of list) assert.ok(c.bytesIn !== null && c.bytesIn >= 0, `${c.deviceName}: counters read`);
      const unwatch = source.watch!(() => {});
      unwatch();
    } finally {
      source.close();
    }
  });

  it('lists no utun whose addresses are all link-local, and every listed utun has a non-link-local address', async () => {
    const { stdout } = await listJson();
    const snapshot = JSON.parse(stdout) as Snapshot;
    const system = networkInterfaces();
    for (const [name, addresses] of Object.entries(system)) {
      if (!/^utun\d+$/.test(name)) continue;
      const routable = (addresses ?? []).some((a) => !(a.family === 'IPv6' && /^fe[89ab]/i.test(a.address)));
      const listed = snapshot.connections.some((c) => c.deviceName === name);
      if (!routable) assert.equal(listed, false, `${name} has only link-local addresses but is listed`);
    }
    for (const c of snapshot.connections.filter((c) => c.deviceType === 'utun')) {
      assert.ok(c.addresses.length > 0 && c.addresses.every((a) => !/^fe[89ab]/i.test(a)), JSON.stringify(c));
    }
  });
});
