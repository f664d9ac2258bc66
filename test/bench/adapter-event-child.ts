/**
 * Run by test/bench/adapter-event.ts under Windows Node (Wine): how long from an adapter coming up in the
 * fake iphlpapi (its state set in-process; its own thread then calls the registered callbacks) to the
 * monitor's `added` event, on push (NotifyIpInterfaceChange + NotifyUnicastIpAddressChange, polling off)
 * and, as the baseline, on the monitor's 200 ms polling. Prints one JSON line: { push: ms[], poll: ms[] }.
 */
import { ConnectionMonitor } from '../../electron/core/monitor';
import type { ConnectionSource } from '../../electron/core/platforms/source';
import { createAdapterSource } from '../../electron/core/platforms/win32/adapter-source';
import { loadFakeIphlpapi, type FakeAdapter } from '../support/fake-iphlpapi';

const SAMPLES = Number(process.argv[2] ?? 20);
const ethernet: FakeAdapter = { ifIndex: 3, luid: 0x6000001000000n, ifType: 6, friendlyName: 'Ethernet', description: 'Intel(R) Ethernet Connection' };
const tunnel: FakeAdapter = { ifIndex: 17, luid: 0x35000002000000n, friendlyName: 'office', description: 'WireGuard Tunnel', addresses: ['10.6.0.2/32'] };
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

async function run(mode: 'push' | 'poll'): Promise<number[]> {
  const fake = loadFakeIphlpapi();
  fake.setState([ethernet]);
  const adapters = createAdapterSource(fake.path);
  // The baseline: the same source without its notifications, so the monitor polls it.
  const source: ConnectionSource = mode === 'push' ? adapters : { backend: adapters.backend, read: (o) => adapters.read(o), close: () => adapters.close() };
  const monitor = new ConnectionMonitor(source, mode === 'push' ? { pollIntervalMs: 3_600_000, safetyPollMs: 3_600_000 } : { pollIntervalMs: 200 });
  let waiting: { type: 'added' | 'removed'; resolve: () => void } | null = null;
  const unsubscribe = monitor.subscribe((update) => {
    if (waiting && update.events.some((e) => e.type === waiting!.type)) waiting.resolve();
  });
  const until = (type: 'added' | 'removed') => new Promise<void>((resolve) => (waiting = { type, resolve }));
  await sleep(300);
  const samples: number[] = [];
  for (let i = 0; i < SAMPLES; i++) {
    await sleep(20 + ((i * 37) % 50)); // not in step with the fake's 10 ms or the monitor's 200 ms
    const added = until('added');
    const t0 = performance.now();
    fake.setState([ethernet, tunnel]);
    await added;
    samples.push(performance.now() - t0);
    const removed = until('removed');
    fake.setState([ethernet]);
    await removed;
  }
  unsubscribe();
  monitor.close();
  await sleep(50);
  return samples;
}

const push = await run('push');
const poll = await run('poll');
process.stdout.write(`${JSON.stringify({ push, poll })}\n`);
