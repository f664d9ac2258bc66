/**
 * History test data, one definition: a monitor update at a given time, a file recorded through the real
 * recorder with one session of each kind of end, and `linkwatch history` run in-process.
 */
import { join } from 'node:path';
import { runCli } from '../../electron/core/cli/cli-app';
import { HistoryRecorder } from '../../electron/core/history/history-recorder';
import type { Connection, MonitorUpdate } from '../../shared/connection';
import { connection } from './connections';
import { ScriptedSource } from './scripted-source';

export const T0 = Date.parse('2026-12-01T08:00:00Z');

/** The monitor's update with `connections` read at `time`. */
export function at(time: number, connections: Connection[]): MonitorUpdate {
  return { events: [], snapshot: { platform: 'win32', backend: 'rasapi32', updates: 'push', connections, error: null, takenAt: time, verdict: null } };
}

/**
 * A file in `folder` with three sessions: Office VPN dropped (error 628) after 30 min, Lab hung up after an
 * hour, Office VPN again a day later and still open (the app is still running: the CLI reads alongside).
 */
export function recordedHistory(folder: string): string {
  const path = join(folder, `recorded-${Math.random().toString(16).slice(2)}.sqlite`);
  let time = T0;
  const history = HistoryRecorder.open(path, { now: () => time });
  const office = connection({ id: 'ras:1', name: 'Office VPN', connectedSince: T0, bytesIn: 2048, bytesOut: 1024 });
  const lab = connection({ id: 'ras:2', name: 'Lab', connectedSince: T0 + 3_600_000, deviceName: 'WAN Miniport (SSTP)' });
  history.record(at(T0, [office]));
  history.record(at(T0 + 1_800_000, [{ ...office, state: 'disconnected', connectedSince: null, lastError: { code: 628, message: 'The connection was terminated by the remote computer.' } }]));
  history.record(at(T0 + 1_800_500, []));
  history.record(at(T0 + 3_600_000, [lab]));
  time = T0 + 7_200_000;
  history.noteHangUp('ras:2', Promise.resolve());
  history.record(at(T0 + 7_200_500, []));
  history.record(at(T0 + 86_400_000, [connection({ id: 'ras:3', name: 'Office VPN', connectedSince: T0 + 86_400_000 })]));
  return path;
}

/** `linkwatch <argv>` in-process, reading `historyPath`, its clock at `now`: the exit status and the output. */
export async function runHistoryCli(argv: string[], historyPath: string, now: number): Promise<{ status: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const status = await runCli(argv, {
    stdout: (text) => void (out += text),
    stderr: (text) => void (err += text),
    interrupted: new Promise<void>(() => {}),
    createSource: () => new ScriptedSource(),
    now: () => now,
    historyPath,
  });
  return { status, out, err };
}
