/**
 * The stall rule: from successive byte counters of one connected tunnel, is it healthy, quiet, stalled or
 * still being verified? Pure: one reading in, the next state out, so that arbitrary counter sequences (wraps,
 * resets, gaps, a clock that jumps) can be thrown at it by property tests.
 *
 * The rule. A reading interval is *evidence* only when both counters went up or stayed (never down: a
 * counter that went down was reset with its link or wrapped, and says nothing about that interval) and it is
 * at most `MAX_GAP_MS` long (longer means readings were missed, e.g. the machine slept). Over evidence:
 *  - received grew → `healthy`;
 *  - sent grew while received did not, in every interval from the first such one for at least
 *    `STALL_AFTER_MS` → `stalled` (sent *kept* growing: one unanswered datagram — an NTP query to a dead host —
 *    is not a dead tunnel);
 *  - nothing moved either way for `STALL_AFTER_MS` → `quiet` (from `healthy` or `verifying`).
 * `stalled` holds until something is received again: a user who gave up sending has not fixed the tunnel.
 *
 * Why `STALL_AFTER_MS` = 20 s. A live peer answers TCP within one round trip, and the tunnels' own dead-peer
 * timers start well under that: WireGuard sends a keepalive after 10 s of receiving without sending
 * (`KEEPALIVE_TIMEOUT`, wireguard-go `device/constants.go`) and gives up a handshake after 5 s
 * (`REKEY_TIMEOUT`); OpenVPN's `keepalive 10 60` (the sample server.conf) pings every 10 s. It must also span
 * two hidden reads (`HIDDEN_COUNTER_INTERVAL_MS` = 10 s), and come before the common `ping-restart 60` (or
 * our test lab's 30) restarts the client, so that the user hears of the stall and not only of the restart.
 * Hence: stalled within 20 s of the first unanswered interval plus one reading period — at most 30 s with
 * the popup hidden (10 s reads), 21 s while it is open (1 s reads).
 */
import type { ConnectionHealth, HealthStatus } from '../../../shared/health';

export const STALL_AFTER_MS = 20_000;
/** Counters are read at most this often per connected tunnel while nobody looks (popup hidden, `watch`). */
export const HIDDEN_COUNTER_INTERVAL_MS = 10_000;
/** An interval longer than this is not evidence: readings were missed (sleep, a hung backend). */
export const MAX_GAP_MS = 3 * HIDDEN_COUNTER_INTERVAL_MS + 5_000;

export interface CounterSample {
  /** Epoch ms of the reading. */
  at: number;
  bytesIn: number;
  bytesOut: number;
}

export interface HealthTrack {
  status: HealthStatus;
  since: number;
  reason: string;
  /** The last reading (the baseline of the next interval). */
  last: CounterSample;
  /** When the tracking (re)started: `verifying` turns `quiet` after STALL_AFTER_MS of nothing. */
  baselineAt: number;
  /** End of the last evidence interval in which received grew, or sent grew; null before any. */
  lastReceivedAt: number | null;
  lastSentAt: number | null;
  /** End of the first interval of the current run in which sent grew and received did not; null outside one. */
  unansweredSince: number | null;
  /** Bytes sent during that run (for the reason's wording). */
  unansweredBytes: number;
}

export interface RuleOptions {
  stallAfterMs?: number;
  maxGapMs?: number;
}

/** A first reading: `verifying` until the counters say more. */
export function startTrack(sample: CounterSample): HealthTrack {
  return {
    status: 'verifying',
    since: sample.at,
    reason: 'just up: waiting for a second reading of the counters',
    last: sample,
    baselineAt: sample.at,
    lastReceivedAt: null,
    lastSentAt: null,
    unansweredSince: null,
    unansweredBytes: 0,
  };
}

function validCounter(value: number): boolean {
  return Number.isFinite(value) && value >= 0;
}

/** Readable byte count for a reason line ("12 KB"). */
export function bytesText(bytes: number): string {
  if (bytes < 1024) return `${bytes} B`;
  if (bytes < 1024 * 1024) return `${Math.round(bytes / 1024)} KB`;
  return `${(bytes / (1024 * 1024)).toFixed(1)} MB`;
}

function seconds(ms: number): string {
  return `${Math.round(ms / 1000)} s`;
}

function withStatus(track: HealthTrack, status: HealthStatus, reason: string, at: number): HealthTrack {
  return track.status === status ? { ...track, reason } : { ...track, status, since: at, reason };
}

/** The next state after one more reading. Never throws; a reading that is not evidence keeps the status. */
export function nextTrack(track: HealthTrack, sample: CounterSample, options: RuleOptions = {}): HealthTrack {
  const stallAfter = options.stallAfterMs ?? STALL_AFTER_MS;
  const maxGap = options.maxGapMs ?? MAX_GAP_MS;
  if (!Number.isFinite(sample.at) || !validCounter(sample.bytesIn) || !validCounter(sample.bytesOut)) return track;
  const previous = track.last;
  const elapsed = sample.at - previous.at;
  const receivedGrew = sample.bytesIn - previous.bytesIn;
  const sentGrew = sample.bytesOut - previous.bytesOut;
  if (elapsed <= 0 || elapsed > maxGap || receivedGrew < 0 || sentGrew < 0) {
    // Not evidence (a reset, a wrap, a gap, a clock that went back): a new baseline, the status kept, and an
    // unanswered run broken, since what happened in between is unknown.
    return { ...track, last: sample, unansweredSince: null, unansweredBytes: 0 };
  }
  let next: HealthTrack = { ...track, last: sample };
  const at = sample.at;
  if (receivedGrew > 0) {
    next = { ...next, lastReceivedAt: at, unansweredSince: null, unansweredBytes: 0 };
    if (sentGrew > 0) next.lastSentAt = at;
    return withStatus(next, 'healthy', `received ${bytesText(receivedGrew)} in ${seconds(elapsed)}`, at);
  }
  if (sentGrew > 0) {
    const unansweredSince = next.unansweredSince ?? at;
    const unansweredBytes = next.unansweredBytes + sentGrew;
    next = { ...next, lastSentAt: at, unansweredSince, unansweredBytes };
    if (at - unansweredSince >= stallAfter) {
      return withStatus(next, 'stalled', `sent ${bytesText(unansweredBytes)} in ${seconds(at - unansweredSince)}, received nothing`, at);
    }
    return next;
  }
  // Nothing moved. A long enough silence ends an unanswered run (the next send starts a new one) and turns a
  // healthy or new tunnel quiet; a stalled one stays stalled until something comes back.
  const lastActivity = Math.max(next.lastReceivedAt ?? -Infinity, next.lastSentAt ?? -Infinity, next.baselineAt);
  if (at - lastActivity >= stallAfter) {
    next = { ...next, unansweredSince: null, unansweredBytes: 0 };
    if (next.status === 'healthy' || next.status === 'verifying') {
      return withStatus(next, 'quiet', `nothing sent or received for ${seconds(at - lastActivity)}`, at);
    }
  }
  return next;
}

/** What the connection carries: the status, since when, and why. */
export function healthOf(track: HealthTrack, probe: ConnectionHealth['probe'] = null): ConnectionHealth {
  return { status: track.status, since: track.since, reason: track.reason, probe };
}
