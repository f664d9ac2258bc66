/**
 * The sparkline's lines over arbitrary samples and clocks (property): every point lands inside the box.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { sparklinePoints } from '../../../renderer/sparkline-points';
import { check } from '../../support/property';

describe('sparkline (property)', () => {
  it('any samples, any clock: every point of both lines is inside the box', () => {
    const sample = fc.record({ at: fc.integer({ min: 0, max: 200_000 }), rateIn: fc.double({ min: 0, max: 1e12, noNaN: true }), rateOut: fc.double({ min: 0, max: 1e12, noNaN: true }) });
    check(
      fc.property(fc.array(sample, { maxLength: 50 }), fc.integer({ min: 0, max: 300_000 }), (unsorted, now) => {
        const samples = [...unsorted].sort((a, b) => a.at - b.at);
        const points = sparklinePoints(samples, now, 96, 22);
        if (!points) return;
        for (const pair of `${points.received} ${points.sent}`.split(' ')) {
          const [x, y] = pair.split(',').map(Number);
          assert.ok(x !== undefined && x >= 0 && x <= 96 && y !== undefined && y >= 0 && y <= 22, pair);
        }
      }),
      300,
    );
  });
});
