/**
 * The stall rule on the Windows backends' contract fakes, through the real sources and monitor: RAS
 * statistics (RasGetConnectionStatistics, 32-bit counters carried past 4 GiB by the backend) and iphlpapi's
 * 64-bit counters (GetIfEntry2). The monitor's clock is injected and moved 10 s per read (the hidden cadence),
 * so the scripted counters tell the story: both ways → healthy; sent only → stalled after 20 s; a reply →
 * healthy; nothing → quiet.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { HealthStatus } from '../../../shared/health';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { createAdapterSource } from '../../../electron/core/platforms/win32/adapter-source';
import { createRasSource } from '../../../electron/core/platforms/win32/ras-source';
import type { ConnectionSource } from '../../../electron/core/platforms/source';
import { loadFakeIphlpapi, type FakeAdapter } from '../../support/fake-iphlpapi';
import { loadFakeRas } from '../../support/fake-ras';

/** Reads at a 10 s step of the injected clock, applying `counters(step)` before each; the health after each. */
async function play(source: ConnectionSource, setCounters: (step: number) => void, steps: number): Promise<(HealthStatus | undefined)[]> {
  let now = 1_000_000;
  // Timers of the monitor stay far away: only the reads below happen.
  const monitor = new ConnectionMonitor(source, { now: () => now, pollIntervalMs: 3_600_000, safetyPollMs: 3_600_000, platform: 'win32' });
  const release = monitor.wantHealth();
  const off = monitor.subscribe(() => {});
  // The subscriber's first read finds nothing connected yet: counters are read from the next one on.
  await monitor.refresh();
  const seen: (HealthStatus | undefined)[] = [];
  try {
    for (let step = 0; step < steps; step += 1) {
      setCounters(step);
      await monitor.refresh();
      seen.push(monitor.snapshot.connections[0]?.health?.status);
      now += 10_000;
    }
  } finally {
    off();
    release();
    monitor.close();
  }
  return seen;
}

/** Counters per 10 s step: both ways for 2 steps, then sent only for 4, then a reply, then nothing for 3. */
const SCRIPT = (step: number): { sent: number; received: number } => {
  const sentSteps = Math.min(step, 7);
  const received = step <= 2 ? step : step >= 7 ? 3 : 2;
  return { sent: sentSteps * 1500, received: received * 1200 };
};
// verifying (first), healthy, healthy, [sent only:] healthy, healthy, stalled at 20 s of it, stalled, [reply]
// healthy, [nothing:] healthy, quiet at 20 s of nothing, quiet
const EXPECTED: HealthStatus[] = ['verifying', 'healthy', 'healthy', 'healthy', 'healthy', 'stalled', 'stalled', 'healthy', 'healthy', 'quiet', 'quiet'];

describe('the stall rule on the Windows contract fakes', () => {
  const ras = loadFakeRas();
  const iphlpapi = loadFakeIphlpapi();
  beforeEach(() => {
    ras.reset();
    iphlpapi.reset();
  });
  afterEach(() => {
    ras.reset();
    iphlpapi.reset();
  });

  it('RAS statistics (RasGetConnectionStatistics), counters past 4 GiB included', async () => {
    const handle = ras.add({ name: 'Office VPN' });
    const base = 2 ** 32 - 5000; // crosses 4 GiB on the way: carried, not a reset
    const seen = await play(createRasSource(ras.path), (step) => {
      const { sent, received } = SCRIPT(step);
      ras.setTraffic(handle, { bytesIn: BigInt(base + received) % 2n ** 32n, bytesOut: BigInt(base + sent) % 2n ** 32n });
    }, EXPECTED.length);
    assert.deepEqual(seen, EXPECTED);
  });

  it('iphlpapi counters (GetIfEntry2) of a WireGuard adapter', async () => {
    const wireguard: FakeAdapter = { ifIndex: 17, luid: 0x0035_0000_0200_0000n, friendlyName: 'Office WG', description: 'WireGuard Tunnel', addresses: ['10.6.0.2/24'] };
    iphlpapi.setState([{ ...wireguard, inOctets: 5_000_000_000n, outOctets: 7_000_000_000n }]);
    const seen = await play(createAdapterSource(iphlpapi.path), (step) => {
      const { sent, received } = SCRIPT(step);
      iphlpapi.setState([{ ...wireguard, inOctets: 5_000_000_000n + BigInt(received), outOctets: 7_000_000_000n + BigInt(sent) }]);
    }, EXPECTED.length);
    assert.deepEqual(seen, EXPECTED);
  });
});
