/**
 * How long one macOS snapshot takes through the real walker (getifaddrs over koffi, copy and decode every
 * entry, freeifaddrs, map to SourceConnection; with counters, the ifmibdata sysctl per interface) over the
 * fake libSystem, against C making the same calls on the same fake in the same run
 * (test/bench/libsystem-baseline.c, which builds no strings or objects). 8 and 64 utun interfaces, each with
 * an IPv4 address and a link-local IPv6 one. Linux only (the fake builds against glibc).
 * And the push path: a kernel event on the fake's kernel-event socket to the source's onChange (the parked
 * read on a libuv worker, the drain, the decode and the interface filter), against Node's own fs.read woken
 * by a datagram on a bare socket pair in the same run: what the reader adds over the wake-up itself.
 * Standalone: `tsx test/bench/darwin-snapshot.ts`.
 */
import { execFileSync } from 'node:child_process';
import { read as fsRead } from 'node:fs';
import koffi from 'koffi';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createDarwinSource } from '../../electron/core/platforms/darwin/darwin-source';
import { BUILD_DIR, FIXTURES_DIR, buildC } from '../support/fake-ras';
import { DARWIN, TUNNEL_FLAGS, loadFakeLibSystem } from '../support/fake-libsystem';
import { median, type BenchRow } from './bench-row';

export const DARWIN_BENCH_COUNTS = [8, 64] as const;
const SAMPLES = 41;

function baselinePath(): string {
  const source = join(import.meta.dirname, 'libsystem-baseline.c');
  return buildC(join(BUILD_DIR, 'libsystem-baseline'), [source], ['-ldl'], [source, join(FIXTURES_DIR, 'fake-libsystem.h'), join(import.meta.dirname, 'baseline-timing.h'), join(import.meta.dirname, 'baseline-dl.h')]);
}

/** Median µs per snapshot of the C baseline, per interface count. */
function runBaseline(library: string, counters: boolean, counts: readonly number[]): Map<number, number> {
  const out = execFileSync(baselinePath(), [library, counters ? '1' : '0', ...counts.map(String)], { encoding: 'utf8' });
  const result = new Map<number, number>();
  for (const line of out.trim().split('\n')) {
    const [n, ns] = line.split(' ').map(Number);
    result.set(n!, ns! / 1000);
  }
  return result;
}

function setUp(n: number): void {
  const fake = loadFakeLibSystem();
  fake.reset();
  for (let i = 0; i < n; i++) {
    fake.addInterface({
      name: `utun${i}`,
      index: 100 + i,
      mtu: 1380,
      addresses: [
        { address: `10.${i >> 8}.${i & 0xff}.2`, prefix: 24 },
        { address: `fe80::${i.toString(16)}`, prefix: 64 },
      ],
    });
  }
}

/** Median µs per createDarwinSource(fake).read(). */
async function measure(n: number, counters: boolean): Promise<number> {
  setUp(n);
  const source = createDarwinSource(loadFakeLibSystem().path);
  try {
    const batch = n >= 64 ? 50 : 500;
    for (let i = 0; i < 10 * batch; i++) await source.read({ counters });
    const samples: number[] = [];
    for (let s = 0; s < SAMPLES; s++) {
      const t0 = process.hrtime.bigint();
      for (let b = 0; b < batch; b++) {
        const connections = await source.read({ counters });
        if (connections.length !== n) throw new Error(`expected ${n} connections, read ${connections.length}`);
      }
      samples.push(Number(process.hrtime.bigint() - t0) / 1000 / batch);
    }
    return median(samples);
  } finally {
    source.close();
  }
}

const round = (x: number) => Math.round(x * 100) / 100;
const PUSH_ROUNDS = 400;

/** Median µs from a flag change of utun0 (the fake posts KEV_DL_SIFFLAGS) to onChange. */
async function measurePush(): Promise<number> {
  const fake = loadFakeLibSystem();
  fake.reset();
  fake.addInterface({ name: 'utun0', index: 100, addresses: [{ address: '10.0.0.2', prefix: 24 }] });
  const source = createDarwinSource(fake.path);
  let wake: (() => void) | null = null;
  const stop = source.watch!(() => wake?.());
  try {
    await new Promise((done) => setTimeout(done, 100));
    const samples: number[] = [];
    for (let i = 0; i < PUSH_ROUNDS; i++) {
      const changed = new Promise<void>((done) => (wake = done));
      const t0 = process.hrtime.bigint();
      fake.setFlags('utun0', i % 2 ? TUNNEL_FLAGS : TUNNEL_FLAGS & ~DARWIN.IFF_UP);
      await changed;
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    return median(samples);
  } finally {
    stop();
    fake.reset();
  }
}

/** Median µs from a send on a bare AF_UNIX datagram pair to Node's fs.read callback on the other end. */
async function measureBareWake(): Promise<number> {
  const libc = koffi.load('libc.so.6');
  const socketpair = libc.func('int socketpair(int domain, int type, int protocol, _Out_ int *sv)');
  const send = libc.func('intptr_t send(int fd, const void *buf, uintptr_t len, int flags)');
  const close = libc.func('int close(int fd)');
  const sv = [0, 0];
  if (socketpair(1, 2, 0, sv) !== 0) throw new Error('socketpair failed');
  const buf = Buffer.alloc(64 * 1024);
  const message = Buffer.alloc(48);
  try {
    const samples: number[] = [];
    for (let i = 0; i < PUSH_ROUNDS; i++) {
      const got = new Promise<void>((done, fail) => fsRead(sv[0]!, buf, 0, buf.length, null, (error) => (error ? fail(error) : done())));
      const t0 = process.hrtime.bigint();
      send(sv[1]!, message, message.length, 0);
      await got;
      samples.push(Number(process.hrtime.bigint() - t0) / 1000);
    }
    return median(samples);
  } finally {
    close(sv[0]!);
    close(sv[1]!);
  }
}

export async function runDarwinBench(): Promise<BenchRow[]> {
  const library = loadFakeLibSystem().path;
  const rows: BenchRow[] = [];
  for (const counters of [false, true]) {
    const measured = new Map<number, number>();
    for (const n of DARWIN_BENCH_COUNTS) measured.set(n, await measure(n, counters));
    const baseline = runBaseline(library, counters, DARWIN_BENCH_COUNTS);
    loadFakeLibSystem().reset();
    for (const n of DARWIN_BENCH_COUNTS) {
      const value = measured.get(n)!;
      const base = baseline.get(n)!;
      rows.push({
        name: `macOS snapshot, ${n} utun interfaces${counters ? ' + ifmibdata sysctl each' : ''} (koffi + decode vs C calls)`,
        value: round(value),
        unit: 'µs',
        baseline: round(base),
        ratio: round(value / base),
      });
    }
  }
  const push = await measurePush();
  const bare = await measureBareWake();
  rows.push({
    name: 'macOS push: kernel event to onChange over the fake (parked read, drain, decode, filter vs a bare fs.read wake-up)',
    value: round(push),
    unit: 'µs',
    baseline: round(bare),
    ratio: round(push / bare),
  });
  return rows;
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  const rows = await runDarwinBench();
  console.table(rows.map((r) => ({ name: r.name, [`value (${r.unit})`]: r.value, [`C (${r.unit})`]: r.baseline, ratio: r.ratio })));
}
