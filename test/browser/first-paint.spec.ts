/**
 * Issue 22's bundle budget: the JavaScript that must load before the popup's first paint (index.html's script
 * and everything it imports statically, ./first-paint.ts) stays under 75 KB gzip, measured on the production
 * build the other browser tests run (global-setup.ts builds out/renderer). What is not needed for the first
 * paint stays out of it: the words of rows, errors and details are in lazily loaded chunks, not in the entry.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { expect, test } from '@playwright/test';
import details from '../../shared/i18n/en/details.json' with { type: 'json' };
import errors from '../../shared/i18n/en/errors.json' with { type: 'json' };
import popup from '../../shared/i18n/en/popup.json' with { type: 'json' };
import rows from '../../shared/i18n/en/rows.json' with { type: 'json' };
import { RENDERER_OUT } from './build-renderer';
import { FIRST_PAINT_BUDGET_BYTES, firstPaintFiles, firstPaintGzip } from './first-paint';

function firstPaintCode(): string {
  return firstPaintFiles(RENDERER_OUT)
    .map((file) => readFileSync(join(RENDERER_OUT, file), 'utf8'))
    .join('\n');
}

test('the JavaScript loaded before the first paint is under 75 KB gzip', () => {
  const bytes = firstPaintGzip(RENDERER_OUT);
  console.log(`first paint: ${(bytes / 1024).toFixed(1)} KB gzip in ${firstPaintFiles(RENDERER_OUT).join(', ')}`);
  expect(bytes).toBeLessThan(FIRST_PAINT_BUDGET_BYTES);
});

test('what the first paint shows is in it; rows, errors and details load later', () => {
  const code = firstPaintCode();
  // Present: the header, tabs and "Reading connections…" are painted first (plain-text messages ship as text).
  expect(code).toContain(popup['list.loading']);
  expect(code).toContain(popup['tabs.history']);
  expect(code).toContain(popup['updates.push.title']);
  // Absent: one plain-text message of each lazily loaded namespace.
  expect(code).not.toContain(rows['action.unavailable.stale']);
  expect(code).not.toContain(rows['list.emptyHint']);
  expect(code).not.toContain(errors['code.619']);
  expect(code).not.toContain(details.since);
});
