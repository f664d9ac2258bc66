/**
 * Windows' safety read (read-cadence.ts): with push working and nobody looking, the monitor reads once a
 * minute, not every 5 s; while a RAS connection is connecting it reads at the connecting poll (its RASCS_*
 * steps raise no event). The cadence is data the core client knows before the core answers.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConnectionMonitor, DEFAULT_CONNECTING_POLL_MS } from '../../../../electron/core/monitor';
import { createCoreSource } from '../../../../electron/core/host/core-client';
import { WINDOWS_SAFETY_READ_MS } from '../../../../electron/core/platforms/win32/read-cadence';
import { ScriptedSource, sourceConnection } from '../../../support/scripted-source';

class WindowsLike extends ScriptedSource {
  readonly safetyReadMs = WINDOWS_SAFETY_READ_MS;
}

describe("Windows' safety read", () => {
  it('push working, nobody looking: one read a minute (was one every 5 s: 12 a minute)', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    const source = new WindowsLike(true);
    const monitor = new ConnectionMonitor(source);
    const unsubscribe = monitor.subscribe(() => {});
    try {
      await monitor.refresh();
      const first = source.reads.length;
      for (let s = 0; s < 59; s++) {
        t.mock.timers.tick(1000);
        await Promise.resolve();
      }
      assert.equal(source.reads.length - first, 0, 'no read in the first 59 s');
      t.mock.timers.tick(1000);
      for (let i = 0; i < 5; i++) await Promise.resolve();
      assert.equal(source.reads.length - first, 1, 'the safety read at 60 s');
    } finally {
      unsubscribe();
      monitor.close();
    }
  });

  it('while a RAS connection is connecting, the connecting poll reads (its steps raise no event)', async (t) => {
    t.mock.timers.enable({ apis: ['setTimeout', 'setInterval', 'Date'] });
    const source = new WindowsLike(true);
    source.connections = [sourceConnection({ id: 'ras:10', name: 'Office VPN', state: 'connecting' })];
    const monitor = new ConnectionMonitor(source);
    const unsubscribe = monitor.subscribe(() => {});
    try {
      await monitor.refresh();
      const first = source.reads.length;
      for (let i = 0; i < 4; i++) {
        t.mock.timers.tick(DEFAULT_CONNECTING_POLL_MS);
        for (let j = 0; j < 5; j++) await Promise.resolve();
      }
      assert.ok(source.reads.length - first >= 3, `${source.reads.length - first} reads in 1 s while connecting`);
    } finally {
      unsubscribe();
      monitor.close();
    }
  });

  it('the core client states the cadence for the Windows backends before the core answers, and none for the others', async () => {
    const spawn = () => ({ send: () => {}, kill: () => {} });
    const windows = createCoreSource({ backend: 'rasapi32+iphlpapi', spawn, log: () => {} });
    const linux = createCoreSource({ backend: 'netlink', spawn, log: () => {} });
    assert.equal(windows.safetyReadMs, 60_000);
    assert.equal(linux.safetyReadMs, undefined);
    windows.close();
    linux.close();
  });
});
