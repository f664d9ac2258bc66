/**
 * Crash safety of the history (WAL, synchronous=NORMAL): a writer process killed with SIGKILL in the middle
 * of its writes loses nothing it had committed, and the file opens again, consistent, for the next writer and
 * for readers. Each round kills a real `node` process running the real recorder at a random moment.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { DatabaseSync } from 'node:sqlite';
import { after, describe, it } from 'node:test';
import { HistoryRecorder } from '../../electron/core/history/history-recorder';
import { HistoryStore } from '../../electron/core/history/history-store';

const folder = mkdtempSync(join(tmpdir(), 'linkwatch-history-crash-'));
after(() => rmSync(folder, { recursive: true, force: true }));
const WRITER = new URL('../fixtures/history/history-writer.ts', import.meta.url);

/** Start a writer on `file`; once it has reported `lines` commits, SIGKILL it. Resolves what it reported. */
function writeUntilKilled(file: string, lines: number): Promise<{ closed: number; opened: number; errors: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', WRITER.pathname, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    let closed = 0;
    let opened = 0;
    let seen = 0;
    let errors = '';
    child.stderr.on('data', (chunk: Buffer) => (errors += chunk.toString()));
    const reader = createInterface({ input: child.stdout });
    reader.on('line', (line) => {
      const [what, number] = line.split(' ');
      if (what === 'opened') opened = Number(number);
      if (what === 'closed') closed = Number(number);
      seen += 1;
      if (seen === lines) child.kill('SIGKILL');
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (signal !== 'SIGKILL') reject(new Error(`writer exited by itself (${code}): ${errors}`));
      else resolve({ closed, opened, errors });
    });
  });
}

describe('history: a writer killed mid-write (SIGKILL)', () => {
  it('loses nothing committed, and the file opens again, consistent', { timeout: 120_000 }, async () => {
    const file = join(folder, 'crash.sqlite');
    let expectedClosed = 0;
    for (const [round, lines] of [1500, 2333, 977, 4100].entries()) {
      const reported = await writeUntilKilled(file, lines);
      assert.equal(reported.errors, '', `round ${round}: the writer reported no write error`);
      assert.ok(reported.closed > expectedClosed, `round ${round}: the writer made progress`);
      expectedClosed = reported.closed;

      // Nothing open on it now: the file must be consistent as the kill left it (WAL recovered on open).
      const raw = new DatabaseSync(file);
      assert.equal((raw.prepare('PRAGMA integrity_check').get() as { integrity_check: string }).integrity_check, 'ok', `round ${round}`);
      raw.close();

      const reader = HistoryStore.open(file, { readOnly: true });
      const sessions = reader.sessions();
      reader.close();
      const byNumber = new Map(sessions.filter((s) => s.connectionId.startsWith('crash:')).map((s) => [Number(s.connectionId.slice(6)), s]));
      for (let n = 1; n <= reported.closed; n += 1) {
        const session = byNumber.get(n);
        assert.ok(session, `round ${round}: session ${n} was committed and must be there`);
        if (session.end !== 'unknown') {
          assert.equal(session.end, 'dropped', `session ${n}`);
          assert.deepEqual(session.lastError, { code: 628, message: `drop ${n}` });
        }
      }
      if (reported.opened > reported.closed) assert.ok(byNumber.has(reported.opened), `round ${round}: the session reported opened is there`);
      // Only sessions the writer had begun can exist: no row from nowhere.
      assert.ok(Math.max(...byNumber.keys()) <= reported.opened + 1, `round ${round}`);
    }

    // The next start (the app's) opens it for writing: what the last run left open ends as "unknown".
    const recorder = HistoryRecorder.open(file);
    const after = recorder.sessions();
    recorder.close();
    assert.equal(after.filter((s) => s.end === null).length, 0, 'nothing is left open after a start');
    const steady = after.filter((s) => s.name === 'Steady VPN');
    assert.equal(steady.length, 4, 'one steady session per killed writer');
    assert.ok(steady.every((s) => s.end === 'unknown' && (s.bytesIn ?? 0) >= 0));
  });
});
