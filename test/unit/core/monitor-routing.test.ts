/**
 * The monitor's part of issue 25: each read carries the routing (`Connection.routing`, `Snapshot.verdict`);
 * a routes-only notification re-reads the routing alone and emits what changed; a routing reading that fails
 * leaves the list intact with no verdict. The CLI shows it in `list --json`, `list` and `watch --json`.
 */
import assert from 'node:assert/strict';
import { test, type TestContext } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import type { MonitorUpdate } from '../../../shared/connection';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { runCli } from '../../../electron/core/cli/cli-app';
import type { RouteEntry, RoutingReading } from '../../../electron/core/routing/routing-reading';
import { ScriptedSource, fail, sourceConnection } from '../../support/scripted-source';

async function eventually(condition: () => boolean, what: string, timeoutMs = 15_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for: ${what}`);
    await sleep(5);
  }
}

const route = (destination: string, iface: string, connectionId: string | null): RouteEntry => ({
  family: destination.includes(':') ? 6 : 4,
  destination,
  interface: iface,
  connectionId,
  gateway: null,
  table: 254,
  metric: 0,
  type: 'unicast',
  ownSubnet: false,
});

const SPLIT: RoutingReading = {
  routes: [route('0.0.0.0/0', 'eth0', null), route('10.99.0.0/16', 'tun0', 'tun:1')],
  rules: [],
  lookups: [{ family: 4, target: '198.51.100.1', interface: 'eth0', connectionId: null, gateway: null }],
  dns: { source: 'resolv.conf', used: [{ address: '192.168.1.1', interface: 'eth0', connectionId: null }], supplied: [] },
};
const FULL: RoutingReading = {
  ...SPLIT,
  routes: [...SPLIT.routes, route('0.0.0.0/1', 'tun0', 'tun:1'), route('128.0.0.0/1', 'tun0', 'tun:1'), route('::/0', 'eth0', null)],
  lookups: [
    { family: 4, target: '198.51.100.1', interface: 'tun0', connectionId: 'tun:1', gateway: null },
    { family: 6, target: '2001:db8::1', interface: 'eth0', connectionId: null, gateway: null },
  ],
};

function setup(t: TestContext) {
  const source = new ScriptedSource(true);
  source.pollWhileConnecting = false;
  source.connections = [sourceConnection({ id: 'tun:1', name: 'Office VPN', deviceName: 'tun0' })];
  source.useRouting(SPLIT);
  const monitor = new ConnectionMonitor(source, { safetyPollMs: 3_600_000 });
  t.after(() => monitor.close());
  const seen: MonitorUpdate[] = [];
  monitor.subscribe((update) => seen.push(update));
  return { source, monitor, seen };
}

test('a read carries each connection’s routing and the machine’s verdict', async (t) => {
  const { seen } = setup(t);
  await eventually(() => seen.length > 0, 'the first update');
  const snapshot = seen[0]!.snapshot;
  assert.deepEqual(snapshot.connections[0]!.routing, { ipv4: 'some', ipv6: 'none', networks: ['10.99.0.0/16'], dns: [] });
  assert.equal(snapshot.verdict?.ipv4, null);
  assert.equal(snapshot.verdict?.ipv4Interface, 'eth0');
  assert.deepEqual(snapshot.verdict?.dnsServers, [{ address: '192.168.1.1', via: null, interface: 'eth0' }]);
});

test('a routes-only notification re-reads the routing alone and emits the routing change and the new verdict', async (t) => {
  const { source, monitor, seen } = setup(t);
  await eventually(() => seen.length > 0, 'the first update');
  const readsBefore = source.reads.length;
  source.useRouting(FULL);
  source.notify('routing');
  await eventually(() => seen.length > 1, 'the routing update');
  const update = seen[1]!;
  assert.equal(source.reads.length, readsBefore, 'no connection was re-read');
  assert.deepEqual(monitor.readCounts, { full: 1, routingOnly: 1 });
  assert.deepEqual(update.events.map((e) => e.type === 'changed' && e.fields), [['routing']]);
  assert.equal(update.snapshot.connections[0]!.routing?.ipv4, 'all');
  assert.equal(update.snapshot.verdict?.ipv4, 'tun:1');
  assert.deepEqual(update.snapshot.verdict?.warnings, ['ipv6-bypass', 'dns-outside-tunnel']);
});

test('a routes-only notification that changes nothing emits nothing', async (t) => {
  const { source, seen } = setup(t);
  await eventually(() => seen.length > 0, 'the first update');
  source.notify('routing');
  await eventually(() => source.routingReads >= 2, 'the routing re-read');
  await sleep(20);
  assert.equal(seen.length, 1);
});

test('routes that cannot be read leave the list, with no routing and no verdict', async (t) => {
  const source = new ScriptedSource();
  source.connections = [sourceConnection({ id: 'tun:1', name: 'Office VPN' })];
  source.useRouting(fail('EACCES', 'no netlink for you'));
  const monitor = new ConnectionMonitor(source);
  t.after(() => monitor.close());
  const snapshot = await monitor.refresh();
  assert.equal(snapshot.error, null);
  assert.equal(snapshot.connections.length, 1);
  assert.equal(snapshot.connections[0]!.routing, null);
  assert.equal(snapshot.verdict, null);
});

function cli(source: ScriptedSource) {
  let out = '';
  let stop!: () => void;
  const interrupted = new Promise<void>((resolve) => (stop = resolve));
  const io = { stdout: (text: string) => void (out += text), stderr: () => {}, interrupted, createSource: () => source, now: () => Date.parse('2026-12-05T10:00:00Z') };
  return { io, stop, output: () => out };
}

test('list --json: routing per connection and the verdict at top level; list says it in words', async () => {
  const source = new ScriptedSource();
  source.connections = [sourceConnection({ id: 'tun:1', name: 'Office VPN', deviceName: 'tun0' })];
  source.useRouting(FULL);
  const json = cli(source);
  assert.equal(await runCli(['list', '--json'], json.io), 0);
  const printed = JSON.parse(json.output());
  assert.deepEqual(printed.connections[0].routing, { ipv4: 'all', ipv6: 'none', networks: ['0.0.0.0/1', '10.99.0.0/16', '128.0.0.0/1'], dns: [] });
  assert.equal(printed.verdict.ipv4, 'tun:1');
  assert.equal(printed.verdict.ipv6, null);
  assert.equal(printed.verdict.dns, null);
  const human = cli(source);
  assert.equal(await runCli(['list'], human.io), 0);
  assert.match(human.output(), /ROUTES/);
  assert.match(human.output(), /Office VPN .* all IPv4 {2}/, "all of IPv4 (its networks are within it)");
  assert.match(human.output(), /IPv4 traffic goes through Office VPN; IPv6 bypasses the VPN \(eth0\)\./);
  assert.match(human.output(), /Names are looked up outside the VPN \(192\.168\.1\.1\)\./);
  assert.match(human.output(), /Warning: IPv6 bypasses the VPN/);
});

test('watch --json prints the verdict as a line of its own whenever it changes', async () => {
  const source = new ScriptedSource(true);
  source.pollWhileConnecting = false;
  source.connections = [sourceConnection({ id: 'tun:1', name: 'Office VPN' })];
  source.useRouting(SPLIT);
  const run = cli(source);
  const done = runCli(['watch', '--json'], run.io);
  await eventually(() => run.output().includes('"verdict"'), 'the first verdict line');
  source.useRouting(FULL);
  source.notify('routing');
  await eventually(() => run.output().trim().split('\n').filter((l) => l.includes('"type":"verdict"')).length === 2, 'the second verdict line');
  run.stop();
  assert.equal(await done, 0);
  const verdicts = run.output().trim().split('\n').map((l) => JSON.parse(l)).filter((l) => l.type === 'verdict');
  assert.deepEqual(verdicts.map((v) => v.verdict.ipv4), [null, 'tun:1']);
});
