/**
 * `linkwatch entries | connect | disconnect`: argument parsing (property-based: any name a user can type reaches
 * the backend exactly as given, or is refused as usage) and the exit statuses, over an in-memory source.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { runCli } from '../../../electron/core/cli/cli-app';
import { parseSavedCommand } from '../../../electron/core/cli/saved-commands';
import type { ConnectionSource, DialProgress, SourceEntry } from '../../../electron/core/platforms/source';
import { sourceConnection } from '../../support/scripted-source';

/** A backend with saved entries that records what it was asked to dial; `outcome` decides each dial. */
function savedSource(entries: SourceEntry[], outcome: (name: string) => DialProgress) {
  const dialled: string[] = [];
  const hungUp: string[] = [];
  const up = [sourceConnection({ id: 'ras:7', name: 'Up now' })];
  const source: ConnectionSource = {
    backend: 'rasapi32',
    read: async () => up,
    hangUp: async (id) => void hungUp.push(id),
    listEntries: async () => entries,
    connect: async (name, onProgress) => {
      dialled.push(name);
      onProgress({ connectionId: 'ras:9', phase: 'dialling', detail: 'RASCS_OpenPort', error: null });
      return outcome(name);
    },
    close: () => {},
  };
  return { source, dialled, hungUp };
}

async function cli(argv: string[], source: ConnectionSource) {
  let out = '';
  let err = '';
  const status = await runCli(argv, {
    stdout: (t) => void (out += t),
    stderr: (t) => void (err += t),
    interrupted: new Promise(() => {}),
    createSource: () => source,
    now: () => Date.parse('2026-12-02T10:00:00Z'),
  });
  return { status, out, err };
}

const connected = (): DialProgress => ({ connectionId: 'ras:9', phase: 'connected', detail: 'RASCS_Connected', error: null });
const entry = (name: string): SourceEntry => ({ name, scope: 'user', kind: 'vpn', phonebook: 'C:\\pbk\\rasphone.pbk' });

describe('parseSavedCommand', () => {
  it('any non-empty name up to 256 characters is taken whole, exactly as given', () => {
    fc.assert(
      fc.property(fc.string({ minLength: 1, maxLength: 256, unit: 'grapheme-composite' }).filter((s) => s.length <= 256), (name) => {
        assert.deepEqual(parseSavedCommand(['connect', name]), { command: 'connect', name });
        assert.deepEqual(parseSavedCommand(['disconnect', name]), { command: 'disconnect', target: name });
      }),
      { seed: 13, numRuns: 300 },
    );
  });

  it('anything but exactly one argument is a usage error that says what was expected', () => {
    fc.assert(
      fc.property(fc.constantFrom('connect', 'disconnect'), fc.array(fc.string({ minLength: 1 }), { maxLength: 4 }).filter((a) => a.length !== 1), (command, rest) => {
        const parsed = parseSavedCommand([command, ...rest]);
        assert.ok('error' in parsed);
        assert.match(parsed.error, new RegExp(`"${command}" takes one argument`));
      }),
      { seed: 13, numRuns: 200 },
    );
    assert.ok('error' in parseSavedCommand(['connect', '']));
    assert.ok('error' in parseSavedCommand(['connect', 'x'.repeat(257)]));
    assert.ok('error' in parseSavedCommand(['entries', 'extra']));
  });

  it('through the whole command line: a listed name (spaces, Unicode, leading dashes after --) reaches the backend unchanged', async () => {
    await fc.assert(
      fc.asyncProperty(fc.string({ minLength: 1, maxLength: 60 }), async (name) => {
        const { source, dialled } = savedSource([entry(name)], connected);
        const { status, err } = await cli(['connect', '--', name], source);
        assert.equal(status, 0, err);
        assert.deepEqual(dialled, [name]);
      }),
      { seed: 13, numRuns: 60 },
    );
  });
});

/** A backend whose dial never ends by itself; cancel (RasHangUpW) ends it, unless `cancelHangs`. */
function hangingSource(options: { idAfter?: Promise<void>; cancelHangs?: boolean } = {}) {
  const cancelled: string[] = [];
  let finish: ((p: DialProgress) => void) | null = null;
  const source: ConnectionSource = {
    backend: 'rasapi32',
    read: async () => [],
    listEntries: async () => [entry('Office VPN')],
    connect: (_name, onProgress) =>
      new Promise((resolve) => {
        finish = resolve;
        void (options.idAfter ?? Promise.resolve()).then(() => onProgress({ connectionId: 'ras:9', phase: 'dialling', detail: 'RASCS_ConnectDevice', error: null }));
      }),
    cancel: async (id) => {
      cancelled.push(id);
      if (options.cancelHangs) return new Promise<void>(() => {});
      finish?.({ connectionId: id, phase: 'cancelled', detail: 'RASCS_Disconnected', error: null });
    },
    close: () => {},
  };
  return { source, cancelled };
}

async function interruptedCli(argv: string[], source: ConnectionSource, interruptAfter: (out: () => string) => Promise<void>) {
  let out = '';
  const status = await runCli(argv, {
    stdout: (t) => void (out += t),
    stderr: () => {},
    interrupted: interruptAfter(() => out),
    createSource: () => source,
    now: () => Date.parse('2026-12-02T10:00:00Z'),
  });
  return { status, out };
}

const afterOutput = (pattern: RegExp) => async (out: () => string) => {
  while (!pattern.test(out())) await new Promise((resolve) => setTimeout(resolve, 1));
};

describe('linkwatch connect: the first Ctrl-C/SIGTERM (issue 28)', () => {
  it('while dialling: the dial is hung up and connect ends with "cancelled" (1)', async () => {
    const { source, cancelled } = hangingSource();
    const { status, out } = await interruptedCli(['connect', 'Office VPN'], source, afterOutput(/RASCS_ConnectDevice/));
    assert.equal(status, 1);
    assert.deepEqual(cancelled, ['ras:9']);
    assert.match(out, /Office VPN: cancelled\n$/);
  });

  it('before the dial had its handle: hung up as soon as it has one', async () => {
    let release = () => {};
    const idAfter = new Promise<void>((resolve) => (release = resolve));
    const { source, cancelled } = hangingSource({ idAfter });
    const { status } = await interruptedCli(['connect', 'Office VPN'], source, async () => {
      await new Promise((resolve) => setTimeout(resolve, 5));
      setTimeout(release, 5);
    });
    assert.equal(status, 1);
    assert.deepEqual(cancelled, ['ras:9']);
  });

  it('a backend that never confirms the cancel does not keep the command waiting: it answers "cancelled" itself', async () => {
    const { source, cancelled } = hangingSource({ cancelHangs: true });
    const { status, out } = await interruptedCli(['connect', '--json', 'Office VPN'], source, afterOutput(/RASCS_ConnectDevice/));
    assert.equal(status, 1);
    assert.deepEqual(cancelled, ['ras:9']);
    assert.deepEqual(JSON.parse(out.trim().split('\n').at(-1)!).phase, 'cancelled');
  });
});

describe('linkwatch connect | entries | disconnect: exit statuses', () => {
  it('connect: 0 once connected, progress printed on the way', async () => {
    const { source } = savedSource([entry('Office VPN')], connected);
    const { status, out } = await cli(['connect', 'Office VPN'], source);
    assert.equal(status, 0);
    assert.match(out, /Office VPN: RASCS_OpenPort\n.*Office VPN: connected \(ras:9\)\n$/);
  });

  it('connect: 1 on failure, with the RAS code and message; --json ends with the error object', async () => {
    const failed = (): DialProgress => ({ connectionId: 'ras:9', phase: 'failed', detail: 'RASCS_Authenticate', error: { code: 691, message: 'Access denied' } });
    const { source } = savedSource([entry('Office VPN')], failed);
    const text = await cli(['connect', 'Office VPN'], source);
    assert.equal(text.status, 1);
    assert.equal(text.err, 'linkwatch: Office VPN: Access denied (691)\n');
    const json = await cli(['connect', '--json', 'Office VPN'], source);
    const lines = json.out.trim().split('\n').map((line) => JSON.parse(line));
    assert.deepEqual(lines.at(-1), { type: 'progress', time: '2026-12-02T10:00:00.000Z', name: 'Office VPN', connectionId: 'ras:9', phase: 'failed', detail: 'RASCS_Authenticate', error: { code: 691, message: 'Access denied' } });
  });

  it('connect: a name that is not saved is 1 (ENOENT) and nothing is dialled; no argument is usage (2)', async () => {
    const { source, dialled } = savedSource([entry('Office VPN')], connected);
    const { status, err } = await cli(['connect', 'Elsewhere'], source);
    assert.equal(status, 1);
    assert.match(err, /No saved connection named "Elsewhere" \(saved: "Office VPN"\) \(ENOENT\)/);
    assert.deepEqual(dialled, []);
    assert.equal((await cli(['connect'], source)).status, 2);
  });

  it('disconnect: by name or id hangs up that connection (0); an unknown one is 1', async () => {
    const { source, hungUp } = savedSource([], connected);
    assert.equal((await cli(['disconnect', 'Up now'], source)).status, 0);
    assert.equal((await cli(['disconnect', '--json', 'ras:7'], source)).status, 0);
    assert.deepEqual(hungUp, ['ras:7', 'ras:7']);
    const unknown = await cli(['disconnect', 'Nope'], source);
    assert.equal(unknown.status, 1);
    assert.match(unknown.err, /No active connection with the id or name "Nope"/);
  });

  it('entries --json: the documented object, the live connection matched by name and phone book', async () => {
    const { source } = savedSource([entry('Up now'), entry('Office VPN')], connected);
    const { status, out } = await cli(['entries', '--json'], source);
    assert.equal(status, 0);
    const printed = JSON.parse(out);
    assert.deepEqual(Object.keys(printed), ['platform', 'backend', 'available', 'entries', 'error']);
    assert.deepEqual(
      printed.entries.map((e: { name: string; connectionId: string | null }) => [e.name, e.connectionId]),
      [
        ['Up now', 'ras:7'],
        ['Office VPN', null],
      ],
    );
  });
});
