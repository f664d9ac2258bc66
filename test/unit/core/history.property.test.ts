/**
 * The history's outside input, property-based (seeded by test/support/property.ts, bounded): `--since` text,
 * argument lists, and rows read from a file anyone could have edited. None of them can crash the command;
 * what is accepted means what it says.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import fc from 'fast-check';
import { parseSince } from '../../../electron/core/cli/history-command';
import { decodeSessionRow } from '../../../electron/core/history/history-store';
import { CONNECTION_KINDS, CONNECTION_STATES } from '../../../shared/connection';
import { SESSION_ENDS } from '../../../shared/history';
import { recordedHistory, runHistoryCli, T0 } from '../../support/history-fixture';
import { check, checkAsync } from '../../support/property';

const NOW = T0 + 2 * 86_400_000;
const folder = mkdtempSync(join(tmpdir(), 'linkwatch-history-property-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const run = (argv: string[], historyPath: string) => runHistoryCli(argv, historyPath, NOW);

describe('history: outside input (property)', () => {
  it('parseSince never throws, and anything it accepts is a real instant', () => {
    check(
      fc.property(fc.string({ maxLength: 40 }), (text) => {
        const result = parseSince(text, NOW);
        assert.ok(result === null || (Number.isSafeInteger(result) && result >= 0), String(result));
      }),
      300,
    );
  });

  it('parseSince: a real calendar date is its local midnight; an impossible one is refused', () => {
    check(
      fc.property(fc.integer({ min: 1970, max: 2400 }), fc.integer({ min: 1, max: 12 }), fc.integer({ min: 1, max: 31 }), (year, month, day) => {
        const text = `${year}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
        const real = new Date(Date.UTC(year, month, 0)).getUTCDate() >= day;
        assert.equal(parseSince(text, NOW), real ? new Date(year, month - 1, day).getTime() : null, text);
      }),
      300,
    );
  });

  it('parseSince: a UTC or offset time is that instant', () => {
    check(
      fc.property(fc.date({ min: new Date('1971-01-01T00:00:00Z'), max: new Date('2200-01-01T00:00:00Z'), noInvalidDate: true }), fc.integer({ min: -12 * 60, max: 14 * 60 }), (date, offsetMinutes) => {
        const instant = Math.floor(date.getTime() / 1000) * 1000;
        const shifted = new Date(instant + offsetMinutes * 60_000).toISOString().slice(0, 19);
        const sign = offsetMinutes < 0 ? '-' : '+';
        const abs = Math.abs(offsetMinutes);
        const zone = `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
        assert.equal(parseSince(`${shifted}${zone}`, NOW), instant);
      }),
      300,
    );
  });

  it('any argument list: an exit status of 0, 1 or 2, never a throw; a bad --since is always 2', async () => {
    const file = recordedHistory(folder);
    const word = fc.oneof(fc.constantFrom('history', 'list', '--json', '--since', '--name', '--stats', '--interval', 'today', '7d', '-h', '--bogus'), fc.string({ maxLength: 12 }));
    await checkAsync(
      fc.asyncProperty(fc.array(word, { maxLength: 5 }), fc.string({ maxLength: 20 }), async (argv, since) => {
        // `watch` runs until interrupted: everything else must answer.
        const free = await run(argv.filter((a) => a.trim() !== 'watch'), file);
        assert.ok([0, 1, 2].includes(free.status), JSON.stringify(argv));
        const dated = await run(['history', '--json', '--since', since], file);
        assert.equal(dated.status, parseSince(since, NOW) === null ? 2 : 0, JSON.stringify(since));
      }),
      60,
    );
  });

  it('a stored row of any shape decodes to a valid session or to nothing, never a throw', () => {
    const value = fc.oneof(fc.string({ maxLength: 30 }), fc.integer(), fc.double(), fc.bigInt({ min: -(2n ** 70n), max: 2n ** 70n }), fc.constant(null), fc.uint8Array({ maxLength: 8 }), fc.constantFrom('vpn', 'dropped', 'connected', '[]', '["10.0.0.1/32"]', '{"a":1}'));
    const columns = ['id', 'connection_id', 'name', 'kind', 'device_type', 'device_name', 'ad_hoc', 'phone_number', 'addresses', 'connected_at', 'ended_at', 'end_reason', 'last_state', 'last_state_detail', 'last_error_code', 'last_error_message', 'bytes_in', 'bytes_out'];
    check(
      fc.property(fc.record(Object.fromEntries(columns.map((column) => [column, value]))), (row) => {
        const session = decodeSessionRow(row);
        if (session === null) return;
        assert.ok(CONNECTION_KINDS.includes(session.kind));
        assert.ok(CONNECTION_STATES.includes(session.lastState));
        assert.ok(session.end === null || SESSION_ENDS.includes(session.end));
        assert.equal(session.end === null, session.endedAt === null);
        assert.ok(session.durationMs === null || session.durationMs >= 0);
        assert.ok(session.addresses.every((address) => typeof address === 'string'));
        assert.ok(session.bytesIn === null || session.bytesIn >= 0);
        JSON.stringify(session);
      }),
      300,
    );
  });
});
