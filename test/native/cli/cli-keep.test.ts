/**
 * `linkwatch connect --keep "Office VPN"` over the RAS contract fake, in process (runCli with the fake's
 * source): it dials, keeps the entry connected across a drop (628) with the real 5 s back-off, prints the
 * steps as `watch --json` lines, and stops keeping it at Ctrl-C with the connection still up.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { runCli } from '../../../electron/core/cli/cli-app';
import { createRasSource } from '../../../electron/core/platforms/win32/ras-source';
import { parseRasConnectionId } from '../../../electron/core/platforms/win32/ras-decode';
import { loadFakeRas, RASCS } from '../../support/fake-ras';

const fake = loadFakeRas();
beforeEach(() => fake.reset());
afterEach(() => fake.reset());

async function eventually(what: string, condition: () => boolean, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

function start(args: string[]) {
  let out = '';
  let err = '';
  let interrupt = () => {};
  const interrupted = new Promise<void>((resolve) => (interrupt = resolve));
  const status = runCli(args, { stdout: (t) => void (out += t), stderr: (t) => void (err += t), interrupted, createSource: () => createRasSource(fake.path) });
  const lines = (): Record<string, unknown>[] => out.split('\n').filter(Boolean).map((line) => JSON.parse(line) as Record<string, unknown>);
  return { status, lines, interrupt, out: () => out, err: () => err };
}

describe('linkwatch connect --keep', () => {
  it('dials, redials after a drop (628) 5 s later, prints each step, and exits 0 at Ctrl-C while up', async () => {
    fake.addEntry({ name: 'Office VPN', stepMs: 5 });
    const run = start(['connect', '--keep', 'Office VPN', '--json']);
    await eventually('connected', () => run.lines().some((l) => l.type === 'progress' && l.phase === 'connected'));
    const first = run.lines().find((l) => l.type === 'progress' && l.phase === 'connected')!;
    await eventually('the connection listed', () => run.lines().some((l) => l.type === 'added'));
    const id = (run.lines().find((l) => l.type === 'added')!.connection as { id: string }).id;
    const handle = parseRasConnectionId(id)!;
    assert.ok(handle, `an id of the fake: ${id} (${JSON.stringify(first)})`);
    const droppedAt = Date.now();
    fake.setState(handle, RASCS.Disconnected, 628);
    await sleep(300);
    fake.remove(handle);
    await eventually('the redial', () => run.lines().some((l) => l.type === 'reconnect' && l.step === 'connected'), 30_000);
    const steps = run.lines().filter((l) => l.type === 'reconnect').map((l) => l.step);
    assert.deepEqual(steps, ['scheduled', 'dialling', 'connected']);
    const scheduled = run.lines().find((l) => l.type === 'reconnect' && l.step === 'scheduled')!;
    assert.equal(scheduled.delayMs, 5000);
    const dialled = run.lines().find((l) => l.type === 'reconnect' && l.step === 'dialling')!;
    assert.ok(Number(dialled.at) - droppedAt >= 4900, `redialled ${Number(dialled.at) - droppedAt} ms after the drop`);
    assert.equal(fake.dialCalls('RasDialW'), 2);
    await eventually('the new connection listed', () => run.lines().filter((l) => l.type === 'added').length >= 2);
    run.interrupt();
    assert.equal(await run.status, 0);
  });

  it('an unknown entry: exit 1 with the saved names; a missing name is a usage error', async () => {
    fake.addEntry({ name: 'Office VPN' });
    const run = start(['connect', '--keep', 'Nope']);
    assert.equal(await run.status, 1);
    assert.match(run.err(), /No saved connection named "Nope" \(saved: "Office VPN"\)/);
    const bad = start(['list', '--keep', 'Office VPN']);
    assert.equal(await bad.status, 2);
  });
});
