/**
 * The connection core in its own process (electron/core/host/): the same protocol the app serves through
 * Electron's utilityProcess, here through child_process.fork. Same answers as in-process, errors with their
 * codes, a tray-side thread that keeps running while a native call blocks, a crashed core that becomes an
 * ECORE error and is restarted with back-off, a hung core that is killed, and a close that never waits on a
 * hung backend.
 *
 * The RAS backend runs over the contract fake, scripted through its FAKE_RAS_STATE file (`!delay-ms` makes
 * every RasEnumConnectionsW block, as a stuck RasMan RPC does).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { createCoreSource, type CoreSource, type CoreSourceOptions } from '../../../electron/core/host/core-client';
import { forkCore } from '../../../electron/core/host/fork-channel';
import { createSource } from '../../../electron/core/platforms/index';
import { pickBackend } from '../../../electron/core/platforms/pick';
import { createRasSource } from '../../../electron/core/platforms/win32/ras-source';
import { rejectsWith } from '../../support/backend-errors';
import { RASCS, fakeRasConnectionId, loadFakeRas, writeFakeRasState, type FakeRasStateConnection, writeFakeRasEntries } from '../../support/fake-ras';
import { skipUnless } from '../../support/skip';
import { hasCommand } from '../../support/tunnels';
import { pidAlive } from '../../support/processes';

const run = promisify(execFile);
const fake = loadFakeRas();
const OPTIONS = { counters: false };
export const CORE_ENTRY = new URL('../../../electron/core/host/core-process.ts', import.meta.url);
const TSX = ['--import', 'tsx'];

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-core-'));
const stateFile = join(dir, 'ras-state');
const sources: CoreSource[] = [];
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

function core(options: Partial<CoreSourceOptions> & { env?: NodeJS.ProcessEnv; entry?: URL; pids?: number[] } = {}): CoreSource {
  const pids = options.pids ?? [];
  const source = createCoreSource({
    backend: 'rasapi32',
    spawn: forkCore({
      entry: options.entry ?? CORE_ENTRY,
      execArgv: TSX,
      env: options.env ?? { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: stateFile },
      onSpawn: (pid) => pids.push(pid),
    }),
    log: () => {},
    ...options,
  });
  sources.push(source);
  return source;
}

async function until(condition: () => boolean, what: string, ms = 10_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(10);
  }
}

const CONNECTIONS: FakeRasStateConnection[] = [
  { handle: 0x10, name: 'Office VPN', phonebook: 'C:\\Users\\me\\rasphone.pbk' },
  { handle: 0x20, name: '.5551234', deviceType: 'modem', deviceName: 'Standard 56000 bps Modem' },
  { handle: 0x30, name: 'Home', state: RASCS.Disconnected, error: 691 },
];

before(() => {
  process.env.FAKE_RAS_STATE = stateFile;
  fake.reset();
});
afterEach(async () => {
  await Promise.all(sources.splice(0).map((source) => source.shutdown()));
  writeFakeRasState(stateFile, []);
});
after(() => {
  delete process.env.FAKE_RAS_STATE;
  rmSync(dir, { recursive: true, force: true });
});

describe('core process: the pick', () => {
  it('pickBackend (what the app names before the core answers) is the backend the core builds, on every OS', () => {
    for (const [env, platform] of [
      [{ LINKWATCH_RASAPI: '/x/rasapi32.so' }, 'linux'],
      [{ LINKWATCH_IPHLPAPI: '/x/iphlpapi.so' }, 'linux'],
      [{ LINKWATCH_RASAPI: '/x/rasapi32.so', LINKWATCH_IPHLPAPI: '/x/iphlpapi.so' }, 'linux'],
      [{}, 'win32'],
      [{}, 'linux'],
      [{}, 'darwin'],
      [{ LINKWATCH_LIBSYSTEM: '/x/libsystem.so' }, 'linux'],
      [{}, 'freebsd'],
    ] as const) {
      const source = createSource(env, platform); // lazy: nothing native is loaded until a read
      try {
        assert.equal(source.backend, pickBackend(env, platform).kind, `${JSON.stringify(env)} on ${platform}`);
      } finally {
        source.close();
      }
    }
    assert.deepEqual(pickBackend({ LINKWATCH_RASAPI: '/x/r.so' }, 'darwin'), { kind: 'rasapi32', library: '/x/r.so' });
    assert.deepEqual(pickBackend({}, 'win32'), { kind: 'rasapi32+iphlpapi', library: 'rasapi32.dll', iphlpapi: 'iphlpapi.dll' });
    assert.deepEqual(pickBackend({ LINKWATCH_RASAPI: 'Z:\\fake.dll' }, 'win32'), { kind: 'rasapi32', library: 'Z:\\fake.dll' });
    // A fake libSystem's interfaces never meet the real Mac's services: scutil only when LINKWATCH_SCUTIL names one.
    assert.deepEqual(pickBackend({ LINKWATCH_LIBSYSTEM: '/x/l.so' }, 'linux'), { kind: 'getifaddrs', library: '/x/l.so', scutil: null });
    assert.deepEqual(pickBackend({ LINKWATCH_LIBSYSTEM: '/x/l.so', LINKWATCH_SCUTIL: '/x/scutil' }, 'darwin'), { kind: 'getifaddrs', library: '/x/l.so', scutil: '/x/scutil' });
    assert.deepEqual(pickBackend({}, 'darwin'), { kind: 'getifaddrs', library: null, scutil: '/usr/sbin/scutil' });
  });
});

describe('core process: RAS through it', () => {
  it('reads what the state file says, with the same ids and fields as the in-process source', async () => {
    writeFakeRasState(stateFile, CONNECTIONS);
    const source = core();
    const viaCore = await source.read(OPTIONS);
    const direct = createRasSource(fake.path);
    try {
      assert.deepEqual(viaCore, await direct.read(OPTIONS));
    } finally {
      direct.close();
    }
    assert.deepEqual(
      viaCore.map((c) => c.id),
      CONNECTIONS.map((c) => fakeRasConnectionId(c.handle)),
    );
    assert.equal(source.status.state, 'running');
    assert.notEqual(source.status.pid, process.pid, 'read in another process');
    assert.equal(source.supports('hangUp'), true);
    assert.equal(source.supports('watch'), true, 'RAS pushes (RasConnectionNotificationW) from the core too');
    assert.equal(source.pollWhileConnecting, true, 'and its dialling steps come by no event: the monitor reads fast then');
  });

  it('hangs up through the core; a RAS error code crosses as a BackendError with its code and message', async () => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 2));
    const source = core();
    const listed = await source.read(OPTIONS);
    await source.hangUp!(listed[0]!.id);
    assert.deepEqual((await source.read(OPTIONS)).map((c) => c.id), [listed[1]!.id]);
    await rejectsWith(source.hangUp!('not-a-ras-id'), 'EINVAL', /Not a RAS connection id/);
    writeFakeRasState(stateFile, CONNECTIONS, { maxDwSize: [1000, 0] });
    await rejectsWith(source.read(OPTIONS), 632);
  });

  it('a library that cannot load is ELOAD from the core, and the core stays up', async () => {
    const source = core({ env: { ...process.env, LINKWATCH_RASAPI: '/nonexistent/rasapi32.so' } });
    await rejectsWith(source.read(OPTIONS), 'ELOAD', /\/nonexistent\/rasapi32\.so/);
    assert.equal(source.status.state, 'running');
    assert.equal(source.status.restarts, 0);
  });

  it('RAS push through the core: a connection written to the state file reaches the watcher in this process', async () => {
    writeFakeRasState(stateFile, []);
    const source = core();
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      await source.read(OPTIONS); // the core is up and subscribed
      writeFakeRasState(stateFile, [{ handle: 0x90, name: 'Pushed' }]);
      await until(() => changes > 0, 'the push from the core');
      assert.deepEqual(
        (await source.read(OPTIONS)).map((c) => c.id),
        [fakeRasConnectionId(0x90)],
      );
    } finally {
      unwatch();
    }
  });

  it('a RAS registration refused in the core reaches the watcher as onUnavailable, so that the monitor polls', async () => {
    const source = core({ env: { ...process.env, LINKWATCH_RASAPI: loadFakeRas('minimal').path } });
    const failures: unknown[] = [];
    const unwatch = source.watch!(
      () => {},
      (error) => failures.push(error.code),
    );
    try {
      await until(() => failures.length > 0, 'onUnavailable');
      assert.deepEqual(failures, ['ENOTSUP']);
    } finally {
      unwatch();
    }
  });

  it('watch where push is refused (a RAS library without RasConnectionNotificationW), one callback: the client says "changed" on a timer, as polling would', async () => {
    const source = core({ unsupportedPollMs: 50, env: { ...process.env, LINKWATCH_RASAPI: loadFakeRas('minimal').path } });
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    await until(() => changes >= 3, 'three polls');
    unwatch();
    const stopped = changes;
    await sleep(150);
    assert.equal(changes, stopped, 'no more after unwatch');
  });

  it('a 300 ms RasEnumConnectionsW blocks the core process, not this thread', async () => {
    const source = core();
    await source.read(OPTIONS);
    writeFakeRasState(stateFile, [], { delayMs: 300 });
    let ticks = 0;
    const timer = setInterval(() => ticks++, 10);
    const started = performance.now();
    await source.read(OPTIONS);
    clearInterval(timer);
    assert.ok(performance.now() - started >= 290, 'the delay knob works');
    assert.ok(ticks >= 15, `this thread kept ticking (${ticks})`);
  });
});

describe('core process: crashes and hangs', () => {
  it('a segfault: pending reads fail with ECORE naming the signal; meanwhile reads fail at once; then a fresh core answers', async () => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1), { delayMs: 2000 });
    const pids: number[] = [];
    const statuses: string[] = [];
    const source = core({ pids, restartDelaysMs: [400] });
    source.onStatusChange((status) => statuses.push(status.state));
    await until(() => source.status.state === 'running', 'the first core');
    const pending = source.read(OPTIONS);
    await sleep(100);
    process.kill(pids[0]!, 'SIGSEGV');
    await rejectsWith(pending, 'ECORE', /rasapi32 backend's core process was killed by SIGSEGV/);
    const barred = await rejectsWith(source.read(OPTIONS), 'ECORE', /killed by SIGSEGV \(restarting it in \d+ ms\)/);
    assert.ok(barred);
    assert.equal(source.status.state, 'restarting');
    assert.equal(source.status.restarts, 1);
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1));
    await until(() => source.status.state === 'running', 'the restarted core');
    assert.equal((await source.read(OPTIONS)).length, 1);
    assert.equal(pids.length, 2);
    assert.notEqual(source.status.pid, pids[0]);
    assert.deepEqual(statuses, ['running', 'restarting', 'running']);
  });

  it('a core that dies at once is restarted with growing back-off, not in a loop', async () => {
    const spawnedAt: number[] = [];
    const source = createCoreSource({
      backend: 'rasapi32',
      log: () => {},
      restartDelaysMs: [50, 200, 400],
      spawn: forkCore({ entry: new URL(`file://${join(dir, 'no-such-core.js')}`), stdio: 'ignore', onSpawn: () => spawnedAt.push(Date.now()) }),
    });
    sources.push(source);
    await until(() => source.status.restarts >= 3, 'three deaths');
    await rejectsWith(source.read(OPTIONS), 'ECORE', /core process exited with code 1 \(restarting it in/);
    // Between two starts: the time the core took to die plus the back-off, which grows 50 → 200 → 400 ms.
    const gaps = spawnedAt.slice(1).map((at, i) => at - spawnedAt[i]!);
    assert.ok(gaps.length >= 2, JSON.stringify(spawnedAt));
    assert.ok(gaps[0]! >= 50 && gaps[1]! >= 200, `gaps ${gaps.join(', ')} ms`);
    assert.ok(gaps[1]! > gaps[0]!, `back-off grows: ${gaps.join(', ')} ms`);
  });

  it('a call unanswered for callTimeoutMs: the hung core is killed and replaced', async () => {
    writeFakeRasState(stateFile, [], { delayMs: 60_000 });
    const pids: number[] = [];
    const source = core({ pids, callTimeoutMs: 300, restartDelaysMs: [50] });
    await rejectsWith(source.read(OPTIONS), 'ECORE', /was killed by SIGKILL/);
    await until(() => !pidAlive(pids[0]!), 'the hung core to be gone');
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1));
    await until(() => source.status.state === 'running' && pids.length === 2, 'its successor');
    assert.equal((await source.read(OPTIONS)).length, 1);
  });

  it('shutdown with a backend hung in a native call returns within the grace, and the core process is gone', async () => {
    writeFakeRasState(stateFile, [], { delayMs: 60_000 });
    const pids: number[] = [];
    const source = core({ pids, closeGraceMs: 500 });
    const read = source.read(OPTIONS).catch((error: { code: string }) => error.code);
    await sleep(300);
    const started = performance.now();
    await source.shutdown();
    const took = performance.now() - started;
    assert.ok(took < 1500, `shutdown took ${took.toFixed(0)} ms`);
    assert.equal(await read, 'ECORE');
    assert.equal(pidAlive(pids[0]!), false, 'no core process left behind');
  });

  it('a plain Node parent that exits leaves no core behind (the core exits on disconnect)', async () => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1));
    const script = join(dir, 'parent.mts');
    writeFileSync(
      script,
      [
        `import { createCoreSource } from ${JSON.stringify(new URL('../../../electron/core/host/core-client.ts', import.meta.url).href)};`,
        `import { forkCore } from ${JSON.stringify(new URL('../../../electron/core/host/fork-channel.ts', import.meta.url).href)};`,
        `let pid = 0;`,
        `const source = createCoreSource({ backend: 'rasapi32', spawn: forkCore({ entry: new URL(${JSON.stringify(CORE_ENTRY.href)}), execArgv: ['--import', 'tsx'], onSpawn: (p) => (pid = p) }) });`,
        `const list = await source.read({ counters: false });`,
        `console.log(JSON.stringify({ pid, count: list.length }));`,
        `process.exit(0);`,
      ].join('\n'),
    );
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: stateFile },
      timeout: 10_000,
    });
    const { pid, count } = JSON.parse(stdout.trim()) as { pid: number; count: number };
    assert.equal(count, 1);
    await until(() => !pidAlive(pid), 'the orphaned core to exit', 3000);
  });
});

describe('core process: netlink watch through it', () => {
  it('a tun device appearing in the namespace is pushed as onChange, and the re-read shows it', async (t) => {
    const usable = process.platform === 'linux' && process.getuid?.() === 0 && hasCommand('ip') && existsSync('/dev/net/tun');
    if (!skipUnless(t, usable, 'the netlink watch test needs Linux, root, ip and /dev/net/tun (a network namespace)')) return;
    const ns = `lw-core-${process.pid}`;
    const script = join(dir, 'watch-child.mts');
    writeFileSync(
      script,
      [
        "import { execFileSync } from 'node:child_process';",
        `import { createCoreSource } from ${JSON.stringify(new URL('../../../electron/core/host/core-client.ts', import.meta.url).href)};`,
        `import { forkCore } from ${JSON.stringify(new URL('../../../electron/core/host/fork-channel.ts', import.meta.url).href)};`,
        `const source = createCoreSource({ backend: 'netlink', spawn: forkCore({ entry: new URL(${JSON.stringify(CORE_ENTRY.href)}), execArgv: ['--import', 'tsx'] }) });`,
        'let changed = 0;',
        'const unwatch = source.watch(() => { changed++; });',
        'const before = await source.read({ counters: false });',
        "if (source.supports('watch') !== true) throw new Error('netlink core without watch');",
        'await new Promise((r) => setTimeout(r, 200));',
        'const since = performance.now();',
        "execFileSync('ip', ['tuntap', 'add', 'dev', 'lwcore0', 'mode', 'tun']);",
        'while (changed === 0 && performance.now() - since < 3000) await new Promise((r) => setTimeout(r, 10));',
        'const pushedMs = performance.now() - since;',
        'const after = await source.read({ counters: false });',
        'unwatch();',
        'await source.shutdown();',
        'console.log(JSON.stringify({ before: before.map((c) => c.deviceName), changed, pushedMs, after: after.map((c) => c.deviceName) }));',
      ].join('\n'),
    );
    spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    const add = spawnSync('ip', ['netns', 'add', ns], { encoding: 'utf8' });
    assert.equal(add.status, 0, `ip netns add: ${add.stderr}`);
    try {
      const { stdout } = await run('ip', ['netns', 'exec', ns, process.execPath, '--import', 'tsx', script], {
        timeout: 20_000,
        killSignal: 'SIGKILL',
        env: { ...process.env, LINKWATCH_RASAPI: '' },
      });
      const result = JSON.parse(stdout.trim().split('\n').pop()!) as { before: string[]; changed: number; pushedMs: number; after: string[] };
      t.diagnostic(`onChange ${result.changed}× within ${result.pushedMs.toFixed(1)} ms of ip tuntap add`);
      assert.deepEqual(result.before, []);
      assert.ok(result.changed >= 1, 'onChange fired');
      assert.deepEqual(result.after, ['lwcore0']);
    } finally {
      spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    }
  });
});

describe('core process: saved connections (issue 13) cross the protocol', () => {
  it('lists the phone book, dials with each RASCS_* step as a callback from the core, and cancels a hanging dial', async () => {
    const entriesFile = join(dir, 'entries.tsv');
    writeFakeRasEntries(entriesFile, [{ name: 'Office VPN', states: 3, stepMs: 5 }, { name: 'Stuck', outcome: 'hang', states: 2, stepMs: 5 }]);
    const source = core({ env: { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: stateFile, FAKE_RAS_ENTRIES: entriesFile } });
    assert.deepEqual(
      (await source.listEntries!())!.map((e) => e.name),
      ['Office VPN', 'Stuck'],
    );
    const steps: string[] = [];
    const last = await source.connect!('Office VPN', (p) => steps.push(p.detail));
    assert.deepEqual([...steps, last.detail], ['RASCS_OpenPort', 'RASCS_PortOpened', 'RASCS_ConnectDevice', 'RASCS_Connected']);
    let cancelling: Promise<void> | null = null;
    const stuck = await source.connect!('Stuck', (p) => {
      if (p.detail === 'RASCS_PortOpened') cancelling ??= source.cancel!(p.connectionId!);
    });
    await cancelling;
    assert.equal(stuck.phase, 'cancelled');
  });

  it('a dial longer than the call deadline (a slow modem) is not killed: it connects, and the core process is the same', async () => {
    const entriesFile = join(dir, 'entries-slow.tsv');
    // 8 steps of 300 ms: a 2.4 s dial against a 1.5 s call deadline (the other calls keep theirs).
    writeFakeRasEntries(entriesFile, [{ name: 'Slow modem', states: 8, stepMs: 300 }]);
    const pids: number[] = [];
    const source = core({ pids, callTimeoutMs: 1500, env: { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: stateFile, FAKE_RAS_ENTRIES: entriesFile } });
    await until(() => source.status.state === 'running', 'the core to start');
    await source.listEntries!();
    const steps: string[] = [];
    const started = Date.now();
    const last = await source.connect!('Slow modem', (p) => steps.push(p.detail));
    assert.ok(Date.now() - started > 1500, 'the dial outlasted the call deadline');
    assert.equal(last.phase, 'connected', JSON.stringify(last));
    assert.equal(steps.length, 8);
    assert.equal(source.status.restarts, 0);
    assert.equal(pids.length, 1);
  });
});
