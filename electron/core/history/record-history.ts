/**
 * The history wired to a monitor, wherever the monitor runs: every update recorded (after the monitor's
 * earlier listeners: attach it after the tray's and the popup's, and they get theirs first), every hang-up
 * noted. Opening can fail (no node:sqlite, an unreadable file): then there is no history and the reason,
 * and the rest of the app runs as before.
 */
import { toErrorInfo } from '../backend-error';
import type { ConnectionMonitor } from '../monitor';
import { HistoryRecorder, type RecorderOptions } from './history-recorder';

type Monitor = Pick<ConnectionMonitor, 'subscribe' | 'onHangUp'>;

export interface OpenedHistory {
  recorder: HistoryRecorder | null;
  /** Why there is no recorder, when there is none. */
  problem: string | null;
  /** Start recording `monitor`'s updates and hang-ups; returns the function that stops it. */
  attach(monitor: Monitor): () => void;
  /** Stop recording and close the file (quit). */
  close(): void;
}

export function openHistory(path: string, options: RecorderOptions = {}): OpenedHistory {
  let recorder: HistoryRecorder;
  try {
    recorder = HistoryRecorder.open(path, options);
  } catch (caught) {
    return { recorder: null, problem: `cannot open the history at ${path}: ${toErrorInfo(caught).message}`, attach: () => () => {}, close: () => {} };
  }
  const detach = new Set<() => void>();
  return {
    recorder,
    problem: null,
    attach(monitor) {
      const offHangUp = monitor.onHangUp((id, done) => recorder.noteHangUp(id, done));
      const unsubscribe = monitor.subscribe((update) => recorder.record(update));
      const stop = (): void => {
        detach.delete(stop);
        unsubscribe();
        offHangUp();
      };
      detach.add(stop);
      return stop;
    },
    close() {
      for (const stop of [...detach]) stop();
      recorder.close();
    },
  };
}

/** Open and attach in one step (a host whose monitor has no other listener to go first). */
export function recordHistory(monitor: Monitor, path: string, options: RecorderOptions = {}): OpenedHistory {
  const history = openHistory(path, options);
  history.attach(monitor);
  return history;
}
