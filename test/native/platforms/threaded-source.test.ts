/**
 * The backend on a worker thread (threaded-source.ts + source-worker.ts): same answers as in-thread, errors
 * with their codes, a main thread that keeps running while a native call blocks, a dead worker that becomes
 * an EWORKER error and is replaced (not in a loop), a close() that lets the process exit.
 *
 * The RAS backend runs over the contract fake, scripted through its FAKE_RAS_STATE file: the fake reads the
 * variable with getenv(), i.e. the process environment, which the main thread sets (a worker's process.env is
 * a copy), and every rasapi32 call re-reads the file, whichever thread makes it. The worker dlopen()s the same
 * library as the main thread (one instance per process).
 */
import assert from 'node:assert/strict';
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, before, describe, it } from 'node:test';
import { pathToFileURL } from 'node:url';
import { promisify } from 'node:util';
import { createSource, pickBackend } from '../../../electron/core/platforms/index';
import type { ConnectionSource } from '../../../electron/core/platforms/source';
import { createThreadedSource, startThreadedSource, type ThreadedSource, type ThreadedSourceOptions } from '../../../electron/core/platforms/threaded-source';
import { createRasSource } from '../../../electron/core/platforms/win32/ras-source';
import { RASCS, fakeRasConnectionId, loadFakeRas, writeFakeRasState, type FakeRasStateConnection } from '../../support/fake-ras';
import { skipUnless } from '../../support/skip';
import { hasCommand } from '../../support/tunnels';
import { rejectsWith } from '../../support/backend-errors';

const run = promisify(execFile);
const fake = loadFakeRas();
const OPTIONS = { counters: false };
const WORKER_URL = new URL('../../../electron/core/platforms/source-worker.ts', import.meta.url);
/**
 * tsx in the worker. `--import tsx` is not enough on Node 20: tsx registers its hooks in a worker thread only
 * from Node 22.22.3/24.11.1 on, so register them explicitly through tsx's API.
 */
const TSX_REGISTER = `import { register } from ${JSON.stringify(import.meta.resolve('tsx/esm/api'))}; register();`;
const TSX_EXEC_ARGV = ['--import', `data:text/javascript,${encodeURIComponent(TSX_REGISTER)}`];

const dir = mkdtempSync(join(tmpdir(), 'linkwatch-threaded-'));
const stateFile = join(dir, 'ras-state');
const sources: ConnectionSource[] = [];

function threaded(options: Partial<ThreadedSourceOptions> = {}): ThreadedSource {
  const source = createThreadedSource({
    workerUrl: WORKER_URL,
    execArgv: TSX_EXEC_ARGV,
    env: { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: stateFile },
    ...options,
  });
  sources.push(source);
  return source;
}

function inThread(): ConnectionSource {
  const source = createRasSource(fake.path);
  sources.push(source);
  return source;
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

const CONNECTIONS: FakeRasStateConnection[] = [
  { handle: 0x10, name: 'Office VPN', phonebook: 'C:\\Users\\me\\rasphone.pbk' },
  { handle: 0x20, name: '.5551234', deviceType: 'modem', deviceName: 'Standard 56000 bps Modem' },
  { handle: 0x30, name: 'Home', state: RASCS.Disconnected, error: 691 },
  { handle: 0x40, name: 'Dialling', state: RASCS.Authenticate },
];

before(() => {
  // The fake's getenv() sees the process environment, which only the main thread's process.env writes.
  process.env.FAKE_RAS_STATE = stateFile;
  fake.reset();
});
afterEach(() => {
  for (const source of sources.splice(0)) source.close();
  writeFakeRasState(stateFile, []);
});
after(() => {
  delete process.env.FAKE_RAS_STATE;
  fake.reset();
  rmSync(dir, { recursive: true, force: true });
});

describe('threaded source: the pick', () => {
  it('pickBackend names the backend createSource builds, and watch/hangUp exist exactly where the threaded source offers them', () => {
    for (const [env, platform] of [
      [{ LINKWATCH_RASAPI: '/x/rasapi32.so' }, 'linux'],
      [{}, 'win32'],
      [{}, 'linux'],
      [{}, 'darwin'],
      [{ LINKWATCH_LIBSYSTEM: '/x/libsystem.so' }, 'linux'],
      [{}, 'freebsd'],
    ] as const) {
      const pick = pickBackend(env, platform);
      const source = createSource(env, platform); // lazy: nothing native is loaded until a read
      try {
        assert.equal(source.backend, pick.kind);
        // The rule threaded-source.ts applies without building the source:
        assert.equal(typeof source.watch === 'function', ['netlink', 'getifaddrs', 'rasapi32'].includes(pick.kind), `${pick.kind}: watch`);
        assert.equal(typeof source.hangUp === 'function', pick.kind === 'rasapi32', `${pick.kind}: hangUp`);
      } finally {
        source.close();
      }
    }
    assert.deepEqual(pickBackend({ LINKWATCH_RASAPI: '/x/r.so' }, 'darwin'), { kind: 'rasapi32', library: '/x/r.so' });
    assert.deepEqual(pickBackend({}, 'win32'), { kind: 'rasapi32', library: 'rasapi32.dll' });
    assert.deepEqual(pickBackend({ LINKWATCH_LIBSYSTEM: '/x/l.so' }, 'linux'), { kind: 'getifaddrs', library: '/x/l.so' });
    assert.deepEqual(pickBackend({}, 'darwin'), { kind: 'getifaddrs', library: null });
  });

  it('the threaded RAS source knows its backend and capabilities before any worker starts', () => {
    const source = threaded({ workerUrl: new URL('file:///nonexistent/worker.js') });
    assert.equal(source.backend, 'rasapi32');
    assert.equal(typeof source.hangUp, 'function');
    assert.equal(typeof source.watch, 'function', 'RAS push (RasConnectionNotificationW) runs in the worker too');
  });
});

describe('threaded source: RAS through the worker', () => {
  it('reads what the state file says, with the same ids and fields as the in-thread source', async () => {
    writeFakeRasState(stateFile, CONNECTIONS);
    const viaWorker = await threaded().read(OPTIONS);
    const direct = await inThread().read(OPTIONS);
    assert.equal(viaWorker.length, CONNECTIONS.length);
    assert.deepEqual(viaWorker, direct);
    assert.deepEqual(
      viaWorker.map((c) => c.id),
      CONNECTIONS.map((c) => fakeRasConnectionId(c.handle)),
    );
    assert.equal(viaWorker.find((c) => c.name === 'Home')?.lastError?.code, 691);
  });

  it('sees a rewrite of the state file on the next read (the fake re-reads it from the worker thread)', async () => {
    const source = threaded();
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1));
    assert.equal((await source.read(OPTIONS)).length, 1);
    writeFakeRasState(stateFile, CONNECTIONS);
    assert.equal((await source.read(OPTIONS)).length, CONNECTIONS.length);
  });

  it('an older Windows (632 ERROR_INVALID_SIZE): the fallback runs in the worker and the answer is the same', async () => {
    writeFakeRasState(stateFile, CONNECTIONS, { maxDwSize: [1360, 564] });
    const viaWorker = await threaded().read(OPTIONS);
    assert.deepEqual(viaWorker, await inThread().read(OPTIONS));
    assert.equal(viaWorker.length, CONNECTIONS.length);
  });

  it('hangs up through the worker: RasHangUpW, the wait for ERROR_INVALID_HANDLE, then the connection is gone', async () => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 2));
    const source = threaded();
    const before = await source.read(OPTIONS);
    await source.hangUp!(before[0]!.id);
    assert.deepEqual(
      (await source.read(OPTIONS)).map((c) => c.id),
      [before[1]!.id],
    );
    await rejectsWith(source.hangUp!('not-a-ras-id'), 'EINVAL', /Not a RAS connection id/);
  });

  it('a RAS error code crosses the thread as a BackendError with the same code and message', async () => {
    writeFakeRasState(stateFile, CONNECTIONS, { maxDwSize: [1000, 0] });
    const viaWorker = await rejectsWith(threaded().read(OPTIONS), 632);
    const direct = await rejectsWith(inThread().read(OPTIONS), 632);
    assert.equal(viaWorker.message, direct.message);
  });

  it('a library that cannot load is a BackendError ELOAD naming the path', async () => {
    const source = threaded({ env: { ...process.env, LINKWATCH_RASAPI: '/nonexistent/rasapi32.so' } });
    await rejectsWith(source.read(OPTIONS), 'ELOAD', /Cannot load the RAS library \/nonexistent\/rasapi32\.so/);
  });

  it('a worker entry that cannot start is EWORKER, with the reason', async () => {
    const source = threaded({ workerUrl: pathToFileURL(join(dir, 'no-such-worker.js')) });
    await rejectsWith(source.read(OPTIONS), 'EWORKER', /worker thread failed: .*no-such-worker\.js/);
  });

  it('the app falls back to the same backend on its own thread when no worker can run, and says so', async () => {
    writeFakeRasState(stateFile, [{ handle: 0x71, name: 'Office' }]);
    const logged: string[] = [];
    const env = { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: stateFile };
    const source = await startThreadedSource({ workerUrl: pathToFileURL(join(dir, 'no-such-worker.js')), execArgv: TSX_EXEC_ARGV, env }, undefined, (m) => logged.push(m));
    sources.push(source);
    assert.equal(source.backend, 'rasapi32');
    assert.deepEqual((await source.read(OPTIONS)).map((c) => [c.id, c.name]), [['ras:71', 'Office']]);
    assert.equal(typeof source.hangUp, 'function', 'the in-thread RAS source can still hang up');
    assert.match(logged.join('\n'), /no-such-worker\.js.*reading connections on the main thread instead/);
  });

  it('a backend error is not a reason to leave the worker: the threaded source stays and reports it', async () => {
    const logged: string[] = [];
    const env = { ...process.env, LINKWATCH_RASAPI: '/nonexistent/rasapi32.so' };
    const source = await startThreadedSource({ workerUrl: WORKER_URL, execArgv: TSX_EXEC_ARGV, env }, undefined, (m) => logged.push(m));
    sources.push(source);
    assert.equal(typeof (source as ThreadedSource).crashWorker, 'function', 'still the threaded source');
    await rejectsWith(source.read(OPTIONS), 'ELOAD', /\/nonexistent\/rasapi32\.so/);
    assert.deepEqual(logged, []);
  });
});

/** Ticks of a 10 ms interval on this thread while `during` runs: how long the longest gap was. */
async function mainThreadGaps(during: () => Promise<unknown>): Promise<{ ticks: number; maxGapMs: number; tookMs: number }> {
  let last = performance.now();
  let maxGapMs = 0;
  let ticks = 0;
  const timer = setInterval(() => {
    const now = performance.now();
    maxGapMs = Math.max(maxGapMs, now - last);
    last = now;
    ticks++;
  }, 10);
  const started = performance.now();
  try {
    await during();
  } finally {
    clearInterval(timer);
  }
  const now = performance.now();
  maxGapMs = Math.max(maxGapMs, now - last);
  return { ticks, maxGapMs, tookMs: now - started };
}

describe('threaded source: a slow RasMan', () => {
  it('a 300 ms RasEnumConnectionsW blocks the worker, not the main thread; in-thread, it blocks the main thread', async (t) => {
    const source = threaded();
    await source.read(OPTIONS); // start the worker outside the measurement
    writeFakeRasState(stateFile, [], { delayMs: 300 });

    const viaWorker = await mainThreadGaps(() => source.read(OPTIONS));
    const direct = await mainThreadGaps(() => inThread().read(OPTIONS));
    t.diagnostic(
      `300 ms read via worker: took ${viaWorker.tookMs.toFixed(0)} ms, main thread ticked ${viaWorker.ticks}× (10 ms interval), ` +
        `longest gap ${viaWorker.maxGapMs.toFixed(1)} ms; in-thread: took ${direct.tookMs.toFixed(0)} ms, ticked ${direct.ticks}×, ` +
        `longest gap ${direct.maxGapMs.toFixed(1)} ms`,
    );
    assert.ok(viaWorker.tookMs >= 290, 'the delay knob works');
    assert.ok(viaWorker.ticks >= 15, `the main thread kept ticking (${viaWorker.ticks} ticks)`);
    assert.ok(viaWorker.maxGapMs < 100, `no long stall (${viaWorker.maxGapMs.toFixed(1)} ms)`);
    assert.ok(direct.maxGapMs >= 290, `in-thread the main thread stalls for the whole call (${direct.maxGapMs.toFixed(1)} ms)`);
    assert.ok(direct.ticks <= 1, `in-thread it cannot tick meanwhile (${direct.ticks} ticks)`);
  });
});

describe('threaded source: a worker that dies', () => {
  it('pending reads fail with EWORKER, the next read gets a fresh worker', async () => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1));
    const source = threaded({ minRestartIntervalMs: 0 });
    assert.equal((await source.read(OPTIONS)).length, 1);
    source.crashWorker();
    await rejectsWith(source.read(OPTIONS), 'EWORKER', /worker thread failed: crash requested/);
    assert.equal((await source.read(OPTIONS)).length, 1);
  });

  it('a worker is replaced at most once per minRestartIntervalMs: meanwhile reads fail at once with EWORKER', async () => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1));
    const source = threaded({ minRestartIntervalMs: 600 });
    await source.read(OPTIONS);
    const started = Date.now();
    source.crashWorker();
    await rejectsWith(source.read(OPTIONS), 'EWORKER', /crash requested/);
    const barred = await rejectsWith(source.read(OPTIONS), 'EWORKER', /crash requested.*restarting it in at most 1 s/);
    assert.ok(Date.now() - started < 600, `barred reads answer at once (${barred.message})`);
    await sleep(600 - (Date.now() - started) + 20);
    assert.equal((await source.read(OPTIONS)).length, 1);
  });
});

describe('threaded source: close', () => {
  /** A child Node process that runs `body` with a threaded RAS source, then must exit by itself. */
  async function childExits(body: string, timeoutMs = 5000): Promise<{ stdout: string; ms: number }> {
    const script = join(dir, `child-${Date.now()}.mts`);
    writeFileSync(
      script,
      [
        `import { createThreadedSource } from ${JSON.stringify(new URL('../../../electron/core/platforms/threaded-source.ts', import.meta.url).href)};`,
        `const source = createThreadedSource({ workerUrl: new URL(${JSON.stringify(WORKER_URL.href)}), execArgv: ${JSON.stringify(TSX_EXEC_ARGV)} });`,
        body,
      ].join('\n'),
    );
    const started = performance.now();
    const { stdout } = await run(process.execPath, ['--import', 'tsx', script], {
      env: { ...process.env, LINKWATCH_RASAPI: fake.path, FAKE_RAS_STATE: stateFile },
      timeout: timeoutMs,
      killSignal: 'SIGKILL',
    });
    return { stdout, ms: performance.now() - started };
  }

  it('after read and close, nothing keeps the process alive', async (t) => {
    writeFakeRasState(stateFile, CONNECTIONS);
    const { stdout, ms } = await childExits(
      ["const list = await source.read({ counters: false });", 'source.close();', 'console.log(`read ${list.length}`);'].join('\n'),
    );
    assert.equal(stdout.trim(), `read ${CONNECTIONS.length}`);
    t.diagnostic(`child exited ${ms.toFixed(0)} ms after start`);
  });

  it('a pending read keeps the process alive until it answers (nothing else does)', async () => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1), { delayMs: 300 });
    const { stdout } = await childExits(
      "source.read({ counters: false }).then((list) => { console.log(`read ${list.length}`); source.close(); });",
    );
    assert.equal(stdout.trim(), 'read 1');
  });

  it('close() while the worker is stuck in a native call: the process exits once the call returns', async (t) => {
    writeFakeRasState(stateFile, CONNECTIONS.slice(0, 1), { delayMs: 1500 });
    const { stdout, ms } = await childExits(
      [
        "source.read({ counters: false }).catch((error) => console.log(`read: ${error.code}`));",
        'setTimeout(() => source.close(), 300);',
      ].join('\n'),
    );
    assert.equal(stdout.trim(), 'read: EWORKER');
    t.diagnostic(`child exited ${ms.toFixed(0)} ms after start (the stuck call took 1500 ms)`);
  });
});

describe('threaded source: netlink watch through the worker', () => {
  it('a tun device appearing in the namespace is pushed as onChange, and the re-read shows it', async (t) => {
    const usable =
      process.platform === 'linux' && process.getuid?.() === 0 && hasCommand('ip') && existsSync('/dev/net/tun');
    if (!skipUnless(t, usable, 'the netlink watch test needs Linux, root, ip and /dev/net/tun (a network namespace)')) return;
    const ns = `lw-thr-${process.pid}`;
    const script = join(dir, 'watch-child.mts');
    writeFileSync(
      script,
      [
        "import { execFileSync } from 'node:child_process';",
        `import { createThreadedSource } from ${JSON.stringify(new URL('../../../electron/core/platforms/threaded-source.ts', import.meta.url).href)};`,
        `const source = createThreadedSource({ workerUrl: new URL(${JSON.stringify(WORKER_URL.href)}), execArgv: ${JSON.stringify(TSX_EXEC_ARGV)} });`,
        "if (source.backend !== 'netlink' || !source.watch) throw new Error(`expected netlink with watch, got ${source.backend}`);",
        'let changed = 0;',
        'const unwatch = source.watch(() => { changed++; });',
        "const before = await source.read({ counters: false });",
        'await new Promise((r) => setTimeout(r, 200));', // the subscription is made in the worker: let it land
        'const since = performance.now();',
        "execFileSync('ip', ['tuntap', 'add', 'dev', 'lwthr0', 'mode', 'tun']);",
        'while (changed === 0 && performance.now() - since < 3000) await new Promise((r) => setTimeout(r, 10));',
        'const pushedMs = performance.now() - since;',
        "const after = await source.read({ counters: false });",
        'unwatch();',
        'source.close();',
        "console.log(JSON.stringify({ before: before.map((c) => c.deviceName), changed, pushedMs, after: after.map((c) => c.deviceName) }));",
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
      assert.deepEqual(result.after, ['lwthr0']);
    } finally {
      spawnSync('ip', ['netns', 'delete', ns], { stdio: 'ignore' });
    }
  });
});

describe('threaded source: RAS push through the worker', () => {
  it('RasConnectionNotificationW runs in the worker: a connection written to the state file reaches the watcher', async () => {
    writeFakeRasState(stateFile, []);
    const source = threaded();
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      await source.read(OPTIONS); // the worker is up and subscribed
      writeFakeRasState(stateFile, [{ handle: 0x90, name: 'Pushed' }]);
      const deadline = Date.now() + 10_000;
      while (changes === 0) {
        if (Date.now() > deadline) throw new Error('no change reached the watcher');
        await sleep(5);
      }
      assert.deepEqual(
        (await source.read(OPTIONS)).map((c) => c.id),
        [fakeRasConnectionId(0x90)],
      );
    } finally {
      unwatch();
    }
  });

  it('a registration refused in the worker reaches the watcher as onUnavailable, so that the monitor polls', async () => {
    const minimal = loadFakeRas('minimal');
    const source = threaded({ env: { ...process.env, LINKWATCH_RASAPI: minimal.path } });
    const failures: unknown[] = [];
    const unwatch = source.watch!(
      () => {},
      (error) => failures.push(error.code),
    );
    try {
      const deadline = Date.now() + 10_000;
      while (failures.length === 0) {
        if (Date.now() > deadline) throw new Error('onUnavailable never came');
        await sleep(5);
      }
      assert.deepEqual(failures, ['ENOTSUP']);
    } finally {
      unwatch();
    }
  });
});

describe('threaded source: saved connections through the worker (the app\'s path)', () => {
  it('lists the phone book, dials with progress from RasDialFunc1 (delivered on the worker thread), and cancels a hanging dial', async () => {
    writeFakeRasState(stateFile, []);
    fake.reset();
    fake.addEntry({ name: 'Office VPN', states: 3, stepMs: 5 });
    fake.addEntry({ name: 'Stuck', outcome: 'hang', states: 2, stepMs: 5 });
    const source = threaded();
    assert.deepEqual(
      (await source.listEntries!())!.map((e) => e.name),
      ['Office VPN', 'Stuck'],
    );
    const steps: string[] = [];
    const last = await source.connect!('Office VPN', (p) => steps.push(p.detail));
    assert.deepEqual([...steps, last.detail], ['RASCS_OpenPort', 'RASCS_PortOpened', 'RASCS_ConnectDevice', 'RASCS_Connected']);
    assert.equal(last.phase, 'connected');

    let cancelling: Promise<void> | null = null;
    const stuck = await source.connect!('Stuck', (p) => {
      if (p.detail === 'RASCS_PortOpened') cancelling ??= source.cancel!(p.connectionId!);
    });
    await cancelling;
    assert.equal(stuck.phase, 'cancelled');
    fake.reset();
  });
});
