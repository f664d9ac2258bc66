import assert from 'node:assert/strict';
import { test } from 'node:test';
import { runCli } from '../../../electron/core/cli/cli-app';
import { fail, ScriptedSource, sourceConnection } from '../../support/scripted-source';

/** Runs the CLI in-process against a scripted source; `stop` plays the user's Ctrl-C. */
function harness(source: ScriptedSource) {
  let out = '';
  let err = '';
  let stop!: () => void;
  const interrupted = new Promise<void>((resolve) => (stop = resolve));
  const io = {
    stdout: (text: string) => void (out += text),
    stderr: (text: string) => void (err += text),
    interrupted,
    createSource: () => source,
    now: () => Date.parse('2026-11-25T10:00:00Z'),
  };
  return { io, stop, output: () => out, errors: () => err };
}

const office = sourceConnection({ id: 'ras:1', name: 'Office VPN', addresses: ['10.8.0.2/24'] });
const dialled = sourceConnection({
  id: 'ras:2',
  name: '.5551234',
  kind: 'dialup',
  deviceType: 'modem',
  deviceName: 'Standard 56000 bps Modem',
  adHoc: true,
  phoneNumber: '5551234',
});

test('list --json prints the documented object: platform, backend, updates, connections, error', async () => {
  const source = new ScriptedSource();
  source.connections = [office, dialled];
  const run = harness(source);
  assert.equal(await runCli(['list', '--json'], run.io), 0);
  const printed = JSON.parse(run.output());
  assert.deepEqual(Object.keys(printed), ['platform', 'backend', 'updates', 'connections', 'error', 'verdict']);
  assert.equal(printed.verdict, null, 'a backend that reads no routes gives no verdict');
  assert.equal(printed.connections[0].routing, null);
  assert.equal(printed.backend, 'scripted');
  assert.equal(printed.updates, 'poll', 'a source without watch() is polled, and list says so');
  assert.equal(printed.error, null);
  assert.deepEqual(
    printed.connections.map((c: Record<string, unknown>) => [c.id, c.name, c.kind, c.adHoc, c.state, c.phonebook]),
    [
      ['ras:1', 'Office VPN', 'vpn', false, 'connected', null],
      ['ras:2', '.5551234', 'dialup', true, 'connected', null],
    ],
  );
  for (const key of ['deviceType', 'deviceName', 'connectedSince', 'addresses']) assert.ok(key in printed.connections[0], key);
  assert.ok(source.closed, 'the backend is released before exit');
});

test('list --json with a backend error still prints the JSON, with error set, and exits non-zero', async () => {
  const source = new ScriptedSource();
  source.failWith = fail(621, 'The system could not open the phone book file.');
  const run = harness(source);
  assert.equal(await runCli(['list', '--json'], run.io), 1);
  const printed = JSON.parse(run.output());
  assert.deepEqual(printed.error, { code: 621, message: 'The system could not open the phone book file.' });
  assert.deepEqual(printed.connections, []);
});

test('list --json over a backend that hangs answers in time: the JSON with an ETIMEDOUT error, exit 1', async () => {
  const source = new ScriptedSource();
  source.stall = new Promise<void>(() => {});
  const run = harness(source);
  assert.equal(await runCli(['list', '--json'], { ...run.io, readTimeoutMs: 50 }), 1);
  const printed = JSON.parse(run.output());
  assert.deepEqual(printed.error, { code: 'ETIMEDOUT', message: 'The scripted backend has not answered for 50 ms' });
  assert.deepEqual(printed.connections, []);
});

test('list prints a readable table, the ad hoc number labelled, or a sentence when nothing is active', async () => {
  const source = new ScriptedSource();
  source.connections = [office, dialled];
  const run = harness(source);
  assert.equal(await runCli(['list'], run.io), 0);
  const lines = run.output().trimEnd().split('\n');
  assert.match(lines[0]!, /^NAME\s+KIND\s+STATE\s+DEVICE\s+ADDRESSES\s+UP FOR/);
  assert.match(lines[1]!, /^Office VPN\s+vpn\s+connected\s+WAN Miniport \(IKEv2\) · vpn\s+10\.8\.0\.2\/24\s+0s/);
  assert.match(lines[2]!, /^5551234 \(dialled without an entry\)\s+dialup/);

  const empty = harness(new ScriptedSource());
  assert.equal(await runCli(['list'], empty.io), 0);
  assert.equal(empty.output(), `No active dial-up or VPN connection (${process.platform} · scripted).\n`);
});

test('watch --json prints one JSON event per line until interrupted', async () => {
  const source = new ScriptedSource();
  source.connections = [office];
  const run = harness(source);
  const exit = runCli(['watch', '--json', '--interval', '10'], run.io);
  const lines = () => run.output().trim().split('\n').filter(Boolean).map((line) => JSON.parse(line));
  const waitFor = async (count: number) => {
    const deadline = Date.now() + 3000;
    while (lines().length < count) {
      if (Date.now() > deadline) throw new Error(`expected ${count} lines, got:\n${run.output()}`);
      await new Promise((resolve) => setTimeout(resolve, 5));
    }
  };
  await waitFor(1);
  source.connections = [{ ...office, state: 'paused', stateDetail: 'RASCS_Interactive' }];
  await waitFor(2);
  source.connections = [];
  await waitFor(3);
  run.stop();
  assert.equal(await exit, 0);
  const [added, changed, removed] = lines();
  assert.equal(added.type, 'added');
  assert.equal(added.connection.name, 'Office VPN');
  assert.equal(added.time, '2026-11-25T10:00:00.000Z');
  assert.equal(changed.type, 'changed');
  assert.deepEqual(changed.fields, ['state', 'stateDetail', 'connectedSince']);
  assert.equal(changed.connection.state, 'paused');
  assert.equal(removed.type, 'removed');
  assert.equal(removed.connection.id, 'ras:1');
  assert.ok(source.closed);
});

test('bad usage exits 2 with the reason and the usage on stderr', async () => {
  for (const argv of [[], ['frobnicate'], ['list', '--colour'], ['watch', '--interval', 'soon']]) {
    const run = harness(new ScriptedSource());
    assert.equal(await runCli(argv, run.io), 2, argv.join(' '));
    assert.match(run.errors(), /^linkwatch: /);
    assert.equal(run.output(), '');
  }
  const help = harness(new ScriptedSource());
  assert.equal(await runCli(['--help'], help.io), 0);
  assert.match(help.output(), /Usage: linkwatch <command>/);
});
