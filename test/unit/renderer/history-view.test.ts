/**
 * The popup's History wording and the sparkline's samples and lines, as pure functions: what the user reads
 * (and hears) for a session and a day, and that a line is drawn from pushed rates only.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import '../../../shared/i18n/all';
import { dayLabel, dayTotal, dropReason, endLabel, groupByDay, localDay, sessionSummary, spokenDayTotal } from '../../../renderer/history-format';
import { MIN_SAMPLES, sparklinePoints } from '../../../renderer/sparkline-points';
import { addSamples, NO_THROUGHPUT, SPARKLINE_WINDOW_MS, type Throughput } from '../../../renderer/throughput';
import type { HistorySession } from '../../../shared/history';
import { connection, snapshot } from './connection-fixture';

const NOW = new Date(2026, 11, 2, 15, 30).getTime();

function session(overrides: Partial<HistorySession>): HistorySession {
  return {
    id: 1,
    connectionId: 'ras:1',
    name: 'Office VPN',
    kind: 'vpn',
    deviceType: 'vpn',
    deviceName: 'WAN Miniport (IKEv2)',
    adHoc: false,
    phoneNumber: null,
    addresses: [],
    connectedAt: new Date(2026, 11, 2, 9, 0).getTime(),
    endedAt: new Date(2026, 11, 2, 10, 35).getTime(),
    end: 'dropped',
    durationMs: 95 * 60_000,
    lastState: 'disconnected',
    lastStateDetail: 'RASCS_Disconnected',
    lastError: { code: 628, message: 'The connection was terminated by the remote computer.' },
    bytesIn: null,
    bytesOut: null,
    ...overrides,
  };
}

const hhmm = (epoch: number) => {
  const date = new Date(epoch);
  return `${String(date.getHours()).padStart(2, '0')}:${String(date.getMinutes()).padStart(2, '0')}`;
};

describe('History view wording', () => {
  it('how a session ended, in words; a drop gives its reason', () => {
    assert.equal(endLabel(session({})), 'Dropped');
    assert.equal(endLabel(session({ end: 'hung-up' })), 'Hung up from Linkwatch');
    assert.equal(endLabel(session({ end: 'unknown' })), 'Unknown end');
    assert.equal(endLabel(session({ end: null, endedAt: null })), 'Up now');
    assert.equal(dropReason(session({})), 'Last error: The other side closed the connection before it was complete.', 'the code as a sentence');
    assert.equal(dropReason(session({ lastError: { code: 9999, message: 'x' } })), 'Last error: Something went wrong (code 9999).');
    assert.equal(dropReason(session({ lastError: null })), 'No error was reported before it went');
    assert.equal(dropReason(session({ end: 'hung-up' })), null, 'a hang-up needs no reason');
  });

  it('a session read out as one sentence', () => {
    assert.equal(
      sessionSummary(session({ bytesIn: 2048, bytesOut: 1024 }), NOW, hhmm),
      'VPN Office VPN, 09:00 to 10:35, up 1 hour, 35 minutes, dropped, last error: The other side closed the connection before it was complete., received 2 kB, sent 1 kB',
    );
    assert.equal(sessionSummary(session({ end: null, endedAt: null, durationMs: null, lastError: null }), NOW, hhmm), 'VPN Office VPN, connected at 09:00, up 6 hours, 30 minutes, up now');
  });

  it('days: Today, Yesterday, else the date; totals as text and speech', () => {
    assert.equal(dayLabel(localDay(NOW), NOW), 'Today');
    assert.equal(dayLabel(localDay(NOW - 86_400_000), NOW), 'Yesterday');
    assert.equal(dayLabel('2026-11-27', NOW, (epoch) => new Date(epoch).toDateString()), 'Fri Nov 27 2026');
    const day = { day: '2026-12-02', sessions: 3, drops: 1, upMs: 4 * 3_600_000 + 12 * 60_000, bytesIn: 1536, bytesOut: null };
    assert.equal(dayTotal(day), '3 sessions · 1 drop · up 4h 12m · ↓ 1.5 kB ↑ 0 kB');
    assert.equal(dayTotal({ ...day, sessions: 1, drops: 0, bytesIn: null }), '1 session · 0 drops · up 4h 12m');
    assert.equal(spokenDayTotal('Today', { ...day, bytesIn: null }), 'Today: 3 sessions, 1 drop, up 4 hours, 12 minutes in all');
  });

  it('sessions group by the local day they connected, newest first', () => {
    const groups = groupByDay([
      session({ id: 1, connectedAt: new Date(2026, 11, 1, 23, 50).getTime() }),
      session({ id: 2, connectedAt: new Date(2026, 11, 2, 0, 10).getTime() }),
      session({ id: 3, connectedAt: new Date(2026, 11, 2, 8, 0).getTime() }),
    ]);
    assert.deepEqual(
      groups.map((group) => [group.day, group.sessions.map((s) => s.id)]),
      [
        ['2026-12-02', [3, 2]],
        ['2026-12-01', [1]],
      ],
    );
  });
});

describe('sparkline samples and lines', () => {
  const T = 1_000_000;
  const withRate = (rateIn: number | null, rateOut: number | null, id = 'c1') => connection({ id, rateIn, rateOut, bytesIn: 1, bytesOut: 1 });

  it('one sample per update with rates, none from a late one; without rates (popup hidden) a gap marker breaks the line', () => {
    let throughput: Throughput = NO_THROUGHPUT;
    throughput = addSamples(throughput, snapshot([withRate(100, 10)], T));
    throughput = addSamples(throughput, snapshot([withRate(300, 30)], T + 2000));
    throughput = addSamples(throughput, snapshot([withRate(999, 99)], T + 1500));
    assert.deepEqual(throughput.get('c1'), [
      { at: T, rateIn: 100, rateOut: 10 },
      { at: T + 2000, rateIn: 300, rateOut: 30 },
    ]);
    throughput = addSamples(throughput, snapshot([withRate(null, null)], T + 3000));
    throughput = addSamples(throughput, snapshot([withRate(null, null)], T + 4000));
    assert.deepEqual(throughput.get('c1')?.at(-1), { at: T + 3000, rateIn: 0, rateOut: 0, gap: true }, 'one marker, however long the gap');
    assert.equal(sparklinePoints(throughput.get('c1') ?? [], T + 5000, 60, 22), null, 'no stale rate is held across the gap');
    throughput = addSamples(throughput, snapshot([withRate(50, 5)], T + 600_000));
    assert.deepEqual(throughput.get('c1'), [{ at: T + 3000, rateIn: 0, rateOut: 0, gap: true }, { at: T + 600_000, rateIn: 50, rateOut: 5 }], 'the window keeps only the marker before it');
    throughput = addSamples(throughput, snapshot([], T + 3000));
    assert.equal(throughput.get('c1'), undefined, 'a connection gone takes its line with it');
  });

  it('keeps a minute, plus the sample just before it', () => {
    let throughput: Throughput = NO_THROUGHPUT;
    for (let second = 0; second <= 120; second += 1) throughput = addSamples(throughput, snapshot([withRate(second, 0)], T + second * 1000));
    const samples = throughput.get('c1') ?? [];
    assert.equal(samples[0]?.at, T + 60_000);
    assert.equal(samples.at(-1)?.at, T + 120_000);
  });

  it('the lines step from sample to sample and hold the last until now, on one scale; fewer than MIN_SAMPLES draw nothing', () => {
    const samples = [
      { at: T, rateIn: 0, rateOut: 0 },
      { at: T + 10_000, rateIn: 0, rateOut: 0 },
      { at: T + 20_000, rateIn: 0, rateOut: 0 },
      { at: T + 30_000, rateIn: 1000, rateOut: 500 },
    ];
    assert.equal(MIN_SAMPLES, 4);
    assert.equal(sparklinePoints(samples.slice(1), T + SPARKLINE_WINDOW_MS, 60, 22), null, 'three samples: still collecting');
    const points = sparklinePoints(samples, T + SPARKLINE_WINDOW_MS, 60, 22);
    assert.ok(points);
    assert.equal(points.received, '0,21 10,21 10,21 20,21 20,21 30,21 30,1 60,1');
    assert.equal(points.sent, '0,21 10,21 10,21 20,21 20,21 30,21 30,11 60,11');
    assert.deepEqual([points.peakIn, points.peakOut], [1000, 500]);
    assert.equal(sparklinePoints([], T, 60, 22), null);
  });
});
