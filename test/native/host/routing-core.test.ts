/**
 * The routing reading crosses the core protocol (issue 25): the app's monitor over the core process (the Linux
 * backend, in this machine's own namespace) gets the verdict, and its interface for a public IPv4 address is
 * the one `ip route get` names here (a lookup: nothing is sent). A backend without readRouting answers ENOTSUP
 * through the core, which the monitor takes quietly as "no verdict".
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { it } from 'node:test';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { createCoreSource } from '../../../electron/core/host/core-client';
import { forkCore } from '../../../electron/core/host/fork-channel';
import { loadFakeRas } from '../../support/fake-ras';
import { startPrivateBus } from '../../support/resolved-bus';

const CORE_ENTRY = new URL('../../../electron/core/host/core-process.ts', import.meta.url);

function routeGet(target: string): string | null {
  const r = spawnSync('ip', ['-j', 'route', 'get', target], { encoding: 'utf8' });
  if (r.status !== 0) return null;
  const [route] = JSON.parse(r.stdout) as { dev?: string; type?: string }[];
  return route?.type && route.type !== 'unicast' ? null : (route?.dev ?? null);
}

it('readRouting through the core process: the verdict’s interface for a public IPv4 address is ip route get’s', { skip: process.platform !== 'linux' ? 'the Linux backend' : false }, async () => {
  // A bus with nothing on it: neither NetworkManager nor systemd-resolved (resolv.conf answers).
  const bus = startPrivateBus();
  const source = createCoreSource({
    backend: 'netlink',
    spawn: forkCore({ entry: CORE_ENTRY, execArgv: ['--import', 'tsx'], env: { ...process.env, DBUS_SYSTEM_BUS_ADDRESS: bus.address } }),
    log: () => {},
  });
  const monitor = new ConnectionMonitor(source, { platform: 'linux' });
  try {
    const snapshot = await monitor.refresh();
    assert.equal(snapshot.error, null);
    assert.ok(snapshot.verdict, 'a verdict came back through the core');
    assert.equal(snapshot.verdict.ipv4Interface, routeGet('198.51.100.1'));
    assert.equal(snapshot.verdict.ipv6Interface, routeGet('2001:db8::1'));
  } finally {
    monitor.close();
    await source.shutdown();
    bus.stop();
  }
});

it('a backend without readRouting (RAS alone), through the core: ENOTSUP, taken quietly as no verdict', async () => {
  loadFakeRas().reset();
  const source = createCoreSource({
    backend: 'rasapi32',
    // RAS alone (the contract fake) reads no routes.
    spawn: forkCore({ entry: CORE_ENTRY, execArgv: ['--import', 'tsx'], env: { ...process.env, LINKWATCH_RASAPI: loadFakeRas().path } }),
    log: () => {},
  });
  const warnings: string[] = [];
  const warn = console.warn;
  console.warn = (...args: unknown[]) => void warnings.push(args.join(' '));
  const monitor = new ConnectionMonitor(source, { platform: 'linux' });
  try {
    const snapshot = await monitor.refresh();
    assert.equal(snapshot.verdict, null);
    assert.deepEqual(warnings.filter((w) => w.includes('routes')), []);
  } finally {
    console.warn = warn;
    monitor.close();
    await source.shutdown();
  }
});
