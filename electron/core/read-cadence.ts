/**
 * When the monitor reads next, as a pure function of what is going on: whether the OS pushes changes (and
 * whether that push can miss one without saying so), whether someone looks, wants counters, or a connection
 * is connecting without notifications. `null` means no timer at all: the next read comes from a push signal.
 */

export const DEFAULT_POLL_INTERVAL_MS = 1000;
export const DEFAULT_LIVE_POLL_INTERVAL_MS = 250;
export const DEFAULT_SAFETY_POLL_MS = 5000;
export const DEFAULT_CONNECTING_POLL_MS = 250;
export const DEFAULT_COUNTERS_INTERVAL_MS = 1000;

/** What decides when the monitor reads next. */
export interface ReadCadence {
  /** Push notifications work: a change is read when it is signalled. */
  push: boolean;
  /** Someone looks (the popup is open): a change must show within a quarter second. */
  live: boolean;
  /** Someone wants byte counters and rates (the open popup, `watch --stats`). */
  counters: boolean;
  /** A connection is connecting and the source notifies no progress (RASCS_* steps): ConnectionSource.pollWhileConnecting. */
  connecting: boolean;
}

export interface ReadIntervals {
  /** Without push, nobody looking. */
  pollIntervalMs: number;
  /** Without complete push, someone looking. */
  livePollIntervalMs: number;
  /** With push that can miss a change silently; null where push reports its own losses (ConnectionSource.safetyPollMs). */
  safetyPollMs: number | null;
  connectingPollMs: number;
  countersIntervalMs: number;
}

export const DEFAULT_READ_INTERVALS: ReadIntervals = {
  pollIntervalMs: DEFAULT_POLL_INTERVAL_MS,
  livePollIntervalMs: DEFAULT_LIVE_POLL_INTERVAL_MS,
  safetyPollMs: DEFAULT_SAFETY_POLL_MS,
  connectingPollMs: DEFAULT_CONNECTING_POLL_MS,
  countersIntervalMs: DEFAULT_COUNTERS_INTERVAL_MS,
};

/**
 * The delay before the next scheduled read, or null for none. Nobody looking: without push a slow poll; with
 * push only the safety read, and none at all where push is complete (rtnetlink: every change, and ENOBUFS
 * when it had to drop some). Someone looking: the live poll where push is missing or incomplete, since RAS
 * signals only a connection's arrival at RASCS_Connected and its end, not a dial starting or its steps.
 * Counters have no notification anywhere: they refresh on their own period, only while someone wants them.
 * A connecting connection whose steps raise no event is read fast, whoever looks.
 */
export function nextReadDelay(cadence: ReadCadence, intervals: ReadIntervals = DEFAULT_READ_INTERVALS): number | null {
  const complete = cadence.push && intervals.safetyPollMs === null;
  const delays: number[] = [];
  if (!cadence.push) delays.push(intervals.pollIntervalMs);
  else if (intervals.safetyPollMs !== null) delays.push(intervals.safetyPollMs);
  if (cadence.live && !complete) delays.push(intervals.livePollIntervalMs);
  if (cadence.counters || cadence.live) delays.push(intervals.countersIntervalMs);
  if (cadence.connecting) delays.push(intervals.connectingPollMs);
  return delays.length === 0 ? null : Math.min(...delays);
}
