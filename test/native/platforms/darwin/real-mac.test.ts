/**
 * The macOS backend on a real Mac (`npm run test:mac`; the CI's and the release workflow's macOS runners run
 * it): `linkwatch list --json` against the real libSystem does not crash, answers within a second, and
 * lists no utun that carries only link-local addresses (macOS keeps several for its own services); the real
 * scutil's output parses as sc-format.ts expects. As root, a real utun (test/fixtures/make-utun.c, made as
 * every VPN app makes one): given a point-to-point address, pinged through, listed with the counters
 * `netstat -ibI` shows, and announced by `watch --json` within a second of the address being added.
 *
 * Darwin only. Elsewhere it does not apply (the fake-libSystem tier, darwin-source.test.ts, covers the same
 * code on Linux), so it is skipped through node:test's own `skip` with that reason, not through skipUnless:
 * it is not a missing tool, and LINKWATCH_NO_SKIP=1 on Linux must not fail it.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync, spawn, type ChildProcess } from 'node:child_process';
import { mkdirSync } from 'node:fs';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import type { Connection, Snapshot } from '../../../../shared/connection';
import { createDarwinSource } from '../../../../electron/core/platforms/darwin/darwin-source';
import { parseNcList, parseScDescriptions } from '../../../../electron/core/platforms/darwin/sc-format';
import { skipUnless } from '../../../support/skip';
import { BUILD_DIR, FIXTURES_DIR } from '../../../support/fake-ras';

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

  it('in process: a read with counters (getifaddrs + the ifmibdata sysctl) takes under a second, and the kernel-event socket opens', async () => {
    const source = createDarwinSource();
    try {
      const started = performance.now();
      const list = await source.read({ counters: true });
      const ms = performance.now() - started;
      assert.ok(ms < 1000, `read took ${ms.toFixed(0)} ms`);
      for (const c of list) assert.ok(c.bytesIn !== null && c.bytesIn >= 0, `${c.deviceName}: counters read`);
      const unwatch = source.watch!(() => {});
      // PF_SYSTEM + SIOCSKEVFILT accepted, and the larger receive buffer granted (not the 32 KiB default).
      assert.match((await source.diagnose!()).parts[0]!.detail, /kernel events \(PF_SYSTEM, KEV_NETWORK_CLASS\), receive buffer 262144 bytes/);
      unwatch();
    } finally {
      source.close();
    }
  });

  it("the real scutil's output reads as sc-format.ts expects: --nc list, and the dynamic store's two dictionaries", () => {
    const list = execFileSync('/usr/sbin/scutil', ['--nc', 'list'], { encoding: 'utf8' });
    const lines = list.trim().split('\n');
    assert.match(lines[0]!, /^Available network connection services in the current set \(\*=enabled\):$/);
    assert.equal(parseNcList(list).length, lines.length - 1, list);
    const store = execFileSync('/usr/sbin/scutil', [], { input: 'show State:/Network/Service/[^/]+/IPv[46] pattern\nshow Setup:/Network/Service/[^/]+ pattern\nquit\n', encoding: 'utf8' });
    assert.equal(parseScDescriptions(store).length, 2, store);
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

/** Root can make a utun (the control is CTL_FLAG_PRIVILEGED): `sudo npm run test:mac` in CI. */
const isRoot = process.getuid?.() === 0;

function buildMakeUtun(): string {
  const output = join(BUILD_DIR, 'make-utun');
  mkdirSync(BUILD_DIR, { recursive: true });
  execFileSync('cc', ['-O2', '-Wall', '-o', output, join(FIXTURES_DIR, 'make-utun.c')], { stdio: 'inherit' });
  return output;
}

function firstLine(child: ChildProcess): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    child.stdout!.on('data', (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('\n')) resolve(text.split('\n')[0]!.trim());
    });
    child.on('exit', (code) => reject(new Error(`make-utun exited (${code})`)));
  });
}

/** netstat -ibI <name>: the link row's Ibytes and Obytes (netstat is an Apple binary: exact, not rounded). */
function netstatBytes(name: string): { ibytes: number; obytes: number } {
  const lines = execFileSync('netstat', ['-ibI', name], { encoding: 'utf8' }).trim().split('\n');
  const header = lines[0]!.trim().split(/\s+/);
  const link = lines.slice(1).find((l) => l.includes('<Link#'))!.trim().split(/\s+/);
  // The link row has no Address column: its columns after Network line up from the right.
  const fromRight = (column: string) => link[link.length - (header.length - header.indexOf(column))]!;
  return { ibytes: Number(fromRight('Ibytes')), obytes: Number(fromRight('Obytes')) };
}

describe('macOS: a real utun made as a VPN app makes it (make-utun, root)', { skip: notDarwin }, () => {
  it('addressed, pinged through, listed with netstat\'s counters, and announced by watch --json within 1 s', async (t) => {
    if (!skipUnless(t, isRoot, 'making a utun needs root: sudo npm run test:mac')) return;
    const helper = spawn(buildMakeUtun(), [], { stdio: ['pipe', 'pipe', 'inherit'] });
    const env = { ...process.env };
    delete env.LINKWATCH_RASAPI;
    delete env.LINKWATCH_LIBSYSTEM;
    const watch = spawn(process.execPath, [CLI, 'watch', '--json'], { env, stdio: ['ignore', 'pipe', 'inherit'] });
    try {
      const name = await firstLine(helper);
      assert.match(name, /^utun\d+$/);
      const events: { at: number; event: { type: string; connection?: Connection } }[] = [];
      let pending = '';
      watch.stdout!.on('data', (chunk: Buffer) => {
        pending += chunk.toString();
        let nl: number;
        while ((nl = pending.indexOf('\n')) >= 0) {
          events.push({ at: performance.now(), event: JSON.parse(pending.slice(0, nl)) });
          pending = pending.slice(nl + 1);
        }
      });
      await new Promise((done) => setTimeout(done, 2000)); // watch has read the list and opened its socket
      assert.equal(events.some((e) => e.event.connection?.deviceName === name), false, 'no address yet: a system-like utun, not listed');
      // 198.18.0.0/15 is reserved for benchmarking (RFC 2544): the peer is make-utun itself, inside the
      // tunnel this test made; nothing leaves the Mac.
      const added = performance.now();
      execFileSync('ifconfig', [name, 'inet', '198.18.77.1', '198.18.77.2', 'up']);
      const deadline = Date.now() + 5000;
      while (!events.some((e) => e.event.type === 'added' && e.event.connection?.deviceName === name) && Date.now() < deadline) {
        await new Promise((done) => setTimeout(done, 10));
      }
      const seen = events.find((e) => e.event.type === 'added' && e.event.connection?.deviceName === name);
      assert.ok(seen, `watch --json announced no ${name}: ${JSON.stringify(events.map((e) => e.event))}`);
      assert.ok(seen.at - added < 1000, `announced ${(seen.at - added).toFixed(0)} ms after the address was added`);
      // No netmask given: in.c in_ifinit takes the class's (198.18 is class C), as ifconfig then shows.
      assert.deepEqual(seen.event.connection!.addresses.filter((a) => a.startsWith('198.18.77.')), ['198.18.77.1/24']);

      execFileSync('ping', ['-c', '3', '-i', '0.2', '-t', '5', '198.18.77.2'], { stdio: 'ignore' });
      // macOS may send on the new interface by itself (mDNSResponder, IGMP) at any moment: the counters only
      // grow, so Linkwatch's reading must lie between netstat's before and after it.
      const before = netstatBytes(name);
      const { stdout } = await new Promise<{ stdout: string }>((resolve, reject) =>
        execFile(process.execPath, [CLI, 'list', '--json', '--stats'], { env }, (error, out) => (error ? reject(error) : resolve({ stdout: out }))),
      );
      const after = netstatBytes(name);
      const row = (JSON.parse(stdout) as Snapshot).connections.find((c) => c.deviceName === name);
      assert.ok(row, stdout);
      assert.deepEqual([row.id, row.kind, row.state], [`getifaddrs:${name}`, 'vpn', 'connected']);
      // Three echo requests of 84 bytes (IPv4 20 + ICMP 8 + 56) went in, three replies came back.
      assert.ok(before.obytes >= 3 * 84 && before.ibytes >= 3 * 84, `three echoes each way: ${JSON.stringify(before)}`);
      assert.ok(row.bytesIn! >= before.ibytes && row.bytesIn! <= after.ibytes, `bytesIn ${row.bytesIn} against netstat ${before.ibytes}..${after.ibytes}`);
      assert.ok(row.bytesOut! >= before.obytes && row.bytesOut! <= after.obytes, `bytesOut ${row.bytesOut} against netstat ${before.obytes}..${after.obytes}`);
    } finally {
      watch.kill();
      helper.stdin!.end();
      helper.kill();
    }
  });
});
