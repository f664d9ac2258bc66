/**
 * The history wired to a monitor, wherever the monitor runs (main process, utility process): every update
 * recorded after the monitor's earlier listeners (the tray and the popup get theirs first), every hang-up
 * noted. Opening can fail (no node:sqlite, an unreadable file): then there is no history and the reason,
 * and the rest of the app runs as before.
 */
import { toErrorInfo } from '../backend-error';
import type { ConnectionMonitor } from '../monitor';
import { HistoryRecorder, type RecorderOptions } from './history-recorder';

export interface RecordingHistory {
  recorder: HistoryRecorder | null;
  /** Why there is no recorder, when there is none. */
  problem: string | null;
  /** Stop listening and close the file (quit). */
  stop(): void;
}

export function recordHistory(monitor: Pick<ConnectionMonitor, 'subscribe' | 'onHangUp'>, path: string, options: RecorderOptions = {}): RecordingHistory {
  let recorder: HistoryRecorder;
  try {
    recorder = HistoryRecorder.open(path, { timers: true, ...options });
  } catch (caught) {
    return { recorder: null, problem: `cannot open the history at ${path}: ${toErrorInfo(caught).message}`, stop: () => {} };
  }
  const offHangUp = monitor.onHangUp((id, done) => recorder.noteHangUp(id, done));
  const unsubscribe = monitor.subscribe((update) => recorder.record(update));
  return {
    recorder,
    problem: null,
    stop() {
      unsubscribe();
      offHangUp();
      recorder.close();
    },
  };
}
