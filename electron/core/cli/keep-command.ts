/**
 * Keep connected from the command line, for headless machines: `linkwatch connect --keep "Office VPN"` dials
 * the entry (unless it is up) and keeps it connected until Ctrl-C; `linkwatch watch --keep "Office VPN"`
 * keeps it connected while it prints every change. Both print Keep connected's steps among the changes
 * (`{"type":"reconnect",…}` lines with --json, schema in README.md), with the same back-off as the app
 * (reconnect/keep-connected.ts). A Ctrl-C stops keeping it; the connection itself stays up.
 */
import type { MonitorEvent } from '../../../shared/connection';
import type { ReconnectEvent } from '../../../shared/reconnect';
import { toErrorInfo } from '../backend-error';
import type { ConnectionMonitor } from '../monitor';
import type { ConnectionSource, DialProgress } from '../platforms/source';
import { KeepConnected } from '../reconnect/keep-connected';
import { matchConnection, SavedConnections } from '../saved';
import { toJsonProgress } from './saved-commands';

export interface KeepIo {
  stdout: (text: string) => void;
  stderr: (text: string) => void;
  interrupted: Promise<void>;
  now: () => number;
}

export interface KeepPrinter {
  event(event: MonitorEvent, time: string): string;
}

/** One line for a Keep connected step: JSON as `watch --json` has it, or a readable line. */
export function formatReconnect(event: ReconnectEvent, json: boolean): string {
  if (json) return JSON.stringify({ ...event, time: new Date(event.at).toISOString() });
  const time = new Date(event.at).toISOString();
  const error = event.error ? `: ${event.error.message} (${event.error.code})` : '';
  switch (event.step) {
    case 'scheduled':
      return `${time}  ↻ ${event.name}: dropped; attempt 1 in ${Math.round((event.delayMs ?? 0) / 1000)} s`;
    case 'dialling':
      return `${time}  ↻ ${event.name}: attempt ${event.attempt} (${event.cause})`;
    case 'connected':
      return `${time}  ↻ ${event.name}: reconnected${event.downForMs === null ? '' : ` after ${Math.round(event.downForMs / 1000)} s`}`;
    case 'failed':
      return `${time}  ↻ ${event.name}: attempt ${event.attempt} failed${error}; next in ${Math.round((event.delayMs ?? 0) / 1000)} s`;
    case 'needs-user':
      return `${time}  ↻ ${event.name}: attempt ${event.attempt} failed${error}; not retrying (needs you)`;
    case 'stopped':
      return `${time}  ↻ ${event.name}: no longer kept (${event.cause})`;
  }
}

/**
 * Keep `names` connected until interrupted, printing monitor events (through `printer`) and reconnect steps.
 * `dialFirst`: bring the (single) entry up first, as `connect` does. Exit status: 0 when every kept entry is
 * up at the end, 1 otherwise (or when an entry does not exist).
 */
export async function runKeep(source: ConnectionSource, monitor: ConnectionMonitor, names: readonly string[], json: boolean, io: KeepIo, printer: KeepPrinter, dialFirst: boolean): Promise<number> {
  const saved = new SavedConnections(source, monitor, io.now);
  const state = await saved.refresh();
  const missing = names.filter((name) => !state.entries.some((entry) => entry.name === name));
  if (missing.length > 0) {
    const known = state.entries.map((e) => JSON.stringify(e.name)).join(', ') || 'none';
    const error = { code: 'ENOENT', message: `No saved connection named ${missing.map((n) => `"${n}"`).join(', ')} (saved: ${known})` };
    if (json) io.stdout(`${JSON.stringify({ type: 'error', time: new Date(io.now()).toISOString(), error })}\n`);
    else io.stderr(`linkwatch: ${error.message} (ENOENT)\n`);
    return 1;
  }
  const keep = new KeepConnected((name) => saved.connect(name));
  const offEvents = keep.onEvent((event) => io.stdout(`${formatReconnect(event, json)}\n`));
  const releaseHealth = monitor.wantHealth();
  const offHangUp = monitor.onHangUp((id) => keep.noteHangUp(id));
  const unsubscribe = monitor.subscribe((update) => {
    const time = new Date(io.now()).toISOString();
    for (const event of update.events) io.stdout(`${printer.event(event, time)}\n`);
    keep.observe(update.snapshot.connections, saved.state.entries);
  });
  try {
    await monitor.refresh();
    if (dialFirst) {
      const name = names[0]!;
      const entry = saved.state.entries.find((e) => e.name === name)!;
      if (matchConnection(entry, monitor.snapshot.connections)?.state !== 'connected') {
        const print = (progress: DialProgress): void => {
          const time = new Date(io.now()).toISOString();
          if (json) io.stdout(`${JSON.stringify(toJsonProgress(name, progress, time))}\n`);
          else io.stdout(`${time}  ${name}: ${progress.phase === 'dialling' ? progress.detail : progress.phase}${progress.error ? `: ${progress.error.message} (${progress.error.code})` : ''}\n`);
        };
        const last = await saved.connect(name, (progress) => progress.phase === 'dialling' && print(progress)).catch((caught: unknown): DialProgress => ({ connectionId: null, phase: 'failed', detail: 'error', error: toErrorInfo(caught) }));
        print(last);
        // Kept from here on, whether this first dial worked or not: a failure that needs the user ends it.
        if (last.phase !== 'connected') {
          await monitor.refresh();
          return 1;
        }
        await monitor.refresh();
      }
    }
    keep.setKept(names);
    keep.observe(monitor.snapshot.connections, saved.state.entries);
    await io.interrupted;
    const up = names.every((name) => {
      const entry = saved.state.entries.find((e) => e.name === name);
      return entry ? matchConnection(entry, monitor.snapshot.connections)?.state === 'connected' : false;
    });
    return up ? 0 : 1;
  } finally {
    unsubscribe();
    offHangUp();
    offEvents();
    releaseHealth();
    keep.dispose();
  }
}
