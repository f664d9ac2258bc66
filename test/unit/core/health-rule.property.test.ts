/**
 * The stall rule over arbitrary counter sequences: counters come from outside (RAS statistics, netlink,
 * iphlpapi, if_data), and may wrap, be reset with their link, repeat, jump, or arrive after a gap.
 * Properties state what a user would see: never "stalled" without evidence that packets went out and nothing
 * came back for the stated time; "healthy" as soon as something comes back; a reset or gap is no evidence.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import fc from 'fast-check';
import { MAX_GAP_MS, nextTrack, startTrack, STALL_AFTER_MS, type CounterSample, type HealthTrack } from '../../../electron/core/health/health-rule';
import { check } from '../../support/property';

/** One step of a sequence: time forward (or back), and how each counter moves. */
const counterMove = fc.oneof(
  { weight: 6, arbitrary: fc.nat({ max: 5000 }) }, // grows (or stays at 0)
  { weight: 3, arbitrary: fc.constant(0) }, // stays
  { weight: 1, arbitrary: fc.integer({ min: -5000, max: -1 }) }, // goes down: reset or a 32-bit wrap
);
const step = fc.record({
  dt: fc.oneof({ weight: 8, arbitrary: fc.integer({ min: 1, max: 12_000 }) }, { weight: 1, arbitrary: fc.integer({ min: MAX_GAP_MS + 1, max: 10 * MAX_GAP_MS }) }, { weight: 1, arbitrary: fc.integer({ min: -5000, max: 0 }) }),
  din: counterMove,
  dout: counterMove,
  wrapIn: fc.boolean(),
});

function samplesFrom(start: { in: number; out: number }, steps: { dt: number; din: number; dout: number; wrapIn: boolean }[]): CounterSample[] {
  const samples: CounterSample[] = [{ at: 1_000_000, bytesIn: start.in, bytesOut: start.out }];
  for (const s of steps) {
    const last = samples[samples.length - 1]!;
    // A 32-bit counter wraps to a small value; a reset drops to a small value too: both look alike here.
    const bytesIn = s.din < 0 ? (s.wrapIn ? (last.bytesIn + 2 ** 31) % 2 ** 32 : Math.max(0, last.bytesIn + s.din)) : last.bytesIn + s.din;
    samples.push({ at: last.at + s.dt, bytesIn, bytesOut: Math.max(0, last.bytesOut + s.dout) });
  }
  return samples;
}

function run(samples: CounterSample[]): HealthTrack[] {
  const tracks = [startTrack(samples[0]!)];
  for (const sample of samples.slice(1)) tracks.push(nextTrack(tracks[tracks.length - 1]!, sample));
  return tracks;
}

/** An interval the rule may use: time forward within the gap limit, both counters not down. */
function evidence(a: CounterSample, b: CounterSample): boolean {
  const dt = b.at - a.at;
  return dt > 0 && dt <= MAX_GAP_MS && b.bytesIn >= a.bytesIn && b.bytesOut >= a.bytesOut;
}

/**
 * Independent oracle: is there a run of consecutive evidence intervals ending at or before `k`, in each of
 * which sent grew and received did not, from the end of its first interval to the end of its last at least
 * STALL_AFTER_MS?
 */
function stallEvidenceBy(samples: CounterSample[], k: number): boolean {
  for (let end = 1; end <= k; end += 1) {
    for (let first = end; first >= 1; first -= 1) {
      const a = samples[first - 1]!;
      const b = samples[first]!;
      if (!evidence(a, b) || b.bytesIn !== a.bytesIn || b.bytesOut === a.bytesOut) break;
      if (samples[end]!.at - b.at >= STALL_AFTER_MS) return true;
    }
  }
  return false;
}

const start = fc.record({ in: fc.nat({ max: 2 ** 32 - 1 }), out: fc.nat({ max: 2 ** 32 - 1 }) });

test('never stalled without packets sent and nothing received for the stated time', () => {
  check(
    fc.property(start, fc.array(step, { maxLength: 60 }), (origin, steps) => {
      const samples = samplesFrom(origin, steps);
      const tracks = run(samples);
      tracks.forEach((track, k) => {
        if (track.status === 'stalled') assert.ok(stallEvidenceBy(samples, k), `stalled at reading ${k} without evidence`);
      });
    }),
    400,
  );
});

test('something received over an evidence interval is healthy at once', () => {
  check(
    fc.property(start, fc.array(step, { maxLength: 60 }), (origin, steps) => {
      const samples = samplesFrom(origin, steps);
      const tracks = run(samples);
      for (let k = 1; k < samples.length; k += 1) {
        const a = samples[k - 1]!;
        const b = samples[k]!;
        if (evidence(a, b) && b.bytesIn > a.bytesIn) assert.equal(tracks[k]!.status, 'healthy', `reading ${k}`);
      }
    }),
    400,
  );
});

test('a counter that goes down (reset, wrap), a gap or a clock going back changes no status', () => {
  check(
    fc.property(start, fc.array(step, { maxLength: 60 }), (origin, steps) => {
      const samples = samplesFrom(origin, steps);
      const tracks = run(samples);
      for (let k = 1; k < samples.length; k += 1) {
        if (!evidence(samples[k - 1]!, samples[k]!)) {
          assert.equal(tracks[k]!.status, tracks[k - 1]!.status, `reading ${k}`);
          assert.equal(tracks[k]!.since, tracks[k - 1]!.since);
        }
      }
    }),
    400,
  );
});

test('stalled stays until something is received; since and reason are always readable', () => {
  check(
    fc.property(start, fc.array(step, { maxLength: 60 }), (origin, steps) => {
      const samples = samplesFrom(origin, steps);
      const tracks = run(samples);
      tracks.forEach((track, k) => {
        assert.ok(Number.isFinite(track.since) && track.reason.length > 0 && !track.reason.includes('NaN'));
        if (k > 0 && tracks[k - 1]!.status === 'stalled' && track.status !== 'stalled') {
          assert.equal(track.status, 'healthy');
          assert.ok(samples[k]!.bytesIn > samples[k - 1]!.bytesIn);
        }
      });
    }),
    400,
  );
});

test('a steady sender that hears nothing is stalled within the stated time plus one reading', () => {
  check(
    fc.property(fc.integer({ min: 1000, max: 10_000 }), fc.integer({ min: 1, max: 1_000_000 }), (period, perRead) => {
      const samples: CounterSample[] = [{ at: 0, bytesIn: 500, bytesOut: 500 }];
      for (let k = 1; k <= Math.ceil((STALL_AFTER_MS + 2 * period) / period); k += 1) samples.push({ at: k * period, bytesIn: 500, bytesOut: 500 + k * perRead });
      const tracks = run(samples);
      const firstStalled = tracks.findIndex((track) => track.status === 'stalled');
      assert.ok(firstStalled > 0, 'never stalled');
      // The first unanswered interval ends at `period`; the rule needs STALL_AFTER_MS more, read at this cadence.
      assert.ok(samples[firstStalled]!.at <= period + STALL_AFTER_MS + period, `stalled only at ${samples[firstStalled]!.at} ms`);
    }),
    200,
  );
});

test('garbage readings (NaN, negative, infinite) are ignored, never thrown on', () => {
  check(
    fc.property(fc.array(fc.record({ at: fc.double(), bytesIn: fc.double(), bytesOut: fc.double() }), { maxLength: 30 }), (garbage) => {
      let track = startTrack({ at: 0, bytesIn: 0, bytesOut: 0 });
      for (const sample of garbage) track = nextTrack(track, sample);
      assert.ok(['verifying', 'healthy', 'quiet', 'stalled'].includes(track.status));
      assert.ok(Number.isFinite(track.since));
    }),
    300,
  );
});
