/**
 * The real macOS backend (walker, sysctl counters, PF_ROUTE push) over the contract fake libSystem
 * (test/fixtures/fake-libsystem.c), on any OS: what the decoder tests cannot show (that the walker follows
 * real pointers into Darwin layouts, frees what it got, and survives the library's failures). What only a
 * Mac can show is test/native/platforms/darwin/real-mac.test.ts.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, beforeEach, describe, it } from 'node:test';
import fc from 'fast-check';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import type { MonitorUpdate, Snapshot } from '../../../../shared/connection';
import { ConnectionMonitor } from '../../../../electron/core/monitor';
import { createDarwinSource } from '../../../../electron/core/platforms/darwin/darwin-source';
import { createSource } from '../../../../electron/core/platforms/index';
import { createCoreSource } from '../../../../electron/core/host/core-client';
import { forkCore } from '../../../../electron/core/host/fork-channel';
import { rejectsWith } from '../../../support/backend-errors';
import { DARWIN, TUNNEL_FLAGS, loadFakeLibSystem, typicalMac, writeFakeLibSystemState, type FakeInterface } from '../../../support/fake-libsystem';

// The fake is built against Linux's libc (socketpair, ppoll, pipe2): on a Mac the real libSystem is tested
// instead (real-mac.test.ts), so this file does not apply there, as real-mac.test.ts does not apply here.
const notLinux = process.platform !== 'linux' ? `the fake libSystem builds on Linux only (this is ${process.platform}; real-mac.test.ts covers a Mac)` : false;
const fake = notLinux ? (null as unknown as ReturnType<typeof loadFakeLibSystem>) : loadFakeLibSystem();
const VPN: FakeInterface = {
  name: 'utun4',
  index: 20,
  mtu: 1400,
  addresses: [
    { address: '10.8.0.6', prefix: 24, peer: '10.8.0.1' },
    { address: 'fd00:8::6', prefix: 64 },
    { address: 'fe80::8:6', prefix: 64 },
  ],
};
const IPSEC: FakeInterface = { name: 'ipsec0', index: 21, mtu: 1280, addresses: [{ address: '10.9.0.2', prefix: 32 }] };
const PPP: FakeInterface = { name: 'ppp0', index: 22, type: DARWIN.IFT_PPP, addresses: [{ address: '10.1.1.2', prefix: 32, peer: '10.1.1.1' }] };

function setUp(interfaces: FakeInterface[]): void {
  fake.reset();
  for (const i of interfaces) fake.addInterface(i);
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
async function until(condition: () => boolean, ms = 2000): Promise<void> {
  const end = Date.now() + ms;
  while (!condition()) {
    if (Date.now() > end) throw new Error('timed out');
    await sleep(5);
  }
}

beforeEach(() => {
  if (!notLinux) setUp([]);
});

describe('macOS backend over the fake libSystem: the walker', { skip: notLinux }, () => {
  it('lists the VPN utun, ipsec and ppp, never the link-local-only utuns, loopback or Wi-Fi; every list is freed', async () => {
    setUp([...typicalMac(), VPN, IPSEC, PPP]);
    const list = await createDarwinSource(fake.path).read({ counters: false });
    assert.deepEqual(
      list.map((c) => [c.id, c.name, c.kind, c.deviceType, c.state, c.mtu]),
      [
        ['getifaddrs:utun4', 'VPN tunnel (utun4)', 'vpn', 'utun', 'connected', 1400],
        ['getifaddrs:ipsec0', 'IPsec (ipsec0)', 'vpn', 'ipsec', 'connected', 1280],
        ['getifaddrs:ppp0', 'PPP (ppp0)', 'other', 'ppp', 'connected', 1500],
      ],
    );
    assert.deepEqual(list[0]!.addresses, ['10.8.0.6/24', 'fd00:8::6/64'], 'link-local left out, prefixes from trimmed masks');
    assert.equal(list[0]!.stateDetail, 'UP,RUNNING,POINTOPOINT');
    assert.equal(fake.calls('getifaddrs'), 1);
    assert.equal(fake.calls('freeifaddrs'), 1);
    assert.equal(fake.liveLists(), 0);
  });

  it('reads interface names as text (issue 17 point 1: decoding ifa_name as a pointer crashed the process)', async () => {
    setUp([{ ...VPN, name: 'utun123456789' }]);
    const [c] = await createDarwinSource(fake.path).read({ counters: false });
    assert.equal(c?.deviceName, 'utun123456789');
  });

  it('issue 12 point 8: an IPv4 address whose netmask carries the AF_INET6 family reads /24, not /80', async () => {
    setUp([{ name: 'utun6', index: 30, addresses: [{ address: '10.6.0.2', prefix: 24, maskFamily: DARWIN.AF_INET6 }] }]);
    const [c] = await createDarwinSource(fake.path).read({ counters: false });
    assert.deepEqual(c?.addresses, ['10.6.0.2/24']);
  });

  it('a utun that is down is listed as disconnected; an empty machine is an empty list', async () => {
    setUp([{ ...VPN, flags: TUNNEL_FLAGS & ~DARWIN.IFF_UP }]);
    const source = createDarwinSource(fake.path);
    assert.equal((await source.read({ counters: false }))[0]?.state, 'disconnected');
    setUp([]);
    assert.deepEqual(await source.read({ counters: false }), []);
  });

  it('getifaddrs failing with errno is a BackendError naming it, and nothing leaks', async () => {
    setUp([VPN]);
    const source = createDarwinSource(fake.path);
    fake.failNext('getifaddrs', DARWIN.ENOMEM);
    await rejectsWith(source.read({ counters: false }), 'ENOMEM');
    assert.equal(fake.liveLists(), 0);
    assert.equal((await source.read({ counters: false })).length, 1, 'the next read works');
  });

  it('a library that cannot be loaded is ELOAD, not a crash', async () => {
    await rejectsWith(createDarwinSource('/nonexistent/libSystem.B.dylib').read({ counters: false }), 'ELOAD');
  });
});

describe('macOS backend over the fake libSystem: the walker on arbitrary machines (fast-check)', { skip: notLinux }, () => {
  const address = fc.oneof(
    fc.tuple(fc.nat(255), fc.nat(255), fc.integer({ min: 1, max: 254 }), fc.nat(32)).map(([b, c, d, prefix]) => ({ address: `10.${b}.${c}.${d}`, prefix, linkLocal: false })),
    fc.tuple(fc.integer({ min: 1, max: 0xffff }), fc.nat(128)).map(([n, prefix]) => ({ address: `fd00:17::${n.toString(16)}`, prefix, linkLocal: false })),
    fc.integer({ min: 1, max: 0xffff }).map((n) => ({ address: `fe80::${n.toString(16)}`, prefix: 64, linkLocal: true })),
  );
  const machine = fc.uniqueArray(
    fc.record({
      kind: fc.constantFrom('utun', 'ipsec', 'ppp', 'en', 'bridge', 'awdl'),
      unit: fc.nat(99),
      flags: fc.subarray([DARWIN.IFF_UP, DARWIN.IFF_RUNNING, DARWIN.IFF_POINTOPOINT, DARWIN.IFF_LOOPBACK]).map((f) => f.reduce((a, b) => a | b, 0)),
      addresses: fc.array(address, { maxLength: 6 }),
      ibytes: fc.nat(Number.MAX_SAFE_INTEGER),
    }),
    { maxLength: 12, selector: (i) => `${i.kind}${i.unit}` },
  );

  it('property: the listed connections are exactly the model\'s, with their addresses and exact counters', async () => {
    const source = createDarwinSource(fake.path);
    await fc.assert(
      fc.asyncProperty(machine, async (interfaces) => {
        setUp(interfaces.map((i, n) => ({ name: `${i.kind}${i.unit}`, index: n + 1, flags: i.flags, addresses: i.addresses, ibytes: BigInt(i.ibytes) })));
        const expected = interfaces
          .filter((i) => ['utun', 'ipsec', 'ppp'].includes(i.kind) && !(i.flags & DARWIN.IFF_LOOPBACK))
          .map((i) => ({ ...i, routable: i.addresses.filter((a) => !a.linkLocal) }))
          .filter((i) => i.kind !== 'utun' || i.routable.length > 0)
          .map((i) => [`${i.kind}${i.unit}`, i.routable.map((a) => `${a.address}/${a.prefix}`), i.ibytes]);
        const list = await source.read({ counters: true });
        assert.deepEqual(
          list.map((c) => [c.deviceName, c.addresses, c.bytesIn]),
          expected,
        );
        assert.equal(fake.liveLists(), 0);
      }),
      { seed: 0x17, numRuns: 300 },
    );
  });
});

describe('macOS backend over the fake libSystem: counters', { skip: notLinux }, () => {
  it('64-bit and exact from the ifmibdata sysctl (getifaddrs has them 32-bit and rounded to 1 KiB), only when wanted', async () => {
    setUp([{ ...VPN, ibytes: 5n * 2n ** 32n + 1234n, obytes: 777n }]);
    const source = createDarwinSource(fake.path);
    assert.equal((await source.read({ counters: false }))[0]?.bytesIn, null);
    assert.equal(fake.calls('sysctl'), 0, 'no sysctl while nobody wants counters');
    const [c] = await source.read({ counters: true });
    assert.deepEqual([c?.bytesIn, c?.bytesOut], [5 * 2 ** 32 + 1234, 777]);
    assert.equal(fake.calls('sysctl'), 1);
  });

  it('an index that vanished from sysctl (ENOENT) falls back to if_data: 32-bit, 1 KiB rounded', async () => {
    setUp([{ ...VPN, ibytes: 5n * 2n ** 32n + 4096n + 5n, obytes: 2047n }]);
    fake.vanishFromSysctl(VPN.index);
    const [c] = await createDarwinSource(fake.path).read({ counters: true });
    assert.deepEqual([c?.bytesIn, c?.bytesOut], [4096, 1024]);
  });

  it('with only if_data (sysctl refused), a 32-bit wrap keeps counting instead of going backwards', async () => {
    setUp([{ ...VPN, ibytes: 2n ** 32n - 8192n, obytes: 0n }]);
    fake.setSysctlErrno(DARWIN.EPERM);
    const source = createDarwinSource(fake.path);
    assert.equal((await source.read({ counters: true }))[0]?.bytesIn, 2 ** 32 - 8192);
    fake.setCounters(VPN.name, 2n ** 32n + 8192n, 0n);
    assert.equal((await source.read({ counters: true }))[0]?.bytesIn, 2 ** 32 + 8192);
  });
});

describe('macOS backend over the fake libSystem: push and the monitor', { skip: notLinux }, () => {
  it('connectedSince is when the monitor first saw it connected, and repeated reads change nothing', async () => {
    setUp([VPN]);
    let now = 1_800_000_000_000;
    const monitor = new ConnectionMonitor(createDarwinSource(fake.path), { platform: 'darwin', now: () => now });
    const updates: MonitorUpdate[] = [];
    const stop = monitor.subscribe((u) => updates.push(u));
    try {
      await until(() => updates.length > 0);
      assert.equal(monitor.snapshot.connections[0]?.connectedSince, 1_800_000_000_000);
      for (let i = 0; i < 3; i++) {
        now += 1000;
        await monitor.refresh();
      }
      assert.equal(monitor.snapshot.connections[0]?.connectedSince, 1_800_000_000_000);
      assert.equal(updates.flatMap((u) => u.events).filter((e) => e.type === 'changed').length, 0);
    } finally {
      stop();
      monitor.close();
    }
  });

  it('an address added to a system utun makes it a connection through its kernel event, though XNU sends it no RTM_NEWADDR', async () => {
    // in.c in_ifinit: a point-to-point interface's IPv4 address without a destination never reaches a
    // routing socket; KEV_INET_NEW_ADDR is posted all the same (the fake does both, as XNU does).
    setUp(typicalMac());
    const monitor = new ConnectionMonitor(createDarwinSource(fake.path), { pollIntervalMs: 60_000, safetyPollMs: 60_000 });
    let snapshot: Snapshot | null = null;
    const stop = monitor.subscribe((u) => (snapshot = u.snapshot));
    try {
      await until(() => snapshot !== null && fake.kevSockets() === 1);
      assert.equal(fake.routeSockets(), 0, 'the kernel-event socket opened: no routing socket');
      assert.equal(snapshot!.connections.length, 0);
      fake.addAddress('utun2', { address: '10.7.0.2', prefix: 16 });
      await until(() => snapshot!.connections.length === 1, 1500);
      assert.deepEqual(snapshot!.connections[0]!.addresses, ['10.7.0.2/16']);
      fake.clearAddresses('utun2');
      await until(() => snapshot!.connections.length === 0, 1500);
    } finally {
      stop();
      monitor.close();
    }
    await until(() => fake.kevSockets() === 0, 1500);
  });

  /** A kern_event_msg of the network class about `name` (net_event_data only, as dlil_post_msg posts). */
  function kernelEvent(subclass: number, code: number, name: string): Buffer {
    const m = Buffer.alloc(48);
    m.writeUInt32LE(48, 0);
    m.writeUInt32LE(1, 4); // KEV_VENDOR_APPLE
    m.writeUInt32LE(1, 8); // KEV_NETWORK_CLASS
    m.writeUInt32LE(subclass, 12);
    m.writeUInt32LE(code, 20);
    const [, family, unit] = /^([a-z]+)(\d+)$/.exec(name)!;
    m.writeUInt32LE(Number(unit), 28);
    m.write(family!, 32, 'latin1');
    return m;
  }

  it('watch over kernel events: a tunnel\'s flags say "changed"; en0, awdl0 and other subclasses do not; garbage does', async () => {
    setUp([...typicalMac(), VPN]);
    const source = createDarwinSource(fake.path);
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      await until(() => fake.kevSockets() === 1);
      fake.kevInject(kernelEvent(2, 1, 'en0')); // KEV_DL_SIFFLAGS on Wi-Fi
      fake.kevInject(kernelEvent(6, 1, 'awdl0')); // KEV_INET6_NEW_USER_ADDR on AirDrop's link
      fake.kevInject(kernelEvent(2, 7, 'utun4')); // KEV_DL_ADDMULTI: changes nothing listed
      fake.kevInject(kernelEvent(8, 1, 'utun4')); // KEV_NECP_SUBCLASS: not an interface event
      fake.setFlags('en0', DARWIN.IFF_UP | DARWIN.IFF_RUNNING); // the fake's own KEV_DL_SIFFLAGS, en0
      await sleep(150);
      assert.equal(changes, 0, 'nothing about a candidate interface');
      fake.setFlags(VPN.name, TUNNEL_FLAGS & ~DARWIN.IFF_UP);
      await until(() => changes === 1);
      fake.kevInject(Buffer.from([0xff, 0xff, 0, 0, 1, 2]));
      await until(() => changes === 2);
    } finally {
      unwatch();
    }
    await until(() => fake.kevSockets() === 0, 1500);
  });

  it('a drain of at least half the receive buffer counts as an overflow (XNU drops silently when full): one re-read', async () => {
    setUp([...typicalMac(), VPN]);
    // sb_max at 16 KiB: the reader asks for 256 KiB and is given 16 KiB (sbreserve cuts it to sb_max).
    fake.setReceiveBufferCap(16 * 1024);
    const source = createDarwinSource(fake.path);
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      await until(() => fake.kevSockets() === 1);
      assert.match((await source.diagnose!()).parts[0]!.detail, /kernel events .*receive buffer 16384 bytes/);
      // 20 events about en0: a small drain, filtered out. Then 250 in one go (12 000 bytes, over 8 KiB):
      // this thread is busy sending them all, so the reader finds them queued together.
      for (let i = 0; i < 20; i++) fake.kevInject(kernelEvent(2, 1, 'en0'));
      await sleep(150);
      assert.equal(changes, 0);
      for (let i = 0; i < 250; i++) fake.kevInject(kernelEvent(2, 1, 'en0'));
      await until(() => changes >= 1);
      await sleep(150);
      assert.equal(changes, 1, 'one burst, one re-read');
    } finally {
      unwatch();
    }
  });

  it('without a kernel-event socket, the routing socket: messages about indexes of other interfaces are dropped, new indexes count', async () => {
    setUp([...typicalMac(), VPN]);
    const source = createDarwinSource(fake.path);
    await source.read({ counters: false }); // learns the indexes (en0 is 6, utun4 20)
    fake.failNext('socket', DARWIN.EPROTONOSUPPORT); // socket(PF_SYSTEM) refused
    let changes = 0;
    const unwatch = source.watch!(() => changes++);
    try {
      await until(() => fake.routeSockets() === 1);
      assert.equal(fake.kevSockets(), 0);
      assert.match((await source.diagnose!()).parts[0]!.detail, /routing socket/);
      const ifinfo = (index: number): Buffer => {
        const m = Buffer.alloc(112);
        m.writeUInt16LE(112, 0);
        m[2] = 5; // RTM_VERSION
        m[3] = 0xe; // RTM_IFINFO
        m.writeUInt16LE(index, 12);
        return m;
      };
      const rtmAdd = Buffer.alloc(92);
      rtmAdd.writeUInt16LE(92, 0);
      rtmAdd[2] = 5;
      rtmAdd[3] = 0x1;
      fake.routeInject(rtmAdd);
      fake.routeInject(ifinfo(6));
      await sleep(150);
      assert.equal(changes, 0, 'RTM_ADD, and en0\'s RTM_IFINFO, say nothing about tunnels');
      fake.routeInject(ifinfo(20));
      await until(() => changes === 1);
      fake.routeInject(ifinfo(99)); // an index not seen yet: maybe a new utun
      await until(() => changes === 2);
      fake.routeOverflowNext();
      fake.routeInject(rtmAdd);
      await until(() => changes === 3);
    } finally {
      unwatch();
    }
    await until(() => fake.routeSockets() === 0, 1500);
  });

  it('neither socket can be opened: watch throws a BackendError and the monitor polls instead', async () => {
    setUp([VPN]);
    const source = createDarwinSource(fake.path);
    fake.failNext('socket', DARWIN.EAFNOSUPPORT); // PF_SYSTEM
    fake.failNext('socket', DARWIN.EAFNOSUPPORT); // then PF_ROUTE
    assert.throws(() => source.watch!(() => {}), (e: Error & { code?: unknown }) => e.code === 'EAFNOSUPPORT' && /PF_SYSTEM.*PF_ROUTE/.test(e.message));
    assert.equal(fake.kevSockets() + fake.routeSockets(), 0, 'nothing left open');
    fake.failNext('ioctl', DARWIN.ENOTSUP); // SIOCSKEVFILT refused: that socket is closed, the routing socket serves
    const unwatch = source.watch!(() => {});
    assert.deepEqual([fake.kevSockets(), fake.routeSockets()], [0, 1]);
    unwatch();
  });

  it('an exit never waits on the parked read, and never crashes: process.exit with the watch running, or right after stopping it', async () => {
    const child = fileURLToPath(new URL('../../../fixtures/darwin-exit-child.ts', import.meta.url));
    for (const mode of ['exit-while-watching', 'exit-after-unwatch'] as const) {
      for (let run = 0; run < 5; run++) {
        const started = performance.now();
        const result = await new Promise<{ code: number | null; signal: string | null; stderr: string }>((resolve) => {
          const p = execFile(process.execPath, ['--import', 'tsx', child, mode], { env: { ...process.env, LINKWATCH_LIBSYSTEM: fake.path }, timeout: 20_000 }, (_e, _o, stderr) =>
            resolve({ code: p.exitCode, signal: p.signalCode, stderr }),
          );
        });
        assert.deepEqual([result.code, result.signal], [0, null], `${mode} #${run}: ${result.stderr}`);
        assert.ok(performance.now() - started < 15_000, `${mode} #${run} took ${(performance.now() - started).toFixed(0)} ms`);
      }
    }
  });

  it("in the app's core process too: it reads the fake (through its state file) and serves watch itself, not by polling", async () => {
    // A separate process has its own copy of the fake: it is scripted through FAKE_LIBSYSTEM_STATE, and its
    // routing socket cannot be injected from here. What this proves: the core loads the backend over
    // LINKWATCH_LIBSYSTEM, and its watch subscription is made there (a failed one would be emulated by
    // calling onChange every 200 ms, which a quiet fake never does).
    const dir = mkdtempSync(join(tmpdir(), 'linkwatch-darwin-core-'));
    const state = join(dir, 'state');
    writeFakeLibSystemState(state, [VPN]);
    const source = createCoreSource({
      backend: 'getifaddrs',
      spawn: forkCore({
        entry: new URL('../../../../electron/core/host/core-process.ts', import.meta.url),
        execArgv: ['--import', 'tsx'],
        env: { ...process.env, LINKWATCH_LIBSYSTEM: fake.path, FAKE_LIBSYSTEM_STATE: state },
      }),
    });
    try {
      assert.equal((await source.read({ counters: false }))[0]?.id, 'getifaddrs:utun4');
      assert.equal(source.supports('watch'), true);
      let changes = 0;
      const unwatch = source.watch!(() => changes++);
      await new Promise((done) => setTimeout(done, 600));
      assert.equal(changes, 0, 'no polling fallback: the subscription is the routing socket in the core');
      unwatch();
    } finally {
      await source.shutdown();
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('LINKWATCH_LIBSYSTEM picks the getifaddrs backend on this OS, over the fake', async () => {
    setUp([VPN]);
    const source = createSource({ LINKWATCH_LIBSYSTEM: fake.path }, process.platform);
    assert.equal(source.backend, 'getifaddrs');
    assert.equal((await source.read({ counters: false }))[0]?.id, 'getifaddrs:utun4');
  });
});

describe('linkwatch list --json over the fake libSystem (a child process, LINKWATCH_LIBSYSTEM)', { skip: notLinux }, () => {
  const dir = mkdtempSync(join(tmpdir(), 'linkwatch-darwin-'));
  after(() => rmSync(dir, { recursive: true, force: true }));
  const CLI = fileURLToPath(new URL('../../../../bin/linkwatch.js', import.meta.url));

  it('prints backend getifaddrs, the VPN utun with its addresses, no link-local-only utun, and exits 0', async () => {
    const state = join(dir, 'state');
    writeFakeLibSystemState(state, [...typicalMac(), VPN]);
    const { stdout } = await promisify(execFile)(process.execPath, [CLI, 'list', '--json'], {
      env: { ...process.env, LINKWATCH_LIBSYSTEM: fake.path, FAKE_LIBSYSTEM_STATE: state },
      timeout: 30_000,
    });
    const snapshot = JSON.parse(stdout) as Snapshot;
    assert.equal(snapshot.backend, 'getifaddrs');
    assert.equal(snapshot.error, null);
    assert.deepEqual(
      snapshot.connections.map((c) => [c.deviceName, c.addresses]),
      [['utun4', ['10.8.0.6/24', 'fd00:8::6/64']]],
    );
  });
});
