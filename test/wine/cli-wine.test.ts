/**
 * The documented command line under Windows Node (Wine): `linkwatch list --json` and `watch --json` end to
 * end, over the DLL build of the fake (driven from this Linux process through FAKE_RAS_STATE), and over Wine's
 * own rasapi32 — a real rasapi32.dll nobody here wrote, whose RAS is a stub: it must read as zero connections,
 * without an error or a crash.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { FAKE_SAVED_PASSWORD_PLACEHOLDER, fakeRasDllPath, RASCS, writeFakeRasEntries, writeFakeRasState } from '../support/fake-ras';
import { jsonLines, playWatchScenario, WATCH_SCENARIO_EVENTS, WATCH_SCENARIO_STATES } from '../support/watch-scenario';
import { runUnderWindowsNode, skipUnlessWindowsNode, startUnderWindowsNode, stopWine, windowsPath } from '../support/windows-node';

const CLI = 'electron/core/cli.ts';
const dir = mkdtempSync(join(tmpdir(), 'linkwatch-wine-cli-'));
const stateFile = join(dir, 'state.tsv');
after(() => {
  stopWine();
  rmSync(dir, { recursive: true, force: true });
});

const fakeEnv = () => ({ LINKWATCH_RASAPI: windowsPath(fakeRasDllPath()), FAKE_RAS_STATE: windowsPath(stateFile) });

async function waitFor<T>(what: string, probe: () => T | undefined, timeoutMs = 30_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}

describe('linkwatch entries | connect under Windows Node, over fake-rasapi32-lw.dll', () => {
  const entriesFile = join(dir, 'entries.tsv');
  const dialEnv = () => ({ ...fakeEnv(), FAKE_RAS_ENTRIES: windowsPath(entriesFile) });

  it('entries --json lists both phone books; connect prints each RASCS_* step (RasDialFunc1 on a Windows thread) and exits 0', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    writeFakeRasState(stateFile, []);
    writeFakeRasEntries(entriesFile, [{ name: 'Office VPN', states: 3, stepMs: 5 }, { name: 'Lab', allUsers: true }]);
    const listed = await runUnderWindowsNode(CLI, { args: ['entries', '--json'], env: dialEnv() });
    assert.equal(listed.status, 0, listed.stderr);
    assert.deepEqual(
      JSON.parse(listed.stdout).entries.map((e: Record<string, unknown>) => [e.name, e.scope]),
      [
        ['Office VPN', 'user'],
        ['Lab', 'allUsers'],
      ],
    );
    const run = await runUnderWindowsNode(CLI, { args: ['connect', '--json', 'Office VPN'], env: dialEnv() });
    assert.equal(run.status, 0, run.stderr);
    const steps = run.stdout.trim().split('\n').map((line) => JSON.parse(line) as { phase: string; detail: string });
    assert.deepEqual(
      steps.map((s) => [s.phase, s.detail]),
      [
        ['dialling', 'RASCS_OpenPort'],
        ['dialling', 'RASCS_PortOpened'],
        ['dialling', 'RASCS_ConnectDevice'],
        ['connected', 'RASCS_Connected'],
      ],
    );
  });

  it('connect of an entry without a saved password: exit 1, Windows\' dialog reported unavailable under Wine, no password anywhere', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    writeFakeRasEntries(entriesFile, [{ name: 'Ask me', saved: false }]);
    const run = await runUnderWindowsNode(CLI, { args: ['connect', 'Ask me'], env: dialEnv() });
    assert.equal(run.status, 1);
    assert.match(run.stderr, /No password is saved for "Ask me"; Windows' connect dialog cannot be shown here \(Wine .* has no rasphone\.exe\) \(ENOCREDENTIALS\)/);
    assert.ok(!`${run.stdout}${run.stderr}`.includes(FAKE_SAVED_PASSWORD_PLACEHOLDER));
  });
});

describe('linkwatch under Windows Node, over fake-rasapi32-lw.dll', () => {
  it('list --json prints the documented JSON: platform win32, the RAS connections with their true state', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    writeFakeRasState(stateFile, [
      { handle: 0x1001, name: 'Office VPN', phonebook: 'C:\\pbk\\rasphone.pbk' },
      { handle: 0x1002, name: '.5551234', deviceType: 'modem', deviceName: 'Standard 56000 bps Modem', state: RASCS.Authenticate },
      { handle: 0x1003, name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)', state: RASCS.Interactive },
    ]);
    const run = await runUnderWindowsNode(CLI, { args: ['list', '--json'], env: fakeEnv() });
    assert.equal(run.status, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.equal(printed.platform, 'win32');
    assert.equal(printed.backend, 'rasapi32');
    assert.equal(printed.updates, 'push', 'RasConnectionNotificationW on kernel32 events works');
    assert.equal(printed.error, null);
    assert.deepEqual(
      printed.connections.map((c: Record<string, unknown>) => [c.id, c.name, c.kind, c.phonebook, c.adHoc, c.state]),
      [
        ['ras:1001', 'Office VPN', 'vpn', 'C:\\pbk\\rasphone.pbk', false, 'connected'],
        ['ras:1002', '.5551234', 'dialup', null, true, 'connecting'],
        ['ras:1003', 'Home DSL', 'broadband', null, false, 'paused'],
      ],
    );
  });

  it('watch --json prints one event per line as this (Linux) process changes the connections', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    writeFakeRasState(stateFile, WATCH_SCENARIO_STATES[0]!);
    const child = await startUnderWindowsNode(CLI, { args: ['watch', '--json'], env: fakeEnv() });
    try {
      await playWatchScenario(stateFile, child.stdout, () => `${child.stdout()}\n${child.stderr()}`);
    } finally {
      child.signal('SIGINT');
    }
    const run = await child.exited;
    assert.equal(run.timedOut, false);
    assert.equal(run.status, 0, `SIGINT (a console Ctrl+C under Wine) ends the watch with status 0: ${run.stderr}`);
    assert.deepEqual(
      jsonLines(run.stdout).map((event) => [event.type, event.connection.id, event.connection.state]),
      WATCH_SCENARIO_EVENTS,
    );
  });
});

describe("linkwatch under Windows Node, over Wine's built-in rasapi32.dll", () => {
  // RAS alone (LINKWATCH_RASAPI names Wine's own DLL): on Windows the backend is RAS + adapters, and Wine's
  // real iphlpapi would add this machine's interfaces (test/wine/adapter-wine.test.ts covers that).
  const rasAlone = { LINKWATCH_RASAPI: 'rasapi32.dll' };
  it('list --json: zero connections, no error, exit 0; push refused, so polling, and it says so', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const run = await runUnderWindowsNode(CLI, { args: ['list', '--json', '--stats'], env: rasAlone });
    assert.equal(run.status, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.deepEqual([printed.platform, printed.backend, printed.updates, printed.connections, printed.error], ['win32', 'rasapi32', 'poll', [], null]);
    assert.match(run.stderr, /push notifications unavailable, polling instead: RasConnectionNotificationW failed/);
  });

  it('entries --json: Wine\'s RasEnumEntriesW lists an empty phone book: no entries, no error, exit 0', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const run = await runUnderWindowsNode(CLI, { args: ['entries', '--json'] });
    assert.equal(run.status, 0, run.stderr);
    const printed = JSON.parse(run.stdout);
    assert.deepEqual([printed.platform, printed.backend, printed.available, printed.entries, printed.error], ['win32', 'rasapi32+iphlpapi', true, [], null]);
  });

  it('watch --json runs on polling, prints nothing for an empty machine, and ends on SIGINT with 0', async (t) => {
    if (!skipUnlessWindowsNode(t)) return;
    const child = await startUnderWindowsNode(CLI, { args: ['watch', '--json', '--stats'], env: rasAlone });
    await waitFor('the fallback to polling', () => (/polling instead/.test(child.stderr()) ? true : undefined));
    await new Promise((resolve) => setTimeout(resolve, 1500)); // a few polls
    child.signal('SIGINT');
    const run = await child.exited;
    assert.equal(run.status, 0, run.stderr);
    assert.equal(run.stdout, '');
  });
});
