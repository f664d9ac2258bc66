import assert from 'node:assert/strict';
import { describe, it, test } from 'node:test';
import type { SourceDiagnosis } from '../../../shared/diagnostics';
import { runCli } from '../../../electron/core/cli/cli-app';
import { collectDiagnostics, formatDiagnostics, formatPolicy } from '../../../electron/core/diagnostics';
import { NO_POLICY } from '../../../shared/policy';
import { ConnectionMonitor } from '../../../electron/core/monitor';
import { fail, ScriptedSource, sourceConnection } from '../../support/scripted-source';

/** The source's own account, as the Windows backend gives it. */
const OWN: SourceDiagnosis = {
  parts: [
    { name: 'rasapi32', detail: 'rasapi32.dll', lastError: null },
    { name: 'iphlpapi', detail: 'iphlpapi.dll', lastError: { code: 87, message: 'GetIfEntry2 failed (error 87)' } },
  ],
  interfaces: [
    { name: 'office', description: 'Wintun Userspace Tunnel', type: 'IfType 53 (virtual)', state: 'IfOperStatusUp', addresses: ['10.6.0.2/32'], listed: true, reason: 'IfType 53 (virtual), description matches Wintun', connectionId: 'adapter:1' },
    { name: 'Ethernet', description: 'Intel(R) Ethernet', type: 'IfType 6 (Ethernet)', state: 'IfOperStatusUp', addresses: [], listed: false, reason: 'physical Ethernet', connectionId: null },
  ],
  notes: [],
};

class DiagnosableSource extends ScriptedSource {
  diagnose = async (): Promise<SourceDiagnosis> => OWN;
}

function io(source: ScriptedSource) {
  let out = '';
  let err = '';
  return {
    io: { stdout: (t: string) => void (out += t), stderr: (t: string) => void (err += t), interrupted: new Promise<void>(() => {}), createSource: () => source },
    output: () => out,
    errors: () => err,
  };
}

test('diagnose --json: the backend, push or poll, the connection count, each part and each interface with its reason', async () => {
  const source = new DiagnosableSource(true);
  source.connections = [sourceConnection({ id: 'adapter:1', name: 'office' })];
  const run = io(source);
  assert.equal(await runCli(['diagnose', '--json'], run.io), 0);
  const printed = JSON.parse(run.output());
  assert.deepEqual(Object.keys(printed), ['platform', 'backend', 'updates', 'error', 'connections', 'takenAt', 'parts', 'interfaces', 'notes', 'policy']);
  assert.equal(printed.policy, null, 'a source that reads no policy says so as null, not as "no policy"');
  assert.deepEqual([printed.backend, printed.updates, printed.connections, printed.error], ['scripted', 'push', 1, null]);
  assert.deepEqual(printed.parts, OWN.parts);
  assert.deepEqual(printed.interfaces, OWN.interfaces);
  assert.equal(source.watching, 0, 'the subscription is gone when diagnose has printed');
});

test('diagnose on a source without push says polling; one without its own diagnosis still names the backend and its error', async () => {
  const source = new ScriptedSource(false);
  source.failWith = fail(632, 'RasEnumConnectionsW failed');
  const run = io(source);
  assert.equal(await runCli(['diagnose', '--json'], run.io), 1, 'exit 1 when the backend failed, as list');
  const printed = JSON.parse(run.output());
  assert.equal(printed.updates, 'poll');
  assert.deepEqual(printed.parts, [{ name: 'scripted', detail: '', lastError: { code: 632, message: 'RasEnumConnectionsW failed' } }]);
  assert.deepEqual(printed.interfaces, []);
  assert.match(printed.notes[0], /lists no interfaces/);
});

test('the readable diagnose: one line per interface, listed or not and why; parts with their errors', async () => {
  const monitor = new ConnectionMonitor(new DiagnosableSource(true), { platform: 'win32' });
  const unsubscribe = monitor.subscribe(() => {});
  await monitor.refresh();
  const text = formatDiagnostics(await collectDiagnostics(monitor));
  unsubscribe();
  monitor.close();
  assert.match(text, /^Backend: scripted on win32, push notifications \(and a slow safety read\); 0 connections listed$/m);
  assert.match(text, /^ {2}iphlpapi +iphlpapi\.dll +error 87: GetIfEntry2 failed \(error 87\)$/m);
  assert.match(text, /^ {2}listed +office \(Wintun Userspace Tunnel\) +IfType 53 \(virtual\), description matches Wintun +10\.6\.0\.2\/32$/m);
  assert.match(text, /^ {2}not listed +Ethernet \(Intel\(R\) Ethernet\) +physical Ethernet +–$/m);
});

test('a backend whose diagnosis throws still gives the monitor view, with the reason as a note', async () => {
  const source = new DiagnosableSource(false);
  source.diagnose = async () => {
    throw new Error('worker gone');
  };
  const monitor = new ConnectionMonitor(source);
  await monitor.refresh();
  const d = await collectDiagnostics(monitor);
  monitor.close();
  assert.deepEqual([d.interfaces, d.notes], [[], ['the backend could not be asked: worker gone']]);
});

describe('diagnose: the policy in force', () => {
  it('says where it came from, what it locks and presets, whether controls are hidden, and what it ignored', () => {
    assert.deepEqual(
      formatPolicy({ source: '/etc/linkwatch/policy.json', locked: { notifications: false }, recommended: { historyDays: 30 }, hideConnectControls: true, problems: ['"theme" is not a Linkwatch setting and is ignored'] }),
      [
        'Policy: from /etc/linkwatch/policy.json',
        '  locked (set by your organisation): notifications = false',
        '  preset (the user may change): historyDays = 30',
        '  Connect/Disconnect: hidden (hideConnectControls)',
        '  ignored: "theme" is not a Linkwatch setting and is ignored',
      ],
    );
    assert.deepEqual(formatPolicy(NO_POLICY), ['Policy: none (no administrator policy on this machine)']);
  });
});
