/**
 * The documented command line, end to end: `npm run cli -- …` in a child process, the RAS backend loaded
 * from LINKWATCH_RASAPI (the contract fake), the fake's connections set from another process through
 * FAKE_RAS_STATE. What a script calling Linkwatch sees.
 */
import assert from 'node:assert/strict';
import { execFile, spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { promisify } from 'node:util';
import { FAKE_SAVED_PASSWORD_PLACEHOLDER, fakeRasPath, RASCS, writeFakeRasEntries, writeFakeRasState } from '../../support/fake-ras';
import { jsonLines, playWatchScenario, WATCH_SCENARIO_EVENTS, WATCH_SCENARIO_STATES } from '../../support/watch-scenario';

const run = promisify(execFile);
const dir = mkdtempSync(join(tmpdir(), 'linkwatch-cli-'));
const stateFile = join(dir, 'state.tsv');
after(() => rmSync(dir, { recursive: true, force: true }));

const entriesFile = join(dir, 'entries.tsv');
const env = () => ({ ...process.env, LINKWATCH_RASAPI: fakeRasPath(), FAKE_RAS_STATE: stateFile, FAKE_RAS_ENTRIES: entriesFile });

/** `npm run cli -- args`: exit status and both streams, never throwing on a non-zero exit. */
async function cli(args: string[], environment: NodeJS.ProcessEnv = env()) {
  try {
    const { stdout, stderr } = await run('npm', ['run', 'cli', '--', ...args], { env: environment, timeout: 60_000 });
    return { status: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout: string; stderr: string };
    return { status: failed.code ?? -1, stdout: failed.stdout, stderr: failed.stderr };
  }
}

describe('npm run cli -- list', () => {
  it('--json prints only the documented JSON on stdout: the RAS connections with their true state', async () => {
    writeFakeRasState(stateFile, [
      { handle: 0x1001, name: 'Office VPN', deviceType: 'vpn', deviceName: 'WAN Miniport (IKEv2)', phonebook: 'C:\\pbk\\rasphone.pbk' },
      { handle: 0x1002, name: '.5551234', deviceType: 'modem', deviceName: 'Standard 56000 bps Modem', state: RASCS.Authenticate },
      { handle: 0x1003, name: 'Home DSL', deviceType: 'PPPoE', deviceName: 'WAN Miniport (PPPOE)', state: RASCS.Interactive },
    ]);
    const { status, stdout } = await cli(['list', '--json']);
    assert.equal(status, 0);
    const printed = JSON.parse(stdout);
    assert.equal(printed.backend, 'rasapi32');
    assert.equal(printed.platform, process.platform);
    assert.equal(printed.error, null);
    assert.deepEqual(
      printed.connections.map((c: Record<string, unknown>) => [c.id, c.name, c.kind, c.deviceType, c.phonebook, c.adHoc, c.state]),
      [
        ['ras:1001', 'Office VPN', 'vpn', 'vpn', 'C:\\pbk\\rasphone.pbk', false, 'connected'],
        ['ras:1002', '.5551234', 'dialup', 'modem', null, true, 'connecting'],
        ['ras:1003', 'Home DSL', 'broadband', 'PPPoE', null, false, 'paused'],
      ],
    );
  });

  it('prints a readable table by default', async () => {
    writeFakeRasState(stateFile, [{ handle: 0x2001, name: '.5551234', deviceType: 'modem', deviceName: 'Modem' }]);
    const { status, stdout } = await cli(['list']);
    assert.equal(status, 0);
    const [header, row] = stdout.trimEnd().split('\n');
    assert.match(header!, /^NAME\s+KIND\s+STATE/);
    assert.match(row!, /^5551234 \(dialled without an entry\)\s+dialup\s+connected\s+Modem · modem/);
  });

  it('zero connections: an empty list and exit 0', async () => {
    writeFakeRasState(stateFile, []);
    const { status, stdout } = await cli(['list', '--json']);
    assert.equal(status, 0);
    assert.deepEqual(JSON.parse(stdout).connections, []);
  });

  it('a backend that cannot load still prints the JSON, with error set, and exits non-zero', async () => {
    const missing = join(dir, 'no-such-rasapi32.so');
    const { status, stdout } = await cli(['list', '--json'], { ...process.env, LINKWATCH_RASAPI: missing });
    assert.equal(status, 1);
    const printed = JSON.parse(stdout);
    assert.equal(printed.error.code, 'ELOAD');
    assert.ok(printed.error.message.includes(missing), printed.error.message);
    assert.deepEqual(printed.connections, []);
  });

  it('bad usage exits 2 with the usage on stderr and nothing on stdout', async () => {
    const { status, stdout, stderr } = await cli(['lsit']);
    assert.equal(status, 2);
    assert.equal(stdout, '');
    assert.match(stderr, /unknown command "lsit"[\s\S]*Usage: linkwatch/);
  });
});

describe('npm run cli -- watch --json', () => {
  it('prints one JSON event per line as another process changes the connections, and exits 0 on SIGINT', async () => {
    writeFakeRasState(stateFile, WATCH_SCENARIO_STATES[0]!);
    // npm would swallow the signal: run the same entry point it runs, directly.
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/core/cli.ts', 'watch', '--json', '--interval', '50'], { env: env() });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    try {
      await playWatchScenario(stateFile, () => stdout);
    } finally {
      child.kill('SIGINT');
    }
    assert.equal(await exited, 0);
    const lines = jsonLines(stdout);
    assert.deepEqual(
      lines.map((event) => [event.type, event.connection.id, event.connection.state]),
      WATCH_SCENARIO_EVENTS,
    );
    assert.ok(lines[1]!.fields!.includes('state'));
    for (const event of lines) assert.ok(!Number.isNaN(Date.parse(event.time)), 'each line has an ISO time');
  });
});

describe('npm run cli -- entries | connect | disconnect (the fake phone book, another process)', () => {
  it('connect: the first SIGINT during a dial hangs it up and the process ends within a second (issue 28)', async () => {
    writeFakeRasState(stateFile, []);
    writeFakeRasEntries(entriesFile, [{ name: 'Stuck', outcome: 'hang', states: 2, stepMs: 5 }]);
    const child = spawn(process.execPath, ['--import', 'tsx', 'electron/core/cli.ts', 'connect', 'Stuck'], { env: env() });
    let stdout = '';
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
    const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
    const deadline = Date.now() + 30_000;
    while (!/RASCS_PortOpened/.test(stdout) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 10));
    const signalled = Date.now();
    child.kill('SIGINT');
    const status = await exited;
    const took = Date.now() - signalled;
    assert.ok(took < 1500, `exited ${took} ms after the first SIGINT`);
    assert.equal(status, 1);
    assert.match(stdout, /Stuck: cancelled\n$/);
  });

  it('entries --json: the saved entries with their book; connect prints each RASCS_* step and exits 0 once connected', async () => {
    writeFakeRasState(stateFile, []);
    writeFakeRasEntries(entriesFile, [{ name: 'Office VPN', states: 3, stepMs: 5 }, { name: 'Lab', allUsers: true }]);
    const listed = await cli(['entries', '--json']);
    assert.equal(listed.status, 0, listed.stderr);
    const printed = JSON.parse(listed.stdout);
    assert.deepEqual(
      printed.entries.map((e: Record<string, unknown>) => [e.name, e.scope, e.connectionId, e.dial]),
      [
        ['Office VPN', 'user', null, null],
        ['Lab', 'allUsers', null, null],
      ],
    );
    const { status, stdout } = await cli(['connect', 'Office VPN']);
    assert.equal(status, 0);
    const steps = stdout.trim().split('\n').map((line) => line.replace(/^\S+\s+/, ''));
    assert.deepEqual(steps.slice(0, -1), ['Office VPN: RASCS_OpenPort', 'Office VPN: RASCS_PortOpened', 'Office VPN: RASCS_ConnectDevice']);
    assert.match(steps.at(-1)!, /^Office VPN: connected \(ras:[0-9a-f]+\)$/);
  });

  it('connect --json of an entry whose credentials the server refuses: exit 1, the last line carries {"code": 691, …}; no password anywhere', async () => {
    writeFakeRasEntries(entriesFile, [{ name: 'Office VPN', outcome: 'fail', states: 6, error: 691, stepMs: 2 }]);
    const { status, stdout, stderr } = await cli(['connect', '--json', 'Office VPN']);
    assert.equal(status, 1);
    const last = JSON.parse(stdout.trim().split('\n').at(-1)!);
    assert.equal(last.phase, 'failed');
    assert.equal(last.error.code, 691);
    assert.match(last.error.message, /password is invalid/);
    assert.ok(!`${stdout}${stderr}`.includes(FAKE_SAVED_PASSWORD_PLACEHOLDER));
  });

  it('disconnect <name> hangs the connection up (0); an unknown name is 1', async () => {
    writeFakeRasState(stateFile, [{ handle: 0x3001, name: 'Office VPN' }]);
    const done = await cli(['disconnect', '--json', 'Office VPN']);
    assert.equal(done.status, 0, done.stderr);
    assert.deepEqual(JSON.parse(done.stdout), { disconnected: { id: 'ras:3001', name: 'Office VPN' }, error: null });
    const missing = await cli(['disconnect', 'Nowhere']);
    assert.equal(missing.status, 1);
    assert.match(missing.stderr, /No active connection with the id or name "Nowhere" \(ENOENT\)/);
  });
});
